import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type GrantState, grantAggregate, grantStream } from '../grant/grant.aggregate';
import { type GrantAmended, type GrantEvent } from '../grant/grant.events';
import { GrantRules } from '../grant/grant.rules';

/** `funding.AmendGrant`: sets the grant's new total amount (cents), never below what is already paid. */
export interface AmendGrant {
  grantId: string;
  amountCents: number;
  amendedOn: string;
  reason: string;
}

export const amendGrant: UseCase<AmendGrant, GrantState, GrantEvent> = {
  type: 'funding.AmendGrant',
  aggregate: grantAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('grantId', 'amountCents', 'amendedOn', 'reason');
    const cmd = { grantId: c.id('grantId'), amountCents: c.integer('amountCents', 1), amendedOn: c.date('amendedOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => grantStream(cmd.grantId),
  businessDates: (cmd) => ({ amendedOn: cmd.amendedOn }),
  owner: (_cmd, state) => (state.financerCode ? `financer:${state.financerCode}` : null),
  decide(cmd, state): GrantAmended[] {
    GrantRules.mustExist(state);
    GrantRules.mustNotBeCancelled(state);
    GrantRules.notBeforeConvention(state, cmd.amendedOn, 'amendedOn');
    if (cmd.amountCents < state.paidCents) {
      throw ruleViolated('GRANT.AMOUNT_BELOW_PAID', `New amount ${cmd.amountCents} cents is below the ${state.paidCents} cents already paid`, 'amountCents');
    }
    if (cmd.amountCents === state.amountCents) throw ruleViolated('GRANT.AMENDMENT_UNCHANGED', 'The amendment does not change the amount', 'amountCents');
    return [
      { type: 'funding.GrantAmended.v1', data: { grantId: cmd.grantId, previousAmountCents: state.amountCents, amountCents: cmd.amountCents, amendedOn: cmd.amendedOn, reason: cmd.reason } },
    ];
  },
};
