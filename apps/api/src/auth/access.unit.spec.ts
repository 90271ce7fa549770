import { type Principal, principalFor, readScopeOf } from '@erbm/platform';
import { AGGREGATE_READERS, DEFAULT_ROLES, roleAllowed } from './roles';
import { wwwAuthenticate } from './auth-errors';

const p = (org: string): Principal => principalFor(org, 'client-1', null, 'api-key') as Principal;

describe('access rules', () => {
  it('derives the role and read scope from the organisation', () => {
    expect(readScopeOf(p('delegation'))).toEqual({ kind: 'all' });
    expect(readScopeOf(p('copil'))).toEqual({ kind: 'all' });
    expect(readScopeOf(p('bailleur:SIA_HABITAT'))).toEqual({ kind: 'bailleur', code: 'SIA_HABITAT' });
    expect(readScopeOf(p('epci:CALL'))).toEqual({ kind: 'epci', code: 'CALL' });
    expect(readScopeOf(p('financer:ETAT'))).toEqual({ kind: 'financer', code: 'ETAT' });
    expect(principalFor('root', 'c', null, 'oidc')).toBeNull();
    expect(principalFor(undefined, 'c', null, 'oidc')).toBeNull();
  });

  it('keeps the comité de pilotage off every route that does not name it', () => {
    expect(DEFAULT_ROLES).not.toContain('copil');
    expect(roleAllowed('copil', undefined)).toBe(false);
    expect(roleAllowed('copil', AGGREGATE_READERS)).toBe(true);
    for (const role of ['delegation', 'bailleur', 'epci', 'financer'] as const) expect(roleAllowed(role, undefined)).toBe(true);
  });

  it('applies the route roles', () => {
    expect(roleAllowed('bailleur', ['delegation'])).toBe(false);
    expect(roleAllowed('delegation', ['delegation'])).toBe(true);
    expect(roleAllowed('financer', ['delegation', 'bailleur'])).toBe(false);
    expect(roleAllowed('epci', ['delegation', 'bailleur', 'epci'])).toBe(true);
  });

  it('challenges with Bearer, naming invalid tokens', () => {
    expect(wwwAuthenticate('AUTH.UNAUTHENTICATED', 'x')).toBe('Bearer realm="erbm"');
    expect(wwwAuthenticate('AUTH.KEY_REVOKED', 'revoked "now"')).toBe('Bearer realm="erbm", error="invalid_token", error_description="revoked now"');
  });
});
