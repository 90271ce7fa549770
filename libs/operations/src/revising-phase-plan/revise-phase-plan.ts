import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationEvent, PLANNABLE_PHASES, type PhasePlanRevised } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/** `operation.RevisePhasePlan`: a new planned start date for a phase not started yet. */
export interface RevisePhasePlan {
  operationId: string;
  phase: (typeof PLANNABLE_PHASES)[number];
  plannedOn: string;
  reason: string;
}

export const revisePhasePlan: UseCase<RevisePhasePlan, OperationState, OperationEvent> = {
  type: 'operation.RevisePhasePlan',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'phase', 'plannedOn', 'reason');
    const cmd = { operationId: c.id('operationId'), phase: c.oneOf('phase', PLANNABLE_PHASES), plannedOn: c.date('plannedOn'), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ plannedOn: cmd.plannedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): PhasePlanRevised[] {
    OperationRules.mustExist(state);
    if (state.status === 'abandoned') throw ruleViolated('OPERATION.ABANDONED', 'The operation was abandoned', 'operationId');
    if (state.phaseStarts[cmd.phase]) throw ruleViolated('OPERATION.PHASE_ALREADY_STARTED', `Phase ${cmd.phase} already started on ${state.phaseStarts[cmd.phase]}`, 'phase');
    if (state.kind === 'urbaine' && cmd.phase === 'livraisons') throw ruleViolated('OPERATION.PHASE_NOT_NEXT', 'Urban operations have no livraisons phase', 'phase');
    const previous = state.plannedDates[cmd.phase] ?? null;
    if (previous === cmd.plannedOn) throw ruleViolated('OPERATION.PLAN_UNCHANGED', 'The planned date is unchanged', 'plannedOn');
    return [{ type: 'operation.PhasePlanRevised.v1', data: { operationId: cmd.operationId, phase: cmd.phase, previousPlannedOn: previous, plannedOn: cmd.plannedOn, reason: cmd.reason } }];
  },
};
