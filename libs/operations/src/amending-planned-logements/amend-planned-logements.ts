import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationEvent, type PlannedLogementsAmended } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/** `operation.AmendPlannedLogements`: the operation's planned logements change (never below those delivered). */
export interface AmendPlannedLogements {
  operationId: string;
  plannedLogements: number;
  amendedOn: string;
  reason: string;
}

export const amendPlannedLogements: UseCase<AmendPlannedLogements, OperationState, OperationEvent> = {
  type: 'operation.AmendPlannedLogements',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'plannedLogements', 'amendedOn', 'reason');
    const cmd = { operationId: c.id('operationId'), plannedLogements: c.integer('plannedLogements', 1, 100_000), amendedOn: c.date('amendedOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ amendedOn: cmd.amendedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): PlannedLogementsAmended[] {
    OperationRules.mustExist(state);
    OperationRules.mustBeLogements(state);
    OperationRules.mustBeInProgress(state);
    if (cmd.plannedLogements < state.deliveredLogements) {
      throw ruleViolated('OPERATION.PLANNED_BELOW_DELIVERED', `${state.deliveredLogements} logements are already delivered`, 'plannedLogements');
    }
    if (cmd.plannedLogements === state.plannedLogements) throw ruleViolated('OPERATION.AMENDMENT_UNCHANGED', 'The planned logements are unchanged', 'plannedLogements');
    return [
      {
        type: 'operation.PlannedLogementsAmended.v1',
        data: { operationId: cmd.operationId, previousPlannedLogements: state.plannedLogements, plannedLogements: cmd.plannedLogements, amendedOn: cmd.amendedOn, reason: cmd.reason },
      },
    ];
  },
};
