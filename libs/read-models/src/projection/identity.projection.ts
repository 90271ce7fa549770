import { type RecordedEvent } from '@erbm/event-store';
import { type IdentityEvent } from '@erbm/identity';
import { type EntityManager } from 'typeorm';
import { type Projection } from './projection';

/**
 * The `identity` projection (own checkpoint): API clients and their keys, for the admin listing
 * (GET /auth/clients). Never the key hashes. Authentication does not read it: it folds the key's stream (ADR 0007).
 */
export const identityProjection: Projection = {
  name: 'identity',
  version: 1,
  tables: ['auth_client', 'auth_api_key'],
  async apply(m: EntityManager, recorded: RecordedEvent): Promise<void> {
    if (!recorded.type.startsWith('identity.')) return;
    const e = { type: recorded.type, data: recorded.data } as IdentityEvent;
    switch (e.type) {
      case 'identity.ApiClientRegistered.v1':
        await m.query('INSERT INTO auth_client (client_id, organisation, name, registered_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [
          e.data.clientId, e.data.organisation, e.data.name, recorded.recordedAt,
        ]);
        return;
      case 'identity.ApiKeyIssued.v1':
        await m.query('INSERT INTO auth_api_key (key_id, client_id, organisation, issued_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [
          e.data.keyId, e.data.clientId, e.data.organisation, e.data.issuedAt,
        ]);
        return;
      case 'identity.ApiKeyRevoked.v1':
        await m.query('UPDATE auth_api_key SET revoked_at = $2 WHERE key_id = $1', [e.data.keyId, e.data.revokedAt]);
        return;
    }
  },
};
