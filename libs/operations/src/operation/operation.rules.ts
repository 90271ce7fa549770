import { type CiteFacts, conflict, notFound, ruleViolated } from '@erbm/shared';
import { type OperationState } from './operation.aggregate';
import { type EnergyPerformance, dpeClassConsistent, energyClass2021 } from './energy';
import { PHASES, type Phase } from './operation.events';

/** Named business rules of operations; each throws a DomainError with the code given. */
export const OperationRules = {
  /** OPERATION.NOT_FOUND (404) */
  mustExist(state: OperationState): void {
    if (state.status === 'none') throw notFound('OPERATION.NOT_FOUND', 'No operation with this id', 'operationId');
  },
  /** OPERATION.ALREADY_PROGRAMMED (409) */
  mustNotExist(state: OperationState, operationId: string): void {
    if (state.status !== 'none') throw conflict('OPERATION.ALREADY_PROGRAMMED', `Operation ${operationId} already exists`);
  },
  /** OPERATION.ABANDONED / OPERATION.SUSPENDED / OPERATION.TERMINATED (422): the operation must be in progress. */
  mustBeInProgress(state: OperationState): void {
    if (state.status === 'abandoned') throw ruleViolated('OPERATION.ABANDONED', 'The operation was abandoned', 'operationId');
    if (state.status === 'suspended') throw ruleViolated('OPERATION.SUSPENDED', 'The operation is suspended; resume it first', 'operationId');
    if (state.phase === 'terminee') throw ruleViolated('OPERATION.TERMINATED', 'The operation is terminée (réception done)', 'operationId');
  },
  /** OPERATION.NOT_LOGEMENTS (422) */
  mustBeLogements(state: OperationState): void {
    if (state.kind !== 'logements') throw ruleViolated('OPERATION.NOT_LOGEMENTS', 'Only logements operations deliver logements', 'operationId');
  },
  /**
   * Only the next phase may start; `livraisons` may be skipped from `travaux`; urban operations have no
   * `livraisons`. OPERATION.PHASE_NOT_NEXT (422)
   */
  phaseIsNext(state: OperationState, phase: Phase): void {
    const from = PHASES.indexOf(state.phase);
    const to = PHASES.indexOf(phase);
    const skipDeliveries = state.phase === 'travaux' && phase === 'terminee';
    const allowed = (to === from + 1 && !(state.kind === 'urbaine' && phase === 'livraisons')) || skipDeliveries;
    if (!allowed) throw ruleViolated('OPERATION.PHASE_NOT_NEXT', `Cannot go from phase ${state.phase} to ${phase}`, 'phase');
  },
  /** OPERATION.DATE_BEFORE_PREVIOUS (422): business dates of phases and status changes never go backwards. */
  notBeforeLastStatus(state: OperationState, date: string, field: string): void {
    if (state.lastStatusDate && date < state.lastStatusDate) {
      throw ruleViolated('OPERATION.DATE_BEFORE_PREVIOUS', `${field} ${date} is before the operation's previous step (${state.lastStatusDate})`, field);
    }
  },
  /** OPERATION.DELIVERY_OUTSIDE_WORKS (422): deliveries happen in phases travaux or livraisons. */
  inWorks(state: OperationState): void {
    if (state.phase !== 'travaux' && state.phase !== 'livraisons') {
      throw ruleViolated('OPERATION.DELIVERY_OUTSIDE_WORKS', `Deliveries are recorded in phases travaux or livraisons, not ${state.phase}`, 'operationId');
    }
  },
  /** OPERATION.DELIVERY_BEFORE_WORKS (422): a delivery cannot predate the start of travaux. */
  deliveredAfterWorksStart(state: OperationState, deliveredOn: string): void {
    const start = state.phaseStarts.travaux;
    if (!start || deliveredOn < start) {
      throw ruleViolated('OPERATION.DELIVERY_BEFORE_WORKS', `deliveredOn ${deliveredOn} is before travaux started (${start ?? 'not started'})`, 'deliveredOn');
    }
  },
  /** OPERATION.DELIVERY_EXCEEDS_PLANNED (422): never deliver more than planned without an amendment. */
  withinPlanned(state: OperationState, deliveredAfter: number): void {
    if (deliveredAfter > state.plannedLogements) {
      throw ruleViolated(
        'OPERATION.DELIVERY_EXCEEDS_PLANNED',
        `Deliveries would total ${deliveredAfter} logements, above the ${state.plannedLogements} planned; amend the planned logements first`,
        'logements',
      );
    }
  },
  /** ENERGY.DPE_CLASS_INCONSISTENT (422): the DPE class cannot be better than primary energy allows. */
  energyConsistent(energy: EnergyPerformance, field: string): void {
    if (!dpeClassConsistent(energy)) {
      throw ruleViolated(
        'ENERGY.DPE_CLASS_INCONSISTENT',
        `DPE class ${energy.dpeClass} is better than the ${energyClass2021(energy.primaryEnergyKwhPerM2Year)} that ${energy.primaryEnergyKwhPerM2Year} kWhEP/m².an gives on the 2021 scale`,
        `${field}.dpeClass`,
      );
    }
  },
};

/** CITE.NOT_FOUND (404): the cité must be registered. */
export function citeMustExist(cite: CiteFacts | null, citeId: string): asserts cite is CiteFacts {
  if (!cite) throw notFound('CITE.NOT_FOUND', `Unknown cité ${citeId}`, 'citeId');
}
