import { centsToEur } from '@erbm/shared';
import { type AsOf, type Sql, knownAtParam } from '../shared/as-of';
import { type ReadScope } from '../shared/scope';
import { type Snapshot, readSnapshot } from '../shared/snapshot';
import { type ProgressGroup, targetAsOf } from '../progress/logements.queries';
import { type PhaseCount, countOperations } from '../operations/operations.queries';
import * as rollups from '../rollups';
import { bilanFigureKeys, figureLink } from '../figures/catalogue';
import { INSERTION_AXIS_CODE, axisLabels } from '../shared/axes';
import { type BilanAxisRow, type BilanReport, type EstimatedPart, type Money } from './bilan-report';

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

const part = (value: number, estimated: number): EstimatedPart => ({ estimated, share: value ? Math.round((estimated / value) * 10000) / 10000 : null });

/**
 * The value and estimated part of each figure key of `bilanFigureKeys`, from the estimated parts the read models keep
 * beside each total (`…Estimated`, `estimated`). Money figures in cents.
 */
export function bilanEstimates(r: Omit<BilanReport, 'figures' | 'estimates'>): Record<string, EstimatedPart> {
  const lg = r.logements;
  const groups: Record<string, ProgressGroup[]> = {
    byEpci: lg.byEpci, byBailleur: lg.byBailleur, byCite: lg.byCite, byFinancer: lg.byFinancer, byAxis: lg.byAxis, byFinancing: lg.byFinancing, byYear: lg.byYear,
  };
  const e = r.energy;
  const ops = (kind: 'logements' | 'urbaines', which: 'terminees' | 'enTravaux'): EstimatedPart => {
    const rows = kind === 'logements' ? r.operations.logements.byPhase.filter((p) => p.financing === 'erbm') : r.operations.urbaines.byPhase;
    const f = (p: PhaseCount) => (which === 'terminees' ? p.phase === 'terminee' : WORKS_PHASES.includes(p.phase));
    return part(r.operations[kind][which], rows.filter(f).reduce((sum, p) => sum + p.operationsEstimated, 0));
  };
  const sub = r.subsidies;
  const ins = r.insertion;
  const out: Record<string, EstimatedPart> = {};
  for (const key of bilanFigureKeys(r)) {
    const [section, name, code, sub2] = key.split('.');
    let v: EstimatedPart | undefined;
    if (key === 'logements.delivered') v = part(lg.delivered, lg.deliveredEstimated);
    else if (section === 'logements') {
      const g = groups[name]?.find((x) => x.key === key.slice(`logements.${name}.`.length));
      v = g ? part(g.delivered, g.deliveredEstimated) : undefined;
    } else if (section === 'operations') v = ops(name as 'logements' | 'urbaines', code as 'terminees' | 'enTravaux');
    else if (key === 'subsidies.logementsEur') v = part(sub.logementsCents, sub.estimated.logementsCents);
    else if (key === 'subsidies.urbainesEtatRegion2021_2022Eur') v = part(sub.urbainesEtatRegion2021_2022Cents, sub.estimated.urbainesEtatRegion2021_2022Cents);
    else if (key === 'subsidies.decided') v = part(sub.decided.cents, sub.estimated.decidedCents);
    else if (key === 'subsidies.paid') v = part(sub.paid.cents, sub.estimated.paidCents);
    else if (section === 'subsidies' && name === 'byFinancer') {
      const f = sub.byFinancer.find((x) => x.financer === code);
      if (f) v = sub2 === 'decided' ? part(f.decided.cents, f.decidedEstimated.cents) : part(f.paid.cents, f.paidEstimated.cents);
    } else if (key === 'insertion.logementsHours') v = part(ins.logementsHours, ins.logements?.estimated.hours ?? 0);
    else if (key === 'insertion.logementsRecruited') v = part(ins.logementsRecruited, ins.logements?.estimated.recruitments.total ?? 0);
    else if (key === 'insertion.logementsRsa') v = part(ins.logementsRsa, ins.logements?.estimated.recruitments.rsa ?? 0);
    else if (key === 'insertion.programmeHours') v = part(ins.programmeHours, ins.programme?.estimated.hours ?? 0);
    else if (key === 'insertion.programmeParticipantsDeld') v = part(ins.programmeParticipantsDeld, ins.programme?.estimated.participants.deld ?? 0);
    else if (section === 'insertion') {
      const row = (name === 'byEpci' ? ins.byEpci : ins.byYear).find((x) => (name === 'byEpci' ? x.keys.epci : x.keys.year) === code);
      if (row) v = part(row.hours, row.estimated.hours);
    } else if (key === 'energy.logements') v = part(e.logements, e.estimated.logements);
    else if (key === 'energy.logementsUnderGoal') v = part(e.logementsUnderGoal, e.estimated.logementsUnderGoal);
    else if (key === 'energy.averageBeforeKwhPerM2Year' || key === 'energy.averageAfterKwhPerM2Year') v = { ...part(e.logements, e.estimated.logements), estimated: null };
    else if (name === 'dpeBefore') v = part(e.dpeBefore[code] ?? 0, e.estimated.dpeBefore[code] ?? 0);
    else if (name === 'dpeAfter') v = part(e.dpeAfter[code] ?? 0, e.estimated.dpeAfter[code] ?? 0);
    out[key] = v ?? { estimated: 0, share: null };
  }
  return out;
}


