import { type RecordedEvent } from '@erbm/event-store';
import { type AsOf, type Sql, knownAtParam, num } from '../queries/as-of';
import { type ProgressGroup, targetAsOf } from '../queries/logements.queries';
import { type BilanReport } from '../report/bilan';
import { centsToEur } from '../report/money';
export { figureLink } from './figure-link';
import { type ReadScope, scopeCondition } from '../queries/scope';
import { type ProjectionCheckpoint, readSnapshot } from '../queries/snapshot';

/**
 * Drill-down from a figure of the bilan to the events behind it (issue #4). Every figure has a stable key
 * (`logements.delivered`, `logements.byEpci.CALL`, `subsidies.byFinancer.ETAT.decided`…). The rows behind a
 * figure are the ledger rows its SQL sums, filtered exactly as that SQL (asOf, knownAt, scope, filters); each row
 * carries the global position of the event that wrote it and its contribution to the figure, so the contributions
 * add up to the figure (in `unit`).
 */

/** Where a figure's rows come from. */
type Ledger = 'delivery' | 'grant' | 'insertion' | 'step';

export type FigureUnit = 'logements' | 'cents' | 'hours' | 'persons' | 'operations' | 'kWhEP/m².an';

export interface FigureSpec {
  key: string;
  ledger: Ledger;
  unit: FigureUnit;
  /** What the figure counts, in French. */
  label: string;
  /** Extra SQL conditions on the ledger (alias `l`), `$n` placeholders numbered from `params`. */
  where: (params: unknown[]) => string[];
  /** SQL expression of one row's contribution. */
  contribution: string;
  /** Set for averages: contributions are weights × value / total weight, rounded; their sum is the unrounded figure. */
  average?: { value: string };
}

export interface FigureRow {
  globalPosition: string;
  seq: number;
  businessDate: string;
  contribution: number;
}

const DELIVERY_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code', bailleurCode: 'l.bailleur_code' };
const GRANT_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code' };
const INSERTION_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code', bailleurCode: 'l.bailleur_code' };

const eq = (expr: string, value: string) => (params: unknown[]) => {
  params.push(value);
  return [`${expr} = $${params.length}`];
};
const none = () => [];

const DELIVERY_GROUPS: Record<string, string> = {
  byEpci: 'l.epci_code',
  byBailleur: 'l.bailleur_code',
  byCite: 'l.cite_id',
  byAxis: 'l.axis_code',
  byFinancing: 'l.financing',
  byYear: "to_char(l.delivered_on,'YYYY')",
};
const FINANCER_OF_DELIVERY = (code: string) => (params: unknown[]) => {
  params.push(code);
  return [`l.operation_id IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND effective_on <= $1 AND recorded_at <= $2::timestamptz AND financer_code = $${params.length})`];
};
const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
const RECRUITED = PUBLICS.map((p) => `l.recruitments_${p}`).join(' + ');
const LOGEMENTS_SUBSIDY = (params: unknown[]) => {
  params.push(['etat', 'region', 'epci']);
  return [`l.financer_category = ANY($${params.length})`, "l.operation_kind = 'logements'"];
};
const URBAN_SUBSIDY = (params: unknown[]) => {
  params.push(['etat', 'region']);
  return [`l.financer_category = ANY($${params.length})`, "l.operation_kind = 'urbaine'", "l.effective_on >= '2021-01-01'", "l.effective_on <= '2022-12-31'"];
};
const OPERATIONS = (kind: 'logements' | 'urbaine', phases: string[]) => (params: unknown[]) => {
  params.push(phases);
  const erbm = kind === 'logements' ? " AND o.financing = 'erbm'" : '';
  return [`l.operation_kind_ = '${kind}'${erbm}`, `l.phase_ = ANY($${params.length})`];
};

