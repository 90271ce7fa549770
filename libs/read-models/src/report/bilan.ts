import { type AsOf, type Sql } from '../queries/as-of';
import { type ReadScope } from '../queries/scope';
import { type ProjectionCheckpoint, type Snapshot, readSnapshot } from '../queries/snapshot';
import { type InsertionRow } from '../queries/insertion.queries';
import { type EnergyResults, type ProgressGroup, type TimelinePoint, targetAsOf } from '../queries/logements.queries';
import { type PhaseCount, countOperations } from '../queries/operations.queries';
import { type SubsidyRow } from '../queries/subsidies.queries';
import * as rollups from '../queries/rollup/index';
import { figureLink } from '../drilldown/figure-link';
import { centsToEur } from './money';

export { centsToEur } from './money';

const WORKS_PHASES = ['travaux', 'livraisons'];

/** Money as integer cents and as a decimal-euro string. */
export interface Money {
  cents: number;
  eur: string;
}
const money = (cents: number): Money => ({ cents, eur: centsToEur(cents) });

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
    /** delivered / target × 100, one decimal. */
    percentage: number | null;
    byEpci: ProgressGroup[];
    byBailleur: ProgressGroup[];
    byCite: ProgressGroup[];
    byFinancer: ProgressGroup[];
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
    byFinancer: { financer: string; decided: Money; paid: Money }[];
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
}

/** The keys of every figure of a report that can be drilled into (see `figureSpec`). */
export function bilanFigureKeys(r: Omit<BilanReport, 'figures'>): string[] {
  const keys = ['logements.delivered'];
  const groups: [string, ProgressGroup[]][] = [
    ['byEpci', r.logements.byEpci], ['byBailleur', r.logements.byBailleur], ['byCite', r.logements.byCite], ['byFinancer', r.logements.byFinancer],
    ['byAxis', r.logements.byAxis], ['byFinancing', r.logements.byFinancing], ['byYear', r.logements.byYear],
  ];
  for (const [name, list] of groups) for (const g of list) keys.push(`logements.${name}.${g.key}`);
  for (const kind of ['logements', 'urbaines']) keys.push(`operations.${kind}.terminees`, `operations.${kind}.enTravaux`);
  keys.push('subsidies.logementsEur', 'subsidies.urbainesEtatRegion2021_2022Eur', 'subsidies.decided', 'subsidies.paid');
  for (const f of r.subsidies.byFinancer) keys.push(`subsidies.byFinancer.${f.financer}.decided`, `subsidies.byFinancer.${f.financer}.paid`);
  keys.push('insertion.logementsHours', 'insertion.logementsRecruited', 'insertion.logementsRsa', 'insertion.programmeHours', 'insertion.programmeParticipantsDeld');
  for (const row of r.insertion.byEpci) keys.push(`insertion.byEpci.${row.keys.epci ?? ''}.hours`);
  for (const row of r.insertion.byYear) keys.push(`insertion.byYear.${row.keys.year ?? ''}.hours`);
  keys.push('energy.logements', 'energy.logementsUnderGoal', 'energy.averageBeforeKwhPerM2Year', 'energy.averageAfterKwhPerM2Year');
  for (const c of Object.keys(r.energy.dpeBefore)) keys.push(`energy.dpeBefore.${c}`);
  for (const c of Object.keys(r.energy.dpeAfter)) keys.push(`energy.dpeAfter.${c}`);
  return keys;
}

/**
 * Builds the bilan; see `BilanReport`. One query per read model pre-aggregated by the projection (`rollups.deliveryFigures`,
 * `rollups.bilanSubsidies`, `rollups.bilanInsertion`: the roll-ups of whole months plus the ledger rows of the partial
 * months, the same results as the ledger scans of `queries/*.queries.ts`; a financer's scope is read from the ledgers)
 * the deliveries by financer (`rollups.deliveredBy`) and the operations by phase (`rollups.operationsByPhase`), plus the target, in one snapshot (`readSnapshot`: one
 * read-only `REPEATABLE READ` transaction, so every figure reflects the same projection checkpoint), one query after
 * the other on its connection: the figures are those of the single-figure queries (`deliveredBy`, `subsidies`,
 * `insertionStats`…). `db` is a DataSource (a snapshot is opened and closed) or an open `Snapshot` (nested: use
 * `readSnapshot(db, (tx) => buildBilan(tx, q))` to get the checkpoint with the report).
 */