/**
 * Builds the bilan; see `BilanReport`. One query per read model pre-aggregated by the projection (`rollups.deliveryFigures`,
 * `rollups.bilanSubsidies`, `rollups.bilanInsertion`, the deliveries by financer and with any financer
 * (`rollups.deliveredBy`, `rollups.deliveredWithFinancer`) and the operations by phase (`rollups.operationsByPhase`):
 * the roll-ups of whole months plus the ledger rows of the partial months, the same results as the ledger scans of
 * `*.queries.ts`, estimated parts included; a financer's scope is read from the ledgers), plus the target, in one snapshot (`readSnapshot`: one
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
  const byFinancer = await rollups.deliveredBy(db, q, 'financer', scope);
  const withFinancer = await rollups.deliveredWithFinancer(db, q, scope);
  const phases = await rollups.operationsByPhase(db, q, scope);
  const subs = await rollups.bilanSubsidies(db, q, scope);
  const ins = await rollups.bilanInsertion(db, q, scope);
  const delivered = d.total;
  const erbmLogements = phases.filter((p) => p.kind === 'logements' && p.financing === 'erbm');
  const urbaines = phases.filter((p) => p.kind === 'urbaine');
  const nameMap = async (sql: string, params: unknown[] = []) => Object.fromEntries((await db.query<{ k: string; name: string }[]>(sql, params)).map((x) => [x.k, x.name]));
  const names = {
    financer: await nameMap('SELECT financer_code AS k, name FROM rm_financer ORDER BY 1'),
    epci: await nameMap('SELECT epci_code AS k, name FROM rm_epci ORDER BY 1'),
    // The label of the latest axis set that has the code (as of asOf, as known at knownAt).
    axis: await nameMap(
      `SELECT DISTINCT ON (code) code AS k, label AS name FROM rm_axis WHERE effective_from <= $1 AND recorded_at <= $2::timestamptz
        ORDER BY code, effective_from DESC, axis_set_version DESC`,
      [q.asOf, knownAtParam(q)],
    ),
  };
  const report: Omit<BilanReport, 'figures' | 'estimates'> = {
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
      deliveredEstimated: d.energy.estimated.logements,
      percentage: target ? Math.round((delivered / target.logements) * 1000) / 10 : null,
      byEpci: d.by.epci,
      byBailleur: d.by.bailleur,
      byCite: d.by.cite,
      byFinancer,
      deliveredWithFinancer: withFinancer,
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
      byFinancer: subs.byFinancer.map((r) => ({
        financer: r.keys.financer ?? '',
        label: names.financer[r.keys.financer ?? ''] ?? r.keys.financer ?? '',
        decided: money(r.decidedCents),
        paid: money(r.paidCents),
        decidedEstimated: money(r.decidedEstimatedCents),
        paidEstimated: money(r.paidEstimatedCents),
      })),
      estimated: subs.estimated,
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
    names,
  };
  return { ...report, figures: Object.fromEntries(bilanFigureKeys(report).map((k) => [k, figureLink(k, q)])), estimates: bilanEstimates(report) };
}
