import { type ApiClientFacts, Check, type UseCase, conflict, notFound } from '@erbm/shared';
import { type ApiKeyState, apiKeyAggregate, apiKeyStream } from '../api-key/api-key.aggregate';
import { type ApiKeyEvent, type ApiKeyIssued } from '../api-key/api-key.events';

/**
 * `identity.IssueApiKey`: a new key for a client. The caller generates the key and hashes its secret (bcrypt);
 * only the hash reaches the command. `issuedAt` comes from the caller's clock.
 */
export interface IssueApiKey {
  clientId: string;
  keyId: string;
  keyHash: string;
  issuedAt: string;
}

export interface IssueApiKeyContext {
  client: ApiClientFacts | null;
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export const issueApiKey: UseCase<IssueApiKey, ApiKeyState, ApiKeyEvent, IssueApiKeyContext> = {
  type: 'identity.IssueApiKey',
  aggregate: apiKeyAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('clientId', 'keyId', 'keyHash', 'issuedAt');
    const cmd = { clientId: c.id('clientId'), keyId: c.id('keyId'), keyHash: c.string('keyHash', 60, BCRYPT_HASH), issuedAt: c.string('issuedAt', 30, DATE_TIME) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => apiKeyStream(cmd.keyId),
  lookups: (cmd) => ({ client: { fact: 'apiClient', id: cmd.clientId } }),
  owner: () => null,
  decide(cmd, state, { client }): ApiKeyIssued[] {
    if (state.status !== 'none') throw conflict('KEY.ALREADY_ISSUED', `Key ${cmd.keyId} already exists`);
    if (!client) throw notFound('CLIENT.NOT_FOUND', `Unknown client ${cmd.clientId}`, 'clientId');
    return [{ type: 'identity.ApiKeyIssued.v1', data: { clientId: cmd.clientId, keyId: cmd.keyId, keyHash: cmd.keyHash, issuedAt: cmd.issuedAt, organisation: client.organisation } }];
  },
};
