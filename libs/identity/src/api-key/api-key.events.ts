import { type DomainEvent } from '@erbm/shared';

/**
 * `identity.ApiKeyIssued.v1`: a key was issued to a client. Only the bcrypt hash of the key's secret is stored;
 * the key itself (`erbm_<keyId>_<secret>`) is shown once to whoever issued it. The client's organisation is copied
 * in, so authenticating a key reads one stream.
 */
export type ApiKeyIssued = DomainEvent<
  'identity.ApiKeyIssued.v1',
  { clientId: string; keyId: string; keyHash: string; issuedAt: string; organisation: string }
>;

/** `identity.ApiKeyRevoked.v1`: the key no longer authenticates (final). Rotation = issue a new key, then revoke the old. */
export type ApiKeyRevoked = DomainEvent<'identity.ApiKeyRevoked.v1', { clientId: string; keyId: string; revokedAt: string; reason: string | null }>;

export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

export const API_KEY_EVENT_TYPES = ['identity.ApiKeyIssued.v1', 'identity.ApiKeyRevoked.v1'] as const satisfies readonly ApiKeyEvent['type'][];
