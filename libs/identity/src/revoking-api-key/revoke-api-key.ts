import { Check, type UseCase, conflict, notFound } from '@erbm/shared';
import { type ApiKeyState, apiKeyAggregate, apiKeyStream } from '../api-key/api-key.aggregate';
import { type ApiKeyEvent, type ApiKeyRevoked } from '../api-key/api-key.events';

/** `identity.RevokeApiKey`: the key stops authenticating at once; revocation is final. */
export interface RevokeApiKey {
  keyId: string;
  revokedAt: string;
  reason: string | null;
}

export const revokeApiKey: UseCase<RevokeApiKey, ApiKeyState, ApiKeyEvent> = {
  type: 'identity.RevokeApiKey',
  aggregate: apiKeyAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('keyId', 'revokedAt', 'reason');
    const cmd = { keyId: c.id('keyId'), revokedAt: c.string('revokedAt', 30, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/), reason: c.optionalString('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => apiKeyStream(cmd.keyId),
  owner: () => null,
  decide(cmd, state): ApiKeyRevoked[] {
    if (state.status === 'none' || !state.clientId) throw notFound('KEY.NOT_FOUND', `No key ${cmd.keyId}`, 'keyId');
    if (state.status === 'revoked') throw conflict('KEY.ALREADY_REVOKED', `Key ${cmd.keyId} was revoked on ${state.revokedAt}`);
    return [{ type: 'identity.ApiKeyRevoked.v1', data: { clientId: state.clientId, keyId: cmd.keyId, revokedAt: cmd.revokedAt, reason: cmd.reason } }];
  },
};
