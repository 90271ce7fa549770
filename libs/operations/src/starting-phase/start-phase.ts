import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, lastDeliveryDate, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationEvent, PHASES, type Phase, type PhaseStarted } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/** `operation.StartPhase`: the operation enters its next phase on `startedOn` (ISO date). */
export interface StartPhase {
  operationId: string;
  phase: Phase;
  startedOn: string;
}

export const startPhase: UseCase<StartPhase, OperationState, OperationEvent> = {
  type: 'operation.StartPhase',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'phase', 'startedOn');
    const cmd = { operationId: c.id('operationId'), phase: c.oneOf('phase', PHASES), startedOn: c.date('startedOn') };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ startedOn: cmd.startedOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): PhaseStarted[] {
    OperationRules.mustExist(state);
    OperationRules.mustBeInProgress(state);
    OperationRules.phaseIsNext(state, cmd.phase);
    OperationRules.notBeforeLastStatus(state, cmd.startedOn, 'startedOn');
    if (cmd.phase === 'terminee' && state.kind === 'logements') {
      if (state.deliveredLogements !== state.plannedLogements) {
        throw ruleViolated(
          'OPERATION.DELIVERIES_INCOMPLETE',
          `Réception needs all ${state.plannedLogements} planned logements delivered (${state.deliveredLogements} so far); amend the planned logements if the scope changed`,
          'phase',
        );
      }
      const lastDelivery = lastDeliveryDate(state);
      if (lastDelivery && cmd.startedOn < lastDelivery) {
        throw ruleViolated('OPERATION.DATE_BEFORE_PREVIOUS', `startedOn ${cmd.startedOn} is before the last delivery (${lastDelivery})`, 'startedOn');
      }
    }
    const plannedOn = cmd.phase === 'programmation' ? null : (state.plannedDates[cmd.phase] ?? null);
    return [{ type: 'operation.PhaseStarted.v1', data: { operationId: cmd.operationId, phase: cmd.phase, previousPhase: state.phase, startedOn: cmd.startedOn, plannedOn } }];
  },
};
