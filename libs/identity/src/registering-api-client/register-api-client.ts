import { Check, type UseCase, conflict } from '@erbm/shared';
import { type ApiClientState, apiClientAggregate, apiClientStream } from '../api-client/api-client.aggregate';
import { type ApiClientEvent, type ApiClientRegistered } from '../api-client/api-client.events';
import { ORGANISATION_PATTERN, parseOrganisation } from '../organisation/organisation';

/** `identity.RegisterApiClient`: the délégation registers a machine client of an organisation. */
export interface RegisterApiClient {
  clientId: string;
  organisation: string;
  name: string;
}

export const registerApiClient: UseCase<RegisterApiClient, ApiClientState, ApiClientEvent> = {
  type: 'identity.RegisterApiClient',
  aggregate: apiClientAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('clientId', 'organisation', 'name');
    const cmd = { clientId: c.id('clientId'), organisation: c.string('organisation', 60, ORGANISATION_PATTERN), name: c.string('name', 200) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => apiClientStream(cmd.clientId),
  owner: () => null,
  decide(cmd, state): ApiClientRegistered[] {
    if (state.clientId !== null) throw conflict('CLIENT.ALREADY_REGISTERED', `Client ${cmd.clientId} is already registered`);
    const organisation = parseOrganisation(cmd.organisation);
    // parse guarantees the pattern
    return [{ type: 'identity.ApiClientRegistered.v1', data: { clientId: cmd.clientId, organisation: cmd.organisation, organisationKind: organisation!.kind, name: cmd.name } }];
  },
};
