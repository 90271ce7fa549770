import { type Aggregate, type ApiClientFacts } from '@erbm/shared';
import { type ApiClientEvent } from './api-client.events';

export interface ApiClientState {
  clientId: string | null;
  organisation: string | null;
  name: string | null;
}

export const apiClientStream = (clientId: string): string => `apiclient-${clientId}`;

export const apiClientAggregate: Aggregate<ApiClientState, ApiClientEvent> = {
  name: 'apiClient',
  version: 1,
  initialState: () => ({ clientId: null, organisation: null, name: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.ApiClientRegistered.v1':
        return { clientId: event.data.clientId, organisation: event.data.organisation, name: event.data.name };
    }
  },
};

/** Facts other use cases may ask about a client (null when it was never registered). */
export const apiClientFacts = (s: ApiClientState): ApiClientFacts | null =>
  s.clientId && s.organisation && s.name ? { clientId: s.clientId, organisation: s.organisation, name: s.name } : null;