/** The specification of a figure key, or null when the key names no figure of the bilan. */
export function figureSpec(key: string): FigureSpec | null {
  const parts = key.split('.');
  const [area, name] = parts;
  const rest = parts.slice(2).join('.');
  const delivery = (label: string, where: FigureSpec['where'], unit: FigureUnit = 'logements', contribution = 'l.logements'): FigureSpec => ({ key, ledger: 'delivery', unit, label, where, contribution });
  const grant = (label: string, where: FigureSpec['where'], column: 'decided_cents' | 'paid_cents'): FigureSpec => ({ key, ledger: 'grant', unit: 'cents', label, where, contribution: `l.${column}` });
  const insertion = (label: string, where: FigureSpec['where'], unit: FigureUnit, contribution: string): FigureSpec => ({ key, ledger: 'insertion', unit, label, where, contribution });
  const operations = (kind: 'logements' | 'urbaine', phases: string[], label: string): FigureSpec => ({ key, ledger: 'step', unit: 'operations', label, where: OPERATIONS(kind, phases), contribution: '1' });
  if (area === 'logements') {
    if (parts.length === 2 && name === 'delivered') return delivery('Logements livrés', none);
    if (parts.length >= 3 && name in DELIVERY_GROUPS) return delivery(`Logements livrés (${name} = ${rest})`, eq(DELIVERY_GROUPS[name], rest));
    if (parts.length >= 3 && name === 'byFinancer') return delivery(`Logements livrés sur les opérations financées par ${rest}`, FINANCER_OF_DELIVERY(rest));
    return null;
  }
  if (area === 'energy') {
    if (parts.length === 2 && name === 'logements') return delivery('Logements livrés (résultats énergétiques)', none);
    if (parts.length === 2 && name === 'logementsUnderGoal') return delivery("Logements livrés sous l'objectif de consommation", () => ['l.energy_after_kwh < $3']);
    if (parts.length === 2 && (name === 'averageBeforeKwhPerM2Year' || name === 'averageAfterKwhPerM2Year')) {
      const col = name === 'averageBeforeKwhPerM2Year' ? 'l.energy_before_kwh' : 'l.energy_after_kwh';
      return { ...delivery('Consommation moyenne pondérée par les logements', none, 'kWhEP/m².an', 'l.logements'), average: { value: col } };
    }
    if (parts.length >= 3 && (name === 'dpeBefore' || name === 'dpeAfter')) return delivery(`Logements livrés en classe ${rest}`, eq(name === 'dpeBefore' ? 'l.dpe_before' : 'l.dpe_after', rest));
    return null;
  }
  if (area === 'subsidies') {
    if (key === 'subsidies.logementsEur' || key === 'subsidies.logementsCents') return grant('Subventions État, Région, EPCI décidées pour les opérations de logements', LOGEMENTS_SUBSIDY, 'decided_cents');
    if (key === 'subsidies.urbainesEtatRegion2021_2022Eur' || key === 'subsidies.urbainesEtatRegion2021_2022Cents') return grant('Subventions État et Région décidées en 2021–2022 pour les opérations urbaines', URBAN_SUBSIDY, 'decided_cents');
    if (key === 'subsidies.decided') return grant('Subventions décidées', none, 'decided_cents');
    if (key === 'subsidies.paid') return grant('Subventions versées', none, 'paid_cents');
    const m = /^subsidies\.byFinancer\.(.+)\.(decided|paid)$/.exec(key);
    if (m) return grant(`Subventions ${m[2] === 'decided' ? 'décidées' : 'versées'} par ${m[1]}`, eq('l.financer_code', m[1]), m[2] === 'decided' ? 'decided_cents' : 'paid_cents');
    return null;
  }
  if (area === 'insertion') {
    const logements = eq('l.operation_kind', 'logements');
    if (key === 'insertion.logementsHours') return insertion("Heures d'insertion (opérations de logements)", logements, 'hours', 'l.hours');
    if (key === 'insertion.logementsRecruited') return insertion('Recrutements (opérations de logements)', logements, 'persons', RECRUITED);
    if (key === 'insertion.logementsRsa') return insertion('Recrutements de bénéficiaires du RSA (opérations de logements)', logements, 'persons', 'l.recruitments_rsa');
    if (key === 'insertion.programmeHours') return insertion("Heures d'insertion (programme)", none, 'hours', 'l.hours');
    if (key === 'insertion.programmeParticipantsDeld') return insertion('Participants demandeurs d’emploi de longue durée (programme)', none, 'persons', 'l.participants_deld');
    const m = /^insertion\.(byEpci|byYear)\.(.+)\.hours$/.exec(key);
    if (m) return insertion(`Heures d'insertion (${m[1]} = ${m[2]})`, eq(m[1] === 'byEpci' ? 'l.epci_code' : "to_char(l.period_end,'YYYY')", m[2]), 'hours', 'l.hours');
    return null;
  }
  if (area === 'operations' && parts.length === 3 && (name === 'logements' || name === 'urbaines')) {
    const kind = name === 'logements' ? 'logements' : 'urbaine';
    if (parts[2] === 'terminees') return operations(kind, ['terminee'], `Opérations ${name} terminées`);
    if (parts[2] === 'enTravaux') return operations(kind, ['travaux', 'livraisons'], `Opérations ${name} en travaux`);
    return null;
  }
  return null;
}

