import { type OrganisationKind, parseOrganisation } from '@erbm/identity';
import { type ReadScope } from '@erbm/reporting';

/** Roles, in the style of the State's SIAP habilitations: one per kind of organisation. */
export type Role = OrganisationKind;
export const ROLES: readonly Role[] = ['delegation', 'copil', 'bailleur', 'epci', 'financer'];

/** Who is calling, as established by authentication (API key or OIDC bearer token). */
export interface Principal {
  organisation: string;
  role: Role;
  /** Reference code of a bailleur, EPCI or financer; null for the délégation and the comité de pilotage. */
  code: string | null;
  /** API client id (`auth_client`), or `oidc:<azp|client_id|sub>` for a bearer token. */
  clientId: string;
  /** The person or system acting: the token's `email` / `sub`; null for API keys (X-Acting-User may name it). */
  user: string | null;
  channel: 'api';
  method: 'api-key' | 'oidc';
  keyId?: string;
}

/** 401 reasons, each with its stable code (docs/api.md). */
export type AuthFailureCode = 'AUTH.UNAUTHENTICATED' | 'AUTH.KEY_REVOKED' | 'AUTH.TOKEN_INVALID';

export class AuthenticationError extends Error {
  constructor(readonly code: AuthFailureCode, message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** The principal of an organisation id, or null when the id is malformed. */
export function principalFor(organisation: unknown, clientId: string, user: string | null, method: Principal['method'], keyId?: string): Principal | null {
  const org = parseOrganisation(organisation);
  if (!org) return null;
  return { organisation: org.id, role: org.kind, code: org.code, clientId, user, channel: 'api', method, ...(keyId ? { keyId } : {}) };
}

/** What the principal may read (libs/reporting/src/shared/scope.ts). */
export function readScopeOf(p: Pick<Principal, 'role' | 'code'>): ReadScope {
  switch (p.role) {
    case 'delegation':
    case 'copil':
      return { kind: 'all' };
    case 'bailleur':
    case 'epci':
    case 'financer':
      return { kind: p.role, code: p.code ?? '' };
  }
}
