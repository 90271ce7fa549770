import { API_CLIENT_EVENT_TYPES } from '../api-client/api-client.events';
import { type IdentityEvent } from '../index';
import { API_KEY_EVENT_TYPES } from './api-key.events';

// Pins the serialized JSON of every identity event type (docs/events.md#versioning).
const HASH = '$2b$10$abcdefghijklmnopqrstuuB0l2v0h1Zr8m3yq5c6e7f8g9h0i1j2k';
const examples: IdentityEvent[] = [
  { type: 'identity.ApiClientRegistered.v1', data: { clientId: 'sia-connector', organisation: 'bailleur:SIA_HABITAT', organisationKind: 'bailleur', name: 'SIA Habitat — connecteur' } },
  { type: 'identity.ApiKeyIssued.v1', data: { clientId: 'sia-connector', keyId: 'k3f9a1c2e4b6d8f0', keyHash: HASH, issuedAt: '2026-11-22T00:00:00.000Z', organisation: 'bailleur:SIA_HABITAT' } },
  { type: 'identity.ApiKeyRevoked.v1', data: { clientId: 'sia-connector', keyId: 'k3f9a1c2e4b6d8f0', revokedAt: '2026-12-01T08:00:00.000Z', reason: 'rotation' } },
];

describe('identity events: stored JSON', () => {
  it('has one example per event type', () => expect(examples.map((e) => e.type).sort()).toEqual([...API_CLIENT_EVENT_TYPES, ...API_KEY_EVENT_TYPES].sort()));
  it.each(examples.map((e) => [e.type, e]))('%s', (_type, event) => expect(JSON.stringify(event)).toMatchSnapshot());
});