/** The ledger rows behind a figure with their contributions, filtered like the figure's own SQL. */
export async function figureRows(db: Sql, spec: FigureSpec, q: AsOf, scope?: ReadScope): Promise<FigureRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  if (spec.ledger === 'delivery') {
    if (spec.key === 'energy.logementsUnderGoal') {
      const target = await targetAsOf(db, q);
      params.push(target?.energyGoalKwhPerM2Year ?? 130);
    }
    const where = ['l.delivered_on <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, DELIVERY_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; seq: number; on: string; c: string; v: string | null }[]>(
      `SELECT l.global_position AS gp, l.seq, to_char(l.delivered_on,'YYYY-MM-DD') AS on, ${spec.contribution} AS c, ${spec.average ? spec.average.value : 'NULL'} AS v
         FROM rm_delivery_ledger l WHERE ${where.join(' AND ')} ORDER BY l.global_position, l.seq`,
      params,
    );
    if (spec.average) {
      const total = rows.reduce((s, r) => s + num(r.c), 0);
      return rows.map((r) => ({ globalPosition: r.gp, seq: num(r.seq), businessDate: r.on, contribution: total ? Math.round(((num(r.c) * num(r.v)) / total) * 1e6) / 1e6 : 0 }));
    }
    return rows.map((r) => ({ globalPosition: r.gp, seq: num(r.seq), businessDate: r.on, contribution: num(r.c) }));
  }
  if (spec.ledger === 'grant') {
    const where = ['l.effective_on <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, GRANT_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; on: string; c: string }[]>(
      `SELECT l.global_position AS gp, to_char(l.effective_on,'YYYY-MM-DD') AS on, ${spec.contribution} AS c
         FROM rm_grant_ledger l WHERE ${where.join(' AND ')} AND ${spec.contribution} <> 0 ORDER BY l.global_position`,
      params,
    );
    return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: num(r.c) }));
  }
  if (spec.ledger === 'insertion') {
    const where = ['l.period_end <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, INSERTION_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; on: string; c: string }[]>(
      `SELECT l.global_position AS gp, to_char(l.period_end,'YYYY-MM-DD') AS on, ${spec.contribution} AS c
         FROM rm_insertion_ledger l WHERE ${where.join(' AND ')} ORDER BY l.global_position`,
      params,
    );
    return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: num(r.c) })).filter((r) => r.contribution !== 0);
  }
  // Operations by phase (operationsByPhase): the last phase started by asOf of each operation programmed by then,
  // unless its status then was suspended or abandoned. The row behind an operation is that phase's event.
  const scopeSql = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const extra = spec.where(params);
  const rows = await db.query<{ gp: string; on: string }[]>(
    `WITH steps AS (
       SELECT * FROM rm_operation_step WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz
     ), phase AS (
       SELECT DISTINCT ON (operation_id) operation_id, phase, global_position, effective_on FROM steps WHERE step IN ('programmed','phase')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), status AS (
       SELECT DISTINCT ON (operation_id) operation_id, step FROM steps WHERE step IN ('suspended','resumed','abandoned')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), l AS (
       SELECT o.operation_id, o.kind AS operation_kind_, o.financing, p.global_position, p.effective_on,
              CASE WHEN s.step = 'abandoned' THEN 'abandonnee' WHEN s.step = 'suspended' THEN 'suspendue' ELSE p.phase END AS phase_
         FROM rm_operation o JOIN phase p USING (operation_id) LEFT JOIN status s USING (operation_id)
        WHERE o.recorded_at <= $2::timestamptz AND ${scopeSql}
     )
     SELECT l.global_position AS gp, to_char(l.effective_on,'YYYY-MM-DD') AS on FROM l JOIN rm_operation o USING (operation_id)
      WHERE ${extra.join(' AND ')} ORDER BY l.global_position`,
    params,
  );
  return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: 1 }));
}

