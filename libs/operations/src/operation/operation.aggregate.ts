import { type Aggregate, type OperationFacts, type OperationKind } from '@erbm/shared';
import { type DeliveryFigures, type Financing, type OperationEvent, type Phase, type PlannedDates } from './operation.events';

export interface OperationState {
  status: 'none' | 'active' | 'suspended' | 'abandoned';
  operationId: string | null;
  kind: OperationKind | null;
  citeId: string | null;
  epciCode: string | null;
  bailleurCode: string | null;
  ownerOrganisation: string | null;
  axisCode: string | null;
  financing: Financing | null;
  programmedOn: string | null;
  phase: Phase;
  /** Start date of each phase reached (ISO dates). */
  phaseStarts: Partial<Record<Phase, string>>;
  plannedDates: PlannedDates;
  plannedLogements: number;
  deliveries: Record<string, DeliveryFigures>;
  deliveredLogements: number;
  /** Latest business date seen in a status or phase event: later status changes cannot predate it. */
  lastStatusDate: string | null;
}

export const operationStream = (operationId: string): string => `operation-${operationId}`;

const initialState = (): OperationState => ({
  status: 'none',
  operationId: null,
  kind: null,
  citeId: null,
  epciCode: null,
  bailleurCode: null,
  ownerOrganisation: null,
  axisCode: null,
  financing: null,
  programmedOn: null,
  phase: 'programmation',
  phaseStarts: {},
  plannedDates: {},
  plannedLogements: 0,
  deliveries: {},
  deliveredLogements: 0,
  lastStatusDate: null,
});

export const operationAggregate: Aggregate<OperationState, OperationEvent> = {
  name: 'operation',
  version: 1,
  initialState,
  evolve(state, event) {
    switch (event.type) {
      case 'operation.LogementsOperationProgrammed.v1': {
        const d = event.data;
        return {
          ...state,
          status: 'active',
          operationId: d.operationId,
          kind: 'logements',
          citeId: d.citeId,
          epciCode: d.epciCode,
          bailleurCode: d.bailleurCode,
          ownerOrganisation: `bailleur:${d.bailleurCode}`,
          axisCode: d.axisCode,
          financing: d.financing,
          programmedOn: d.programmedOn,
          phaseStarts: { programmation: d.programmedOn },
          plannedDates: d.plannedDates,
          plannedLogements: d.plannedLogements,
          lastStatusDate: d.programmedOn,
        };
      }
      case 'operation.UrbanOperationProgrammed.v1': {
        const d = event.data;
        return {
          ...state,
          status: 'active',
          operationId: d.operationId,
          kind: 'urbaine',
          citeId: d.citeId,
          epciCode: d.epciCode,
          ownerOrganisation: `epci:${d.epciCode}`,
          axisCode: d.axisCode,
          programmedOn: d.programmedOn,
          phaseStarts: { programmation: d.programmedOn },
          plannedDates: d.plannedDates,
          lastStatusDate: d.programmedOn,
        };
      }
      case 'operation.PhaseStarted.v1':
        return {
          ...state,
          phase: event.data.phase,
          phaseStarts: { ...state.phaseStarts, [event.data.phase]: event.data.startedOn },
          lastStatusDate: event.data.startedOn,
        };
      case 'operation.PhasePlanRevised.v1':
        return { ...state, plannedDates: { ...state.plannedDates, [event.data.phase]: event.data.plannedOn } };
      case 'operation.OperationSuspended.v1':
        return { ...state, status: 'suspended', lastStatusDate: event.data.suspendedOn };
      case 'operation.OperationResumed.v1':
        return { ...state, status: 'active', lastStatusDate: event.data.resumedOn };
      case 'operation.OperationAbandoned.v1':
        return { ...state, status: 'abandoned', lastStatusDate: event.data.abandonedOn };
      case 'operation.LogementsDelivered.v1': {
        const { deliveryId, deliveredOn, logements, energyBefore, energyAfter } = event.data;
        return {
          ...state,
          deliveries: { ...state.deliveries, [deliveryId]: { deliveredOn, logements, energyBefore, energyAfter } },
          deliveredLogements: state.deliveredLogements + logements,
        };
      }
      case 'operation.LogementsDeliveryCorrected.v1': {
        const { deliveryId, deliveredOn, logements, energyBefore, energyAfter, previous } = event.data;
        return {
          ...state,
          deliveries: { ...state.deliveries, [deliveryId]: { deliveredOn, logements, energyBefore, energyAfter } },
          deliveredLogements: state.deliveredLogements - previous.logements + logements,
        };
      }
      case 'operation.PlannedLogementsAmended.v1':
        return { ...state, plannedLogements: event.data.plannedLogements };
    }
  },
};

/** Facts other contexts may use about an operation (null when it does not exist). */
export function operationFacts(state: OperationState): OperationFacts | null {
  if (state.status === 'none' || !state.operationId || !state.kind || !state.citeId || !state.epciCode || !state.ownerOrganisation) return null;
  return {
    operationId: state.operationId,
    kind: state.kind,
    citeId: state.citeId,
    epciCode: state.epciCode,
    bailleurCode: state.bailleurCode,
    ownerOrganisation: state.ownerOrganisation,
    axisCode: state.axisCode ?? '1a',
    travauxStartedOn: state.phaseStarts.travaux ?? null,
    programmedOn: state.programmedOn ?? '',
  };
}
