import { type ProjectionCheckpoint } from '../shared/snapshot';
import { type InsertionRow } from '../insertion/insertion.queries';
import { type EnergyResults } from '../energy/energy.queries';
import { type ProgressGroup, type TimelinePoint } from '../progress/logements.queries';
import { type PhaseCount } from '../operations/operations.queries';
import { type SubsidyRow } from '../subsidies/subsidies.queries';

/** Money as integer cents and as a decimal-euro string. */
export interface Money {
  cents: number;
  eur: string;
}

/**
 * The mid-term report (bilan) as of a business date, structured like the published 2017/2022 review (seeds 002):
 * target and logements livrés by EPCI, bailleur, cité, financer and axis; operations by phase; subsidies decided
 * and paid; insertion; energy. Pure function of the read models at (`asOf`, `knownAt`): the same inputs give the
 * same JSON. Money in integer cents (`…Cents`) and decimal euros as strings (`…Eur`).
 */
export interface BilanReport {
  asOf: string;
  knownAt: string | null;
  programme: { targetVersion: number | null; targetDate: string | null; energyGoalKwhPerM2Year: number | null; targetSource: string | null };
  logements: {
    target: number | null;
    delivered: number;
    /** The part of `delivered` that comes from estimated events (logements). */
    deliveredEstimated: number;
    /** delivered / target × 100, one decimal. */
    percentage: number | null;
    byEpci: ProgressGroup[];
    byBailleur: ProgressGroup[];
    byCite: ProgressGroup[];
    byFinancer: ProgressGroup[];
    /**
     * Logements livrés on operations aided by at least one financer, each counted once: `byFinancer` counts a
     * co-financed operation once per financer, so its sum exceeds this total.
     */
    deliveredWithFinancer: { delivered: number; deliveredEstimated: number };
    byAxis: ProgressGroup[];
    byFinancing: ProgressGroup[];
    byYear: ProgressGroup[];
    timeline: TimelinePoint[];
  };
  operations: {
    logements: { terminees: number; enTravaux: number; byPhase: PhaseCount[] };
    urbaines: { terminees: number; enTravaux: number; byPhase: PhaseCount[] };
  };
  subsidies: {
    /** State, Région and EPCI subsidies decided for logements operations. */
    logementsCents: number;
    logementsEur: string;
    /** State and Région subsidies decided in 2021–2022 for urban operations of the cités. */
    urbainesEtatRegion2021_2022Cents: number;
    urbainesEtatRegion2021_2022Eur: string;
    decided: Money;
    paid: Money;
    /** By financer: its French name (`label`), amounts and their parts from estimated events. */
    byFinancer: { financer: string; label: string; decided: Money; paid: Money; decidedEstimated: Money; paidEstimated: Money }[];
    /** The part of each total that comes from estimated events (integer cents). */
    estimated: { logementsCents: number; urbainesEtatRegion2021_2022Cents: number; decidedCents: number; paidCents: number };
    byFinancerAxisDispositifYear: (SubsidyRow & { decidedEur: string; paidEur: string })[];
  };
  insertion: {
    logementsHours: number;
    logementsRecruited: number;
    logementsRsa: number;
    programmeHours: number;
    programmeParticipantsDeld: number;
    programme: InsertionRow | null;
    logements: InsertionRow | null;
    byEpci: InsertionRow[];
    byYear: InsertionRow[];
  };
  energy: EnergyResults;
  /**
   * The table by axis of the programme (REFERENCE.md §2; seeds 002 sommaire), one row per axis with a figure, in
   * code order: `label` French label of the axis set; logements livrés (deliveries of operations on that axis),
   * subsidies decided and paid (grants on that axis, integer cents and decimal euros), heures d'insertion (all on
   * `INSERTION_AXIS_CODE`, 2e, where the review reports them).
   */
  byAxis: BilanAxisRow[];
  /**
   * Drill-down: for every figure of this report, its stable key (`logements.byEpci.CALL`,
   * `subsidies.byFinancer.ETAT.decided`…) → the link listing the events behind it
   * (`GET /reports/bilan/figures/{key}/events?asOf=…&knownAt=…`). Keys are in a fixed order.
   */
  figures?: Record<string, string>;
  /**
   * The projection checkpoint the report reflects (the API's answers state it; `buildBilan` leaves it out, so that
   * the same (asOf, knownAt) gives the same JSON after later events).
   */
  checkpoint?: ProjectionCheckpoint;
  /**
   * For every figure of `figures` (same keys, same order): the part of its value that comes from estimated events
   * (events whose metadata says `estimated`, e.g. a plausible split of a published total), in the figure's unit, and
   * as a share of the figure (0–1, four decimals; null when the figure is 0). For an average (`energy.average…`),
   * `estimated` is null and `share` is that of the logements it is averaged over (ADR 0021).
   */
  estimates?: Record<string, EstimatedPart>;
  /** French names of the codes the report uses (financers, EPCI, axes), from the reference data. */
  names?: { financer: Record<string, string>; epci: Record<string, string>; axis: Record<string, string> };
}

/** The part of a figure that comes from estimated events (see `BilanReport.estimates`). */
export interface EstimatedPart {
  estimated: number | null;
  share: number | null;
}

/** A row of the bilan's table by axis (see `BilanReport.byAxis`). */
export interface BilanAxisRow {
  code: string;
  label: string;
  logementsDelivered: number;
  subsidiesDecided: Money;
  subsidiesPaid: Money;
  insertionHours: number;
}
