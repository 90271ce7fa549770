import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationAbandoned, type OperationEvent } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/** `operation.AbandonOperation`: the operation is given up; final. Logements already delivered stay counted. */
export interface AbandonOperation {
  operationId: string;
  abandonedOn: string;
  reason: string;
}

export const abandonOperation: UseCase<AbandonOperation, OperationState, OperationEvent> = {
  type: 'operation.AbandonOperation',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'abandonedOn', 'reason');
    const cmd = { operationId: c.id('operationId'), abandonedOn: c.date('abandonedOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ abandonedOn: cmd.abandonedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): OperationAbandoned[] {
    OperationRules.mustExist(state);
    if (state.status === 'abandoned') throw ruleViolated('OPERATION.ABANDONED', 'The operation was already abandoned', 'operationId');
    if (state.phase === 'terminee') throw ruleViolated('OPERATION.TERMINATED', 'A terminée operation cannot be abandoned', 'operationId');
    OperationRules.notBeforeLastStatus(state, cmd.abandonedOn, 'abandonedOn');
    return [{ type: 'operation.OperationAbandoned.v1', data: { ...cmd } }];
  },
};
