import { type AnyUseCase } from '@erbm/shared';
import { amendGrant } from './amending-grant/amend-grant';
import { cancelGrant } from './cancelling-grant/cancel-grant';
import { decideGrant } from './deciding-grant/decide-grant';
import { recordGrantPayment } from './recording-grant-payment/record-grant-payment';

export * from './grant/grant.events';
export * from './grant/grant.aggregate';
export * from './grant/grant.rules';
export * from './deciding-grant/decide-grant';
export * from './amending-grant/amend-grant';
export * from './recording-grant-payment/record-grant-payment';
export * from './cancelling-grant/cancel-grant';

/** Every command of the funding context. */
export const fundingUseCases: AnyUseCase[] = [decideGrant, amendGrant, recordGrantPayment, cancelGrant];