export async function buildBilan(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanReport> {
  const { value } = await readSnapshot(db, (tx) => bilanIn(tx, q, scope));
  return value;
}

async function bilanIn(db: Snapshot, q: AsOf, scope?: ReadScope): Promise<BilanReport> {
  const target = await targetAsOf(db, q);
  const d = await rollups.deliveryFigures(db, q, target?.energyGoalKwhPerM2Year ?? 130, scope);
  // By financer from `rm_financer_delivery_rollup` (months × financers, ADR 0022) plus the partial months.
  const byFinancer = await rollups.deliveredBy(db, q, 'financer', scope);
  const phases = await rollups.operationsByPhase(db, q, scope);
  const subs = await rollups.bilanSubsidies(db, q, scope);
  const ins = await rollups.bilanInsertion(db, q, scope);
  const delivered = d.total;
  const erbmLogements = phases.filter((p) => p.kind === 'logements' && p.financing === 'erbm');
  const urbaines = phases.filter((p) => p.kind === 'urbaine');
  const report: Omit<BilanReport, 'figures'> = {
    asOf: q.asOf,
    knownAt: q.knownAt ?? null,
    programme: {
      targetVersion: target?.targetVersion ?? null,
      targetDate: target?.targetDate ?? null,
      energyGoalKwhPerM2Year: target?.energyGoalKwhPerM2Year ?? null,
      targetSource: target?.source ?? null,
    },
    logements: {
      target: target?.logements ?? null,
      delivered,
      percentage: target ? Math.round((delivered / target.logements) * 1000) / 10 : null,
      byEpci: d.by.epci,
      byBailleur: d.by.bailleur,
      byCite: d.by.cite,
      byFinancer,
      byAxis: d.by.axis,
      byFinancing: d.by.financing,
      byYear: d.by.year,
      timeline: d.timeline,
    },
    operations: {
      logements: {
        terminees: countOperations(erbmLogements, (p) => p.phase === 'terminee'),
        enTravaux: countOperations(erbmLogements, (p) => WORKS_PHASES.includes(p.phase)),
        byPhase: phases.filter((p) => p.kind === 'logements'),
      },
      urbaines: {
        terminees: countOperations(urbaines, (p) => p.phase === 'terminee'),
        enTravaux: countOperations(urbaines, (p) => WORKS_PHASES.includes(p.phase)),
        byPhase: urbaines,
      },
    },
    subsidies: {
      logementsCents: subs.logementsCents,
      logementsEur: centsToEur(subs.logementsCents),
      urbainesEtatRegion2021_2022Cents: subs.urbainesEtatRegion2021_2022Cents,
      urbainesEtatRegion2021_2022Eur: centsToEur(subs.urbainesEtatRegion2021_2022Cents),
      decided: money(subs.decidedCents),
      paid: money(subs.paidCents),
      byFinancer: subs.byFinancer.map((r) => ({ financer: r.keys.financer ?? '', decided: money(r.decidedCents), paid: money(r.paidCents) })),
      byFinancerAxisDispositifYear: subs.byFinancerEpciAxisDispositifYear.map((r) => ({
        ...r,
        decidedEur: centsToEur(r.decidedCents),
        paidEur: centsToEur(r.paidCents),
      })),
    },
    insertion: {
      logementsHours: ins.logements.hours,
      logementsRecruited: ins.logements.recruitments.total,
      logementsRsa: ins.logements.recruitments.rsa,
      programmeHours: ins.programme.hours,
      programmeParticipantsDeld: ins.programme.participants.deld,
      programme: ins.programme,
      logements: ins.logements,
      byEpci: ins.byEpci,
      byYear: ins.byYear,
    },
    energy: d.energy,
  };
  return { ...report, figures: Object.fromEntries(bilanFigureKeys(report).map((k) => [k, figureLink(k, q)])) };
}
