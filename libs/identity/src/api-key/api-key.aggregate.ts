import { type Aggregate } from '@erbm/shared';
import { type ApiKeyEvent } from './api-key.events';

export interface ApiKeyState {
  status: 'none' | 'active' | 'revoked';
  keyId: string | null;
  clientId: string | null;
  organisation: string | null;
  keyHash: string | null;
  issuedAt: string | null;
  revokedAt: string | null;
}

export const apiKeyStream = (keyId: string): string => `apikey-${keyId}`;

export const apiKeyAggregate: Aggregate<ApiKeyState, ApiKeyEvent> = {
  name: 'apiKey',
  version: 1,
  initialState: () => ({ status: 'none', keyId: null, clientId: null, organisation: null, keyHash: null, issuedAt: null, revokedAt: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.ApiKeyIssued.v1':
        return { ...state, status: 'active', keyId: event.data.keyId, clientId: event.data.clientId, organisation: event.data.organisation, keyHash: event.data.keyHash, issuedAt: event.data.issuedAt };
      case 'identity.ApiKeyRevoked.v1':
        return { ...state, status: 'revoked', revokedAt: event.data.revokedAt };
    }
  },
};
