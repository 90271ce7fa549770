import { type AnyUseCase } from '@erbm/shared';
import { issueApiKey } from './issuing-api-key/issue-api-key';
import { registerApiClient } from './registering-api-client/register-api-client';
import { revokeApiKey } from './revoking-api-key/revoke-api-key';

export * from './organisation/organisation';
export * from './api-client/api-client.events';
export * from './api-client/api-client.aggregate';
export * from './api-key/api-key.events';
export * from './api-key/api-key.aggregate';
export * from './registering-api-client/register-api-client';
export * from './issuing-api-key/issue-api-key';
export * from './revoking-api-key/revoke-api-key';

export type IdentityEvent = import('./api-client/api-client.events').ApiClientEvent | import('./api-key/api-key.events').ApiKeyEvent;

/** Every command of the identity context (délégation only: none has an owner). */
export const identityUseCases: AnyUseCase[] = [registerApiClient, issueApiKey, revokeApiKey];