/** One event behind a figure, with its contribution. */
export interface FigureEvent {
  globalPosition: string;
  /** 0, or 0 / 1 for the two rows of a delivery correction (minus the previous figures, plus the corrected ones). */
  seq: number;
  type: string;
  streamId: string;
  recordedAt: string;
  /** The fact's business date as the figure filters on it (delivery, movement or period-end date). */
  businessDate: string;
  actor: { organisation: string; user: string; channel: string } | null;
  data: Record<string, unknown>;
  contribution: number;
}

export interface FigureEvents {
  key: string;
  label: string;
  unit: FigureUnit;
  asOf: string;
  knownAt: string | null;
  /** Sum of the contributions: the figure as the bilan computes it (unrounded for averages). */
  total: number;
  /** For money figures: the total in decimal euros. */
  totalEur?: string;
  count: number;
  events: FigureEvent[];
  /** The projection checkpoint the rows reflect (they are read in one snapshot, `readSnapshot`). */
  checkpoint: ProjectionCheckpoint;
}

/** Reads events by global position: the EventStore port's drill-down read. */
export interface ReadsByGlobalPositions {
  readByGlobalPositions(positions: string[]): Promise<RecordedEvent[]>;
}


/**
 * The events behind a figure of the bilan at (asOf, knownAt), scoped like the figure. The ledger rows (and the
 * goal of `energy.logementsUnderGoal`) are read in one snapshot (`readSnapshot`), whose checkpoint the answer
 * states; the events are read from the store after the snapshot is closed (they never change, and no transaction
 * may wait on another connection, ADR 0012).
 * @returns null when `key` names no figure.
 */
export async function figureEvents(db: Sql, store: ReadsByGlobalPositions, key: string, q: AsOf, scope?: ReadScope): Promise<FigureEvents | null> {
  const spec = figureSpec(key);
  if (!spec) return null;
  const { checkpoint, value: rows } = await readSnapshot(db, (tx) => figureRows(tx, spec, q, scope));
  const events = await store.readByGlobalPositions([...new Set(rows.map((r) => r.globalPosition))]);
  const byGp = new Map(events.map((e) => [e.globalPosition, e]));
  const total = spec.unit === 'kWhEP/m².an' ? Math.round(rows.reduce((s, r) => s + r.contribution, 0) * 1e4) / 1e4 : rows.reduce((s, r) => s + r.contribution, 0);
  return {
    key,
    label: spec.label,
    unit: spec.unit,
    asOf: q.asOf,
    knownAt: q.knownAt ?? null,
    total,
    ...(spec.unit === 'cents' ? { totalEur: centsToEur(total) } : {}),
    count: rows.length,
    events: rows.map((r) => {
      const e = byGp.get(r.globalPosition);
      const a = e?.metadata.actor;
      return {
        globalPosition: r.globalPosition,
        seq: r.seq,
        type: e?.type ?? 'unknown',
        streamId: e?.streamId ?? '',
        recordedAt: e?.recordedAt ?? '',
        businessDate: r.businessDate,
        actor: a ? { organisation: a.organisation, user: a.user, channel: a.channel } : null,
        data: e?.data ?? {},
        contribution: r.contribution,
      };
    }),
    checkpoint,
  };
}

