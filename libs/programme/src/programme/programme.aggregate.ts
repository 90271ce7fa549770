import { type Aggregate, type ProgrammeFacts } from '@erbm/shared';
import { type Axis, type ProgrammeEvent } from './programme.events';

/**
 * One version of the programme's headline target (from `programme.TargetSet.v1`).
 * `logements` is a count; `energyGoalKwhPerM2Year` is integer primary energy in kWhEP/m².an; dates are ISO.
 * ERBM version 1: 23 000 logements, < 130 kWh/m², by 2027-12-31 (REFERENCE.md §1, seeds `002`).
 */
export interface ProgrammeTarget {
  targetVersion: number;
  logements: number;
  energyGoalKwhPerM2Year: number;
  targetDate: string;
  effectiveFrom: string;
  source: string;
}

/** One published axis set (from `programme.AxisSetPublished.v1`); REFERENCE.md §2. */
export interface AxisSet {
  axisSetVersion: string;
  effectiveFrom: string;
  axes: Axis[];
  source: string;
}

/**
 * Folded state of a programme stream: its identity and period, the current (latest) target version and every
 * published axis set in publication order. `status` is `none` until `programme.ProgrammeLaunched.v1`.
 */
export interface ProgrammeState {
  status: 'none' | 'launched';
  programmeId: string | null;
  name: string | null;
  /** ISO date of the signature. */
  signedOn: string | null;
  startYear: number | null;
  endYear: number | null;
  /** The latest target version, or null before the first `programme.TargetSet.v1`. */
  target: ProgrammeTarget | null;
  axisSets: AxisSet[];
}

/** Stream id of a programme: `programme-<programmeId>` (`programme-erbm`). */
export const programmeStream = (programmeId: string): string => `programme-${programmeId}`;

/** The programme aggregate (name `programme`): launch, versioned targets and axis sets. */
export const programmeAggregate: Aggregate<ProgrammeState, ProgrammeEvent> = {
  name: 'programme',
  version: 1,
  initialState: () => ({ status: 'none', programmeId: null, name: null, signedOn: null, startYear: null, endYear: null, target: null, axisSets: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'programme.ProgrammeLaunched.v1':
        return {
          ...state,
          status: 'launched',
          programmeId: event.data.programmeId,
          name: event.data.name,
          signedOn: event.data.signedOn,
          startYear: event.data.startYear,
          endYear: event.data.endYear,
        };
      case 'programme.TargetSet.v1': {
        const { targetVersion, logements, energyGoalKwhPerM2Year, targetDate, effectiveFrom, source } = event.data;
        return { ...state, target: { targetVersion, logements, energyGoalKwhPerM2Year, targetDate, effectiveFrom, source } };
      }
      case 'programme.AxisSetPublished.v1': {
        const { axisSetVersion, effectiveFrom, axes, source } = event.data;
        return { ...state, axisSets: [...state.axisSets, { axisSetVersion, effectiveFrom, axes, source }] };
      }
    }
  },
};

/**
 * The programme's current target (its latest version), or null when the programme is not launched or has no target
 * yet. Units: `logements` count, `energyGoalKwhPerM2Year` integer kWhEP/m².an, ISO dates.
 */
export function currentTarget(state: ProgrammeState): ProgrammeTarget | null {
  return state.status === 'launched' ? state.target : null;
}

/**
 * The axis set in effect on an ISO date: among the sets with `effectiveFrom` ≤ `on`, the one effective latest
 * (the last published on ties). Null when none applies yet.
 */
export function axisSetInEffect(state: ProgrammeState, on: string): AxisSet | null {
  let found: AxisSet | null = null;
  for (const set of state.axisSets) {
    if (set.effectiveFrom <= on && (found === null || set.effectiveFrom >= found.effectiveFrom)) found = set;
  }
  return found;
}

/**
 * The programme's reference dates as other contexts see them (the business-date window, ADR 0017): signature date,
 * last year and the target date in force; null until `programme.ProgrammeLaunched.v1`.
 */
export function programmeFacts(state: ProgrammeState): ProgrammeFacts | null {
  if (state.status !== 'launched' || !state.programmeId || !state.signedOn || state.endYear === null) return null;
  return { programmeId: state.programmeId, signedOn: state.signedOn, endYear: state.endYear, targetDate: state.target?.targetDate ?? null };
}
