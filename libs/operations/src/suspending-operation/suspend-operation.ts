import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationEvent, type OperationResumed, type OperationSuspended } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/** `operation.SuspendOperation`: work stops on `suspendedOn`; phases, deliveries and plans wait for a resumption. */
export interface SuspendOperation {
  operationId: string;
  suspendedOn: string;
  reason: string;
}

export const suspendOperation: UseCase<SuspendOperation, OperationState, OperationEvent> = {
  type: 'operation.SuspendOperation',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'suspendedOn', 'reason');
    const cmd = { operationId: c.id('operationId'), suspendedOn: c.date('suspendedOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ suspendedOn: cmd.suspendedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): OperationSuspended[] {
    OperationRules.mustExist(state);
    OperationRules.mustBeInProgress(state);
    OperationRules.notBeforeLastStatus(state, cmd.suspendedOn, 'suspendedOn');
    return [{ type: 'operation.OperationSuspended.v1', data: { ...cmd } }];
  },
};

/** `operation.ResumeOperation`: a suspended operation resumes on `resumedOn`, in the phase it was in. */
export interface ResumeOperation {
  operationId: string;
  resumedOn: string;
}

export const resumeOperation: UseCase<ResumeOperation, OperationState, OperationEvent> = {
  type: 'operation.ResumeOperation',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'resumedOn');
    const cmd = { operationId: c.id('operationId'), resumedOn: c.date('resumedOn') };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ resumedOn: cmd.resumedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): OperationResumed[] {
    OperationRules.mustExist(state);
    if (state.status !== 'suspended') throw ruleViolated('OPERATION.NOT_SUSPENDED', 'Only a suspended operation can resume', 'operationId');
    OperationRules.notBeforeLastStatus(state, cmd.resumedOn, 'resumedOn');
    return [{ type: 'operation.OperationResumed.v1', data: { ...cmd } }];
  },
};
