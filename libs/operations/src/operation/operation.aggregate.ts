import { type Aggregate, type DomainEvent, type KeyedLookup, type OperationFacts, type OperationKind } from '@erbm/shared';
import { type EnergyPerformance } from './energy';
import { type DeliveryFigures, type Financing, type OperationEvent, type Phase, type PlannedDates } from './operation.events';

/**
 * What the operation's decisions need, and nothing that grows with its deliveries: a delivery's own figures are
 * read by key with the state when a command names it (`deliveryKeyed`, docs/adr/0023), so the state, its snapshot
 * and a fold step stay the same size however many deliveries the operation has.
 */
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
  /** Logements delivered, corrections included (sum of the deliveries' current figures). */
  deliveredLogements: number;
  /**
   * Number of deliveries by their current delivery date (ISO date → count, corrections included; no zero counts):
   * the last delivery date is its greatest key. Grows with distinct dates, not with deliveries.
   */
  deliveryDates: Record<string, number>;
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
  deliveryDates: {},
  deliveredLogements: 0,
  lastStatusDate: null,
});

export const operationAggregate: Aggregate<OperationState, OperationEvent> = {
  name: 'operation',
  // 2: no per-delivery figures in the state (ADR 0023); snapshots of version 1 are never read.
  version: 2,
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
      case 'operation.LogementsDelivered.v1':
        return {
          ...state,
          deliveredLogements: state.deliveredLogements + event.data.logements,
          deliveryDates: countDate(state.deliveryDates, event.data.deliveredOn, 1),
        };
      case 'operation.LogementsDeliveryCorrected.v1': {
        const { deliveredOn, logements, previous } = event.data;
        return {
          ...state,
          deliveredLogements: state.deliveredLogements - previous.logements + logements,
          deliveryDates: deliveredOn === previous.deliveredOn ? state.deliveryDates : countDate(countDate(state.deliveryDates, previous.deliveredOn, -1), deliveredOn, 1),
        };
      }
      case 'operation.PlannedLogementsAmended.v1':
        return { ...state, plannedLogements: event.data.plannedLogements };
    }
  },
};

/** `dates` with `date`'s count moved by `by` (a count reaching 0 is removed); a new object. */
function countDate(dates: Record<string, number>, date: string, by: number): Record<string, number> {
  const next = { ...dates, [date]: (dates[date] ?? 0) + by };
  if (next[date] <= 0) delete next[date];
  return next;
}

/** The latest current delivery date of the operation (ISO date), or null before any delivery. */
export function lastDeliveryDate(state: OperationState): string | null {
  let last: string | null = null;
  for (const d in state.deliveryDates) if (last === null || d > last) last = d;
  return last;
}

/** Context key of the delivery a command names: the stream's latest event of that `deliveryId`. */
export interface DeliveryContext {
  /** `operation.LogementsDelivered.v1` or `operation.LogementsDeliveryCorrected.v1` of the delivery; null: not recorded. */
  delivery: DomainEvent | null;
}

/** The keyed lookup of the delivery `deliveryId` (the executor reads it with the operation's state). */
export const deliveryKeyed = (deliveryId: string): KeyedLookup<'delivery'> => ({ field: 'deliveryId', value: deliveryId, as: 'delivery' });

const energyOf = ({ primaryEnergyKwhPerM2Year, dpeClass, dpeScale }: EnergyPerformance): EnergyPerformance => ({ primaryEnergyKwhPerM2Year, dpeClass, dpeScale });

/**
 * The current figures of a delivery from its latest event (recorded or corrected), fields in a fixed order (the
 * store's `jsonb` does not keep the order of keys); null when not recorded.
 */
export function deliveryFigures(event: DomainEvent | null): DeliveryFigures | null {
  if (!event) return null;
  const { deliveredOn, logements, energyBefore, energyAfter } = event.data as DeliveryFigures;
  return { deliveredOn, logements, energyBefore: energyOf(energyBefore), energyAfter: energyOf(energyAfter) };
}

/** Whether two deliveries' figures are the same (whatever the order of their keys). */
export const sameDeliveryFigures = (a: DeliveryFigures, b: DeliveryFigures): boolean =>
  a.deliveredOn === b.deliveredOn &&
  a.logements === b.logements &&
  JSON.stringify(energyOf(a.energyBefore)) === JSON.stringify(energyOf(b.energyBefore)) &&
  JSON.stringify(energyOf(a.energyAfter)) === JSON.stringify(energyOf(b.energyAfter));

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
