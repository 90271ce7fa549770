import { type DomainEvent } from '@erbm/shared';
import { type OrganisationKind } from '../organisation/organisation';

/** `identity.ApiClientRegistered.v1`: a machine client (a bailleur's system, a BI tool…) of one organisation. */
export type ApiClientRegistered = DomainEvent<
  'identity.ApiClientRegistered.v1',
  { clientId: string; organisation: string; organisationKind: OrganisationKind; name: string }
>;

export type ApiClientEvent = ApiClientRegistered;

export const API_CLIENT_EVENT_TYPES = ['identity.ApiClientRegistered.v1'] as const satisfies readonly ApiClientEvent['type'][];
