import { centsToEur } from '@erbm/shared';
import { type AsOf, type Sql } from '../shared/as-of';
import { type ReadScope } from '../shared/scope';
import { type Snapshot, readSnapshot } from '../shared/snapshot';
import { deliveredBy, targetAsOf } from '../progress/logements.queries';
import { countOperations, operationsByPhase } from '../operations/operations.queries';
import * as rollups from '../rollups';
import { bilanFigureKeys, figureLink } from '../figures/catalogue';
import { INSERTION_AXIS_CODE, axisLabels } from '../shared/axes';
import { type ProgressGroup } from '../progress/logements.queries';
import { type BilanAxisRow, type BilanReport, type Money } from './bilan-report';

export { centsToEur } from '@erbm/shared';

const WORKS_PHASES = ['travaux', 'livraisons'];

const money = (cents: number): Money => ({ cents, eur: centsToEur(cents) });

/** The table by axis from the groups of the bilan (deliveries by axis, subsidy rows by axis, insertion on 2e). */
export function axisTable(
  deliveries: ProgressGroup[],
  subsidyRows: { keys: { axis?: string }; decidedCents: number; paidCents: number }[],
  insertionHours: number,
  labels: Map<string, string>,
): BilanAxisRow[] {
  const rows = new Map<string, { delivered: number; decided: number; paid: number; hours: number }>();
  const at = (code: string) => rows.get(code) ?? rows.set(code, { delivered: 0, decided: 0, paid: 0, hours: 0 }).get(code)!;
  for (const g of deliveries) at(g.key).delivered += g.delivered;
  for (const r of subsidyRows) if (r.keys.axis) { const x = at(r.keys.axis); x.decided += r.decidedCents; x.paid += r.paidCents; }
  if (insertionHours) at(INSERTION_AXIS_CODE).hours += insertionHours;
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, x]) => ({ code, label: labels.get(code) ?? code, logementsDelivered: x.delivered, subsidiesDecided: money(x.decided), subsidiesPaid: money(x.paid), insertionHours: x.hours }));
}

/**
 * Builds the bilan; see `BilanReport`. One query per read model pre-aggregated by the projection (`rollups.deliveryFigures`,
 * `rollups.bilanSubsidies`, `rollups.bilanInsertion`: the roll-ups of whole months plus the ledger rows of the partial
 * months, the same results as the ledger scans of `queries/*.queries.ts`; a financer's scope is read from the ledgers)
 * plus the target, the operations by phase and the deliveries by financer (a ledger scan), in one snapshot (`readSnapshot`: one
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
  // By financer from the ledger, not `rollups.deliveredBy`: its roll-up has a row per operation and month, joined to
  // the decided grants, and was slower than the ledger scan at 1 000 000 events (docs/performance.md, issue 9).
  const byFinancer = await deliveredBy(db, q, 'financer', scope);
  const phases = await operationsByPhase(db, q, scope);
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
    byAxis: axisTable(d.by.axis, subs.byFinancerEpciAxisDispositifYear, ins.programme.hours, await axisLabels(db)),
  };
  return { ...report, figures: Object.fromEntries(bilanFigureKeys(report).map((k) => [k, figureLink(k, q)])) };
}
