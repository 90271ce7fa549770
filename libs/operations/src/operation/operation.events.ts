import { type DomainEvent } from '@erbm/shared';
import { type EnergyPerformance } from './energy';

/**
 * Phases of a cité renovation operation, in order (vocabulary of seeds 003 and 002, REFERENCE.md §6):
 * `programmation` (schéma directeur, SD) → `etudes` (diagnostic / études) → `avp` (avant-projet) →
 * `autorisation` (autorisation de travaux) → `travaux` (ordre de service) → `livraisons` → `terminee` (réception).
 */
export const PHASES = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee'] as const;
export type Phase = (typeof PHASES)[number];
/** Phases a plan can give dates for (all but the initial one). */
export const PLANNABLE_PHASES = PHASES.slice(1) as Exclude<Phase, 'programmation'>[];
export type PlannedDates = Partial<Record<Exclude<Phase, 'programmation'>, string>>;

/** `erbm`: subsidised under ERBM; `fonds-propres`: financed by the bailleur alone (counted in logements livrés). */
export type Financing = 'erbm' | 'fonds-propres';
export const LOT_TYPES = ['PALULOS', 'PLUS', 'PLAI', 'PLS', 'FONDS_PROPRES', 'AUTRE'] as const;
/** A financing lot (SIAP/APiLos: opération → lot per financing type → logements). */
export interface Lot {
  lotType: (typeof LOT_TYPES)[number];
  logements: number;
}

/** `operation.LogementsOperationProgrammed.v1`: a bailleur's renovation of logements in a cité was programmed. */
export type LogementsOperationProgrammed = DomainEvent<
  'operation.LogementsOperationProgrammed.v1',
  {
    operationId: string;
    citeId: string;
    epciCode: string;
    bailleurCode: string;
    title: string;
    plannedLogements: number;
    financing: Financing;
    axisCode: string;
    lots: Lot[];
    programmedOn: string;
    plannedDates: PlannedDates;
  }
>;

/** `operation.UrbanOperationProgrammed.v1`: renovation of a cité's public spaces, led by a commune or the EPCI. */
export type UrbanOperationProgrammed = DomainEvent<
  'operation.UrbanOperationProgrammed.v1',
  {
    operationId: string;
    citeId: string;
    epciCode: string;
    leadKind: 'commune' | 'epci';
    leadName: string;
    title: string;
    axisCode: string;
    programmedOn: string;
    plannedDates: PlannedDates;
  }
>;

/** `operation.PhaseStarted.v1`: the operation entered `phase` on `startedOn`; `plannedOn` is what was planned then. */
export type PhaseStarted = DomainEvent<
  'operation.PhaseStarted.v1',
  { operationId: string; phase: Phase; previousPhase: Phase; startedOn: string; plannedOn: string | null }
>;

/** `operation.PhasePlanRevised.v1`: the planned start date of a phase not yet started was changed. */
export type PhasePlanRevised = DomainEvent<
  'operation.PhasePlanRevised.v1',
  { operationId: string; phase: Phase; previousPlannedOn: string | null; plannedOn: string; reason: string }
>;

/** `operation.OperationSuspended.v1` */
export type OperationSuspended = DomainEvent<'operation.OperationSuspended.v1', { operationId: string; suspendedOn: string; reason: string }>;
/** `operation.OperationResumed.v1` */
export type OperationResumed = DomainEvent<'operation.OperationResumed.v1', { operationId: string; resumedOn: string }>;
/** `operation.OperationAbandoned.v1`: final; the operation accepts no further change but corrections. */
export type OperationAbandoned = DomainEvent<'operation.OperationAbandoned.v1', { operationId: string; abandonedOn: string; reason: string }>;

/**
 * `operation.LogementsDelivered.v1`: `logements` renovated logements were delivered on `deliveredOn`, with their
 * energy performance before and after works. Cité, EPCI and bailleur are copied in for reporting.
 */
export type LogementsDelivered = DomainEvent<
  'operation.LogementsDelivered.v1',
  {
    operationId: string;
    deliveryId: string;
    deliveredOn: string;
    logements: number;
    energyBefore: EnergyPerformance;
    energyAfter: EnergyPerformance;
    citeId: string;
    epciCode: string;
    bailleurCode: string;
  }
>;

export interface DeliveryFigures {
  deliveredOn: string;
  logements: number;
  energyBefore: EnergyPerformance;
  energyAfter: EnergyPerformance;
}

/** `operation.LogementsDeliveryCorrected.v1`: compensating event replacing a delivery's figures (the original stays). */
export type LogementsDeliveryCorrected = DomainEvent<
  'operation.LogementsDeliveryCorrected.v1',
  { operationId: string; deliveryId: string; previous: DeliveryFigures; reason: string } & DeliveryFigures
>;

/** `operation.PlannedLogementsAmended.v1`: the number of logements the operation will renovate was amended. */
export type PlannedLogementsAmended = DomainEvent<
  'operation.PlannedLogementsAmended.v1',
  { operationId: string; previousPlannedLogements: number; plannedLogements: number; amendedOn: string; reason: string }
>;

export type OperationEvent =
  | LogementsOperationProgrammed
  | UrbanOperationProgrammed
  | PhaseStarted
  | PhasePlanRevised
  | OperationSuspended
  | OperationResumed
  | OperationAbandoned
  | LogementsDelivered
  | LogementsDeliveryCorrected
  | PlannedLogementsAmended;

export const OPERATION_EVENT_TYPES = [
  'operation.LogementsOperationProgrammed.v1',
  'operation.UrbanOperationProgrammed.v1',
  'operation.PhaseStarted.v1',
  'operation.PhasePlanRevised.v1',
  'operation.OperationSuspended.v1',
  'operation.OperationResumed.v1',
  'operation.OperationAbandoned.v1',
  'operation.LogementsDelivered.v1',
  'operation.LogementsDeliveryCorrected.v1',
  'operation.PlannedLogementsAmended.v1',
] as const satisfies readonly OperationEvent['type'][];
