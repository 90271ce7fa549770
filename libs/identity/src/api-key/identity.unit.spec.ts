import { type ApiClientFacts } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { issueApiKey } from '../issuing-api-key/issue-api-key';
import { parseOrganisation } from '../organisation/organisation';
import { registerApiClient } from '../registering-api-client/register-api-client';
import { revokeApiKey } from '../revoking-api-key/revoke-api-key';

const HASH = '$2b$10$abcdefghijklmnopqrstuuB0l2v0h1Zr8m3yq5c6e7f8g9h0i1j2k';
const client: ApiClientFacts = { clientId: 'sia-connector', organisation: 'bailleur:SIA_HABITAT', name: 'SIA connector' };
const registered = { type: 'identity.ApiClientRegistered.v1', data: { clientId: 'sia-connector', organisation: 'bailleur:SIA_HABITAT', organisationKind: 'bailleur', name: 'SIA connector' } };
const issue = { clientId: 'sia-connector', keyId: 'k1', keyHash: HASH, issuedAt: '2026-11-22T00:00:00.000Z' };
const issued = { type: 'identity.ApiKeyIssued.v1', data: { ...issue, organisation: 'bailleur:SIA_HABITAT' } };
const revoke = { keyId: 'k1', revokedAt: '2026-11-23T00:00:00.000Z', reason: 'rotation' };
const revoked = { type: 'identity.ApiKeyRevoked.v1', data: { clientId: 'sia-connector', keyId: 'k1', revokedAt: '2026-11-23T00:00:00.000Z', reason: 'rotation' } };

describe('identity', () => {
  describe('organisations', () => {
    it('derives the kind from the prefix', () => {
      expect(parseOrganisation('delegation')).toEqual({ id: 'delegation', kind: 'delegation', code: null });
      expect(parseOrganisation('copil')).toEqual({ id: 'copil', kind: 'copil', code: null });
      expect(parseOrganisation('bailleur:MAISONS_ET_CITES')).toEqual({ id: 'bailleur:MAISONS_ET_CITES', kind: 'bailleur', code: 'MAISONS_ET_CITES' });
      expect(parseOrganisation('epci:CALL')?.kind).toBe('epci');
      expect(parseOrganisation('financer:ETAT')?.kind).toBe('financer');
    });
    it('refuses anything else', () => {
      for (const bad of ['', 'root', 'bailleur:', 'bailleur:lower', 'mairie:X1', 'delegation:X', 42, null]) expect(parseOrganisation(bad)).toBeNull();
    });
  });

  describe('RegisterApiClient', () => {
    it('registers a client of an organisation, with its kind', () =>
      given(registerApiClient, []).when({ clientId: 'sia-connector', organisation: 'bailleur:SIA_HABITAT', name: 'SIA connector' }).then([registered]));
    it('refuses a second registration and a malformed organisation', () => {
      given(registerApiClient, [registered]).when({ clientId: 'sia-connector', organisation: 'bailleur:SIA_HABITAT', name: 'x' }).thenThrows('CLIENT.ALREADY_REGISTERED');
      given(registerApiClient, []).when({ clientId: 'x', organisation: 'root', name: 'x' }).thenThrows('COMMAND.INVALID');
    });
    it('is reserved to the délégation (no owner)', () => expect(registerApiClient.owner?.({ clientId: 'x', organisation: 'copil', name: 'x' }, registerApiClient.aggregate.initialState(), {})).toBeNull());
  });

  describe('IssueApiKey', () => {
    it('issues a key to a known client, keeping only the hash and copying the organisation', () => given(issueApiKey, [], { client }).when(issue).then([issued]));
    it('refuses an unknown client, a reused key id and anything but a bcrypt hash', () => {
      given(issueApiKey, [], { client: null }).when(issue).thenThrows('CLIENT.NOT_FOUND');
      given(issueApiKey, [issued], { client }).when(issue).thenThrows('KEY.ALREADY_ISSUED');
      given(issueApiKey, [], { client }).when({ ...issue, keyHash: 'erbm_k1_plaintext-secret' }).thenThrows('COMMAND.INVALID');
    });
  });

  describe('RevokeApiKey', () => {
    it('revokes an active key', () => given(revokeApiKey, [issued]).when(revoke).then([revoked]));
    it('refuses an unknown key and a second revocation', () => {
      given(revokeApiKey, []).when(revoke).thenThrows('KEY.NOT_FOUND');
      given(revokeApiKey, [issued, revoked]).when(revoke).thenThrows('KEY.ALREADY_REVOKED');
    });
  });
});
