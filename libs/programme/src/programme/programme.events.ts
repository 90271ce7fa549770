import { type DomainEvent } from '@erbm/shared';

/**
 * `programme.ProgrammeLaunched.v1`: the programme was signed and starts. Stream `programme-<programmeId>`.
 * - `programmeId`: kebab-case id (`erbm`);
 * - `signedOn`: ISO date of the signature (ERBM: `2017-03-07` at Oignies, REFERENCE.md §1, seeds `000`, `002`);
 * - `startYear`, `endYear`: calendar years of the programme (ERBM: 2017–2027, 10 years, REFERENCE.md §1).
 */
export type ProgrammeLaunched = DomainEvent<
  'programme.ProgrammeLaunched.v1',
  { programmeId: string; name: string; signedOn: string; startYear: number; endYear: number }
>;

/**
 * `programme.TargetSet.v1`: a new version of the programme's headline target. Stream `programme-<programmeId>`.
 * - `targetVersion`: 1, 2, … (each version is exactly the previous one + 1);
 * - `logements`: number of logements miniers to renovate (integer > 0);
 * - `energyGoalKwhPerM2Year`: consumption goal after renovation, integer primary energy in kWhEP/m².an (> 0);
 * - `targetDate`, `effectiveFrom`: ISO dates (the target's horizon, and the day this version applies from);
 * - `source`: where the figures come from.
 *
 * The target is versioned, not a constant: seeds `002` state 23 000 logements and < 130 kWh/m² (REFERENCE.md §1),
 * while press sources also quote 24 000 and 30 000 logements, and public sources "étiquette C" or
 * "BBC Rénovation < 104 kWh/m²".
 */
export type TargetSet = DomainEvent<
  'programme.TargetSet.v1',
  {
    programmeId: string;
    targetVersion: number;
    logements: number;
    energyGoalKwhPerM2Year: number;
    targetDate: string;
    effectiveFrom: string;
    source: string;
  }
>;

/**
 * One axis or sub-axis of the programme's reporting structure (REFERENCE.md §2, seeds `002` sommaire).
 * - `code`: `^[1-9][a-z]?$`, a digit for a top axis (`1`), digit + letter for a sub-axis (`1a`);
 * - `parentCode`: null for a top axis; for a sub-axis, the code of its top axis (`1a` → `1`), present in the same set.
 */
export interface Axis {
  code: string;
  label: string;
  parentCode: string | null;
}

/**
 * `programme.AxisSetPublished.v1`: a version of the axis structure was published. Stream `programme-<programmeId>`.
 * Axis sets are versioned because the 2017 signing and the 2022 mid-term review word the axes differently
 * (REFERENCE.md §2, seeds `000` and `002`).
 * - `axisSetVersion`: kebab-case label unique within the programme (`bilan-2022`);
 * - `effectiveFrom`: ISO date; `axes`: at least one axis, unique codes; `source`: where the structure comes from.
 */
export type AxisSetPublished = DomainEvent<
  'programme.AxisSetPublished.v1',
  { programmeId: string; axisSetVersion: string; effectiveFrom: string; axes: Axis[]; source: string }
>;

/** Every event of a programme stream (`programme-<programmeId>`). */
export type ProgrammeEvent = ProgrammeLaunched | TargetSet | AxisSetPublished;

/** Type strings of the events of a programme stream. */
export const PROGRAMME_AGGREGATE_EVENT_TYPES = [
  'programme.ProgrammeLaunched.v1',
  'programme.TargetSet.v1',
  'programme.AxisSetPublished.v1',
] as const satisfies readonly ProgrammeEvent['type'][];
