import { Check, type UseCase } from '@erbm/shared';
import { type GrantState, grantAggregate, grantStream } from '../grant/grant.aggregate';
import { type GrantCancelled, type GrantEvent } from '../grant/grant.events';
import { GrantRules } from '../grant/grant.rules';

/** `funding.CancelGrant`: the grant is cancelled (its payments stay recorded). */
export interface CancelGrant {
  grantId: string;
  cancelledOn: string;
  reason: string;
}

export const cancelGrant: UseCase<CancelGrant, GrantState, GrantEvent> = {
  type: 'funding.CancelGrant',
  aggregate: grantAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('grantId', 'cancelledOn', 'reason');
    const cmd = { grantId: c.id('grantId'), cancelledOn: c.date('cancelledOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => grantStream(cmd.grantId),
  businessDates: (cmd) => ({ cancelledOn: cmd.cancelledOn }),
  owner: (_cmd, state) => (state.financerCode ? `financer:${state.financerCode}` : null),
  decide(cmd, state): GrantCancelled[] {
    GrantRules.mustExist(state);
    GrantRules.mustNotBeCancelled(state);
    GrantRules.notBeforeConvention(state, cmd.cancelledOn, 'cancelledOn');
    return [{ type: 'funding.GrantCancelled.v1', data: { ...cmd } }];
  },
};