/**
 * The value of a figure in a report, in the unit of its drill-down (`cents` for money, unrounded averages are
 * compared with their rounding), or null when the report has no such figure.
 */
export function bilanFigureValue(r: BilanReport, key: string): number | null {
  const parts = key.split('.');
  const rest = parts.slice(2).join('.');
  const group = (list: ProgressGroup[]) => (list.find((g) => g.key === rest)?.delivered ?? 0);
  const groups: Record<string, ProgressGroup[]> = {
    byEpci: r.logements.byEpci, byBailleur: r.logements.byBailleur, byCite: r.logements.byCite, byFinancer: r.logements.byFinancer,
    byAxis: r.logements.byAxis, byFinancing: r.logements.byFinancing, byYear: r.logements.byYear,
  };
  if (key === 'logements.delivered') return r.logements.delivered;
  if (parts[0] === 'logements' && parts[1] in groups) return group(groups[parts[1]]);
  if (parts[0] === 'operations') {
    const o = parts[1] === 'logements' ? r.operations.logements : parts[1] === 'urbaines' ? r.operations.urbaines : null;
    return o && (parts[2] === 'terminees' || parts[2] === 'enTravaux') ? o[parts[2]] : null;
  }
  const simple: Record<string, number | null> = {
    'subsidies.logementsEur': r.subsidies.logementsCents,
    'subsidies.urbainesEtatRegion2021_2022Eur': r.subsidies.urbainesEtatRegion2021_2022Cents,
    'subsidies.decided': r.subsidies.decided.cents,
    'subsidies.paid': r.subsidies.paid.cents,
    'insertion.logementsHours': r.insertion.logementsHours,
    'insertion.logementsRecruited': r.insertion.logementsRecruited,
    'insertion.logementsRsa': r.insertion.logementsRsa,
    'insertion.programmeHours': r.insertion.programmeHours,
    'insertion.programmeParticipantsDeld': r.insertion.programmeParticipantsDeld,
    'energy.logements': r.energy.logements,
    'energy.logementsUnderGoal': r.energy.logementsUnderGoal,
    'energy.averageBeforeKwhPerM2Year': r.energy.averageBeforeKwhPerM2Year,
    'energy.averageAfterKwhPerM2Year': r.energy.averageAfterKwhPerM2Year,
  };
  if (key in simple) return simple[key];
  const f = /^subsidies\.byFinancer\.(.+)\.(decided|paid)$/.exec(key);
  if (f) return r.subsidies.byFinancer.find((x) => x.financer === f[1])?.[f[2] as 'decided' | 'paid'].cents ?? 0;
  const i = /^insertion\.(byEpci|byYear)\.(.+)\.hours$/.exec(key);
  if (i) return (i[1] === 'byEpci' ? r.insertion.byEpci.find((x) => x.keys.epci === i[2]) : r.insertion.byYear.find((x) => x.keys.year === i[2]))?.hours ?? 0;
  const d = /^energy\.(dpeBefore|dpeAfter)\.(.+)$/.exec(key);
  if (d) return r.energy[d[1] as 'dpeBefore' | 'dpeAfter'][d[2]] ?? 0;
  return null;
}
