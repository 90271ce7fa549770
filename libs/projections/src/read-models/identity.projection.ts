import { type IdentityEvent } from '@erbm/identity';
import { projectionOf } from '../runner/batch-writer';
import { type TableSpec, defineReadModel, insert, update } from '../runner/row-changes';

export const AUTH_CLIENT: TableSpec = { name: 'auth_client', key: ['client_id'], columns: { client_id: 'text', organisation: 'text', name: 'text', registered_at: 'timestamptz' } };
export const AUTH_API_KEY: TableSpec = {
  name: 'auth_api_key',
  key: ['key_id'],
  columns: { key_id: 'text', client_id: 'text', organisation: 'text', issued_at: 'timestamptz', revoked_at: 'timestamptz' },
};

/** API clients and their keys, for the admin listing (GET /auth/clients). Never the key hashes. */
export const identityReadModel = defineReadModel<IdentityEvent>('identity', [AUTH_CLIENT, AUTH_API_KEY], {
  'identity.ApiClientRegistered.v1': {
    changes: (d, e) => [insert(AUTH_CLIENT, { client_id: d.clientId, organisation: d.organisation, name: d.name, registered_at: e.recordedAt })],
  },
  'identity.ApiKeyIssued.v1': { changes: (d) => [insert(AUTH_API_KEY, { key_id: d.keyId, client_id: d.clientId, organisation: d.organisation, issued_at: d.issuedAt })] },
  'identity.ApiKeyRevoked.v1': { changes: (d) => [update(AUTH_API_KEY, { key_id: d.keyId }, { revoked_at: d.revokedAt })] },
});

/**
 * The `identity` projection (own checkpoint): API clients and their keys, for the admin listing
 * (GET /auth/clients). Authentication does not read it: it folds the key's stream (ADR 0007).
 */
export const identityProjection = projectionOf({ name: 'identity', version: 1, models: [identityReadModel] });
