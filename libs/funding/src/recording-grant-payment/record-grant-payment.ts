import { Check, type UseCase, conflict } from '@erbm/shared';
import { type GrantState, grantAggregate, grantStream } from '../grant/grant.aggregate';
import { type GrantEvent, type GrantPaymentMade } from '../grant/grant.events';
import { GrantRules } from '../grant/grant.rules';

/** `funding.RecordGrantPayment`: an instalment paid on a grant, in cents; total paid never exceeds the amount. */
export interface RecordGrantPayment {
  grantId: string;
  paymentId: string;
  paidOn: string;
  amountCents: number;
}

export const recordGrantPayment: UseCase<RecordGrantPayment, GrantState, GrantEvent> = {
  type: 'funding.RecordGrantPayment',
  aggregate: grantAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('grantId', 'paymentId', 'paidOn', 'amountCents');
    const cmd = { grantId: c.id('grantId'), paymentId: c.id('paymentId'), paidOn: c.date('paidOn'), amountCents: c.integer('amountCents', 1) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => grantStream(cmd.grantId),
  businessDates: (cmd) => ({ paidOn: cmd.paidOn }),
  owner: (_cmd, state) => (state.financerCode ? `financer:${state.financerCode}` : null),
  decide(cmd, state): GrantPaymentMade[] {
    GrantRules.mustExist(state);
    GrantRules.mustNotBeCancelled(state);
    if (state.paymentIds.includes(cmd.paymentId)) throw conflict('GRANT.PAYMENT_ALREADY_RECORDED', `Payment ${cmd.paymentId} is already recorded`);
    GrantRules.notBeforeConvention(state, cmd.paidOn, 'paidOn');
    GrantRules.paymentsWithinAmount(state, cmd.amountCents);
    return [{ type: 'funding.GrantPaymentMade.v1', data: { ...cmd } }];
  },
};
