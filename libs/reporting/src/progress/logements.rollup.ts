import { ANY_FINANCER, ROLLUP_ENERGY_GOAL_KWH } from '@erbm/projections';
import { type AsOf, type Sql, num } from '../shared/as-of';
import { AXIS_NAMES_SQL } from '../shared/axes';
import * as ledger from './logements.queries';
import {
  type DeliveryFigures,
  type GroupTimeline,
  type ProgressDimension,
  type ProgressGroup,
  SINGLE_PASS_DIMENSIONS,
  type SinglePassDimension,
  type TimelinePoint,
} from './logements.queries';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { bucketSplit } from '../shared/buckets';
import { type EnergyResults, energyResults as ledgerEnergyResults } from '../energy/energy.queries';

/**
 * Logements livrés and energy results from the roll-ups (`rm_delivery_rollup`, `rm_delivery_dpe_rollup`,
 * `rm_operation_delivery_rollup`, `rm_financer_delivery_rollup`) plus the ledger rows of the partial months (`buckets.ts`): the same signatures
 * and results as `logements.queries.ts`, with a cost that does not grow with the number of events. A financer's
 * scope (the operations it decided a grant on) needs the operation of each row: those answers are read from the
 * ledger (`logements.queries.ts`), as are energy results for a goal other than the roll-up's (130 kWh/m².an).
 */

const COLS = { operationId: 'operation_id', epciCode: 'epci_code', bailleurCode: 'bailleur_code' };
const isFinancer = (scope?: ReadScope): boolean => scope?.kind === 'financer';

/** Deliveries as rows (month, EPCI, bailleur, cité, financing, axis, logements, Σ n×kWh before/after, logements under 130). */
function deliverySource(q: AsOf, scope: ReadScope | undefined): { sql: string; params: unknown[] } {
  const s = bucketSplit(q);
  const params = s.params;
  const cond = scopeCondition(scope, COLS, params, q);
  const sql = `SELECT r.month, r.epci_code, r.bailleur_code, r.cite_id, r.financing, r.axis_code, r.logements, r.energy_before, r.energy_after, r.under_goal,
           r.logements_estimated, r.under_goal_estimated
      FROM rm_delivery_rollup r WHERE ${s.rollup} AND ${cond}
    UNION ALL
    SELECT date_trunc('month', delivered_on)::date, epci_code, bailleur_code, cite_id, financing, axis_code, logements, logements * energy_before_kwh::bigint,
           logements * energy_after_kwh::bigint, CASE WHEN energy_after_kwh < ${ROLLUP_ENERGY_GOAL_KWH} THEN logements ELSE 0 END,
           logements_estimated, CASE WHEN energy_after_kwh < ${ROLLUP_ENERGY_GOAL_KWH} THEN logements_estimated ELSE 0 END
      FROM rm_delivery_ledger WHERE ${s.ledger('delivered_on')} AND ${cond}`;
  return { sql, params };
}

/** Deliveries by operation (operation, month, logements), for the timelines by financer. */
function operationSource(q: AsOf, scope: ReadScope | undefined, params: unknown[]): string {
  const s = bucketSplit(q);
  const cond = scopeCondition(scope, COLS, params, q);
  return `SELECT r.operation_id, r.month, r.logements, r.logements_estimated FROM rm_operation_delivery_rollup r WHERE ${s.rollup} AND ${cond}
    UNION ALL
    SELECT operation_id, date_trunc('month', delivered_on)::date, logements, logements_estimated FROM rm_delivery_ledger WHERE ${s.ledger('delivered_on')} AND ${cond}`;
}

/** The financers of each operation that decided a grant on it by asOf, as known at knownAt (rows = grants). */
const FINANCERS = `SELECT DISTINCT operation_id, financer_code FROM rm_grant_ledger
                    WHERE movement = 'decided' AND effective_on <= $1 AND recorded_at <= $2::timestamptz`;

/**
 * Logements livrés (and their estimated part) by financer, counted once per financer that decided a grant on their
 * operation (`any`: once when any financer did, as `ANY_FINANCER`), from `rm_financer_delivery_rollup` (whole months
 * Q′, ADR 0022) plus what happened between Q′ and Q = (asOf, knownAt), from the ledgers. For an operation and a
 * financer, count(Q) − count(Q′) = (deliveries(Q) − deliveries(Q′)) × [decided by Q] + deliveries(Q′) × ([decided by
 * Q] − [decided by Q′]): the deliveries of the partial months joined to the financers decided by Q, plus, for the
 * (operation, financer) pairs whose first decision by Q is in the partial months, the operation's whole-month
 * deliveries. Rows read grow with a month of facts and the programme's dimensions, not with events.
 * Rows (financer, n, e) of a query on `params`; scopes other than a financer's (read from the ledger by the callers).
 */
function financerCounts(q: AsOf, scope: ReadScope | undefined, any: boolean): { sql: string; params: unknown[] } {
  const s = bucketSplit(q);
  const params = s.params;
  const cond = scopeCondition(scope, COLS, params, q);
  const financer = (alias: string) => (any ? `'${ANY_FINANCER}'::text` : `${alias}.financer_code`);
  const sql = `WITH partial AS (
       SELECT operation_id, SUM(logements) AS n, SUM(logements_estimated) AS e FROM rm_delivery_ledger WHERE ${s.ledger('delivered_on')} AND ${cond} GROUP BY 1
     ), decided AS (
       SELECT DISTINCT g.operation_id, ${financer('g')} AS financer FROM rm_grant_ledger g
        WHERE g.movement = 'decided' AND g.effective_on <= $1 AND g.recorded_at <= $2::timestamptz AND g.operation_id IN (SELECT operation_id FROM partial)
     ), newly AS (
       SELECT DISTINCT n.operation_id, ${financer('n')} AS financer FROM (SELECT * FROM rm_grant_ledger WHERE movement = 'decided' AND ${s.ledger('effective_on')}) n
        WHERE NOT EXISTS (SELECT 1 FROM rm_grant_ledger w WHERE w.movement = 'decided' AND w.operation_id = n.operation_id
                            ${any ? '' : 'AND w.financer_code = n.financer_code'} AND ${s.whole('w.effective_on', 'w.recorded_at')})
     ), whole AS (
       SELECT operation_id, SUM(logements) AS n, SUM(logements_estimated) AS e FROM rm_delivery_ledger
        WHERE operation_id IN (SELECT operation_id FROM newly) AND ${s.whole('delivered_on', 'recorded_at')} AND ${cond} GROUP BY 1
     ), counted AS (
       SELECT r.financer_code AS financer, r.logements AS n, r.logements_estimated AS e FROM rm_financer_delivery_rollup r
        WHERE ${s.rollup} AND r.financer_code ${any ? '=' : '<>'} '${ANY_FINANCER}' AND ${cond}
       UNION ALL
       SELECT f.financer, p.n, p.e FROM partial p JOIN decided f USING (operation_id)
       UNION ALL
       SELECT f.financer, w.n, w.e FROM whole w JOIN newly f USING (operation_id)
     )
     SELECT financer, SUM(n) AS n, SUM(e) AS e FROM counted GROUP BY 1`;
  return { sql, params };
}

/**
 * As `deliveredWithFinancer` (logements.queries.ts): logements livrés on operations on which any financer had
 * decided a grant by asOf (as known at knownAt), each counted once, with their estimated part.
 */
export async function deliveredWithFinancer(db: Sql, q: AsOf, scope?: ReadScope): Promise<{ delivered: number; deliveredEstimated: number }> {
  if (isFinancer(scope)) return ledger.deliveredWithFinancer(db, q, scope);
  const { sql, params } = financerCounts(q, scope, true);
  const [row] = await db.query<{ n: string | null; e: string | null }[]>(sql, params);
  return { delivered: num(row?.n), deliveredEstimated: num(row?.e) };
}

/** As `deliveredTotal` (logements.queries.ts). */
export async function deliveredTotal(db: Sql, q: AsOf, scope?: ReadScope): Promise<number> {
  if (isFinancer(scope)) return ledger.deliveredTotal(db, q, scope);
  const { sql, params } = deliverySource(q, scope);
  const rows = await db.query<{ n: string }[]>(`SELECT COALESCE(SUM(d.logements),0) AS n FROM (${sql}) d`, params);
  return num(rows[0].n);
}

/** As `deliveredBy` (logements.queries.ts): by financer, an operation's deliveries count for every financer that had decided a grant on it by `asOf`. */
export async function deliveredBy(db: Sql, q: AsOf, by: ProgressDimension, scope?: ReadScope): Promise<ProgressGroup[]> {
  if (isFinancer(scope)) return ledger.deliveredBy(db, q, by, scope);
  let sql: string;
  let params: unknown[];
  if (by === 'financer') {
    const counts = financerCounts(q, scope, false);
    params = counts.params;
    sql = `SELECT c.financer AS key, COALESCE(rf.name, c.financer) AS label, c.n AS delivered, c.e AS est
             FROM (${counts.sql}) c LEFT JOIN rm_financer rf ON rf.financer_code = c.financer`;
  } else {
    const src = deliverySource(q, scope);
    params = src.params;
    const from = `FROM (${src.sql}) d`;
    const named = (table: string, key: string, col: string) =>
      `SELECT d.${col} AS key, COALESCE(x.name, d.${col}) AS label, SUM(d.logements) AS delivered, SUM(d.logements_estimated) AS est ${from} LEFT JOIN ${table} x ON x.${key} = d.${col} GROUP BY 1,2`;
    const plain = (expr: string) => `SELECT ${expr} AS key, ${expr} AS label, SUM(d.logements) AS delivered, SUM(d.logements_estimated) AS est ${from} GROUP BY 1,2`;
    const byDim: Record<Exclude<ProgressDimension, 'financer'>, string> = {
      epci: named('rm_epci', 'epci_code', 'epci_code'),
      bailleur: named('rm_bailleur', 'bailleur_code', 'bailleur_code'),
      cite: named('rm_cite', 'cite_id', 'cite_id'),
      axis: named(AXIS_NAMES_SQL, 'axis_code', 'axis_code'),
      financing: plain('d.financing'),
      year: plain(`to_char(d.month,'YYYY')`),
    };
    sql = byDim[by];
  }
  const rows = await db.query<{ key: string; label: string; delivered: string; est: string }[]>(`${sql} ORDER BY 3 DESC, 1`, params);
  return rows.filter((r) => num(r.delivered) !== 0).map((r) => ({ key: r.key, label: r.label, delivered: num(r.delivered), deliveredEstimated: num(r.est) }));
}

const cumulate = (rows: { month: string; delivered: string }[]): TimelinePoint[] => {
  let cumulative = 0;
  return rows.map((r) => {
    cumulative += num(r.delivered);
    return { month: r.month, delivered: num(r.delivered), cumulative };
  });
};

/** As `deliveredTimeline` (logements.queries.ts). */
export async function deliveredTimeline(db: Sql, q: AsOf, scope?: ReadScope): Promise<TimelinePoint[]> {
  if (isFinancer(scope)) return ledger.deliveredTimeline(db, q, scope);
  const { sql, params } = deliverySource(q, scope);
  return cumulate(await db.query<{ month: string; delivered: string }[]>(`SELECT to_char(d.month,'YYYY-MM') AS month, SUM(d.logements) AS delivered FROM (${sql}) d GROUP BY 1 ORDER BY 1`, params));
}

/** As `deliveredTimelineBy` (logements.queries.ts). */
export async function deliveredTimelineBy(db: Sql, q: AsOf, by: ProgressDimension, scope?: ReadScope): Promise<GroupTimeline[]> {
  if (isFinancer(scope)) return ledger.deliveredTimelineBy(db, q, by, scope);
  const groups = await deliveredBy(db, q, by, scope);
  let rows: { key: string; month: string; delivered: string }[];
  if (by === 'financer') {
    const params = bucketSplit(q).params;
    rows = await db.query(
      `SELECT f.financer_code AS key, to_char(o.month,'YYYY-MM') AS month, SUM(o.logements) AS delivered
         FROM (${operationSource(q, scope, params)}) o JOIN (${FINANCERS}) f ON f.operation_id = o.operation_id
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
  } else {
    const keyExpr: Record<Exclude<ProgressDimension, 'financer'>, string> = {
      epci: 'd.epci_code', bailleur: 'd.bailleur_code', cite: 'd.cite_id', axis: 'd.axis_code', financing: 'd.financing', year: "to_char(d.month,'YYYY')",
    };
    const { sql, params } = deliverySource(q, scope);
    rows = await db.query(`SELECT ${keyExpr[by]} AS key, to_char(d.month,'YYYY-MM') AS month, SUM(d.logements) AS delivered FROM (${sql}) d GROUP BY 1, 2 ORDER BY 1, 2`, params);
  }
  return groups.map((g) => ({ key: g.key, label: g.label, points: cumulate(rows.filter((r) => r.key === g.key && num(r.delivered) !== 0)) }));
}

/** Logements by DPE class before and after works (non-zero classes). */
interface DpeClasses {
  dpeBefore: Record<string, number>;
  dpeAfter: Record<string, number>;
  estimated: { dpeBefore: Record<string, number>; dpeAfter: Record<string, number> };
}

async function dpeClasses(db: Sql, q: AsOf, scope?: ReadScope): Promise<DpeClasses> {
  const s = bucketSplit(q);
  const params = s.params;
  const cond = scopeCondition(scope, COLS, params, q);
  const rows = await db.query<{ side: string; c: string; n: string; e: string }[]>(
    `SELECT CASE WHEN GROUPING(d.dpe_before) = 0 THEN 'before' ELSE 'after' END AS side, COALESCE(d.dpe_before, d.dpe_after) AS c, SUM(d.logements) AS n,
            SUM(d.logements_estimated) AS e
       FROM (SELECT r.dpe_before, r.dpe_after, r.logements, r.logements_estimated FROM rm_delivery_dpe_rollup r WHERE ${s.rollup} AND ${cond}
             UNION ALL SELECT dpe_before, dpe_after, logements, logements_estimated FROM rm_delivery_ledger WHERE ${s.ledger('delivered_on')} AND ${cond}) d
      GROUP BY GROUPING SETS ((d.dpe_before), (d.dpe_after)) ORDER BY 1, 2`,
    params,
  );
  const pick = (side: string, col: 'n' | 'e') => Object.fromEntries(rows.filter((r) => r.side === side && num(r.n) !== 0).map((r) => [r.c, num(r[col])]));
  return { dpeBefore: pick('before', 'n'), dpeAfter: pick('after', 'n'), estimated: { dpeBefore: pick('before', 'e'), dpeAfter: pick('after', 'e') } };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

type EnergySums = { n?: string | null; before?: string | null; after?: string | null; under?: string | null; n_est?: string | null; under_est?: string | null };

function energyOf(goal: number, t: EnergySums | undefined, dpe: DpeClasses): EnergyResults {
  const n = num(t?.n);
  return {
    logements: n,
    averageBeforeKwhPerM2Year: n ? round1(num(t?.before) / n) : null,
    averageAfterKwhPerM2Year: n ? round1(num(t?.after) / n) : null,
    goalKwhPerM2Year: goal,
    logementsUnderGoal: num(t?.under),
    shareUnderGoal: n ? Math.round((num(t?.under) / n) * 10000) / 10000 : null,
    dpeBefore: dpe.dpeBefore,
    dpeAfter: dpe.dpeAfter,
    estimated: { logements: num(t?.n_est), logementsUnderGoal: num(t?.under_est), ...dpe.estimated },
  };
}

/** As `energyResults` (energy/energy.queries.ts); `goal` in kWh/m².an (other goals than 130 are read from the ledger). */
export async function energyResults(db: Sql, q: AsOf, goal: number, scope?: ReadScope): Promise<EnergyResults> {
  if (isFinancer(scope) || goal !== ROLLUP_ENERGY_GOAL_KWH) return ledgerEnergyResults(db, q, goal, scope);
  const { sql, params } = deliverySource(q, scope);
  const [t] = await db.query<Record<string, string | null>[]>(
    `SELECT SUM(d.logements) AS n, SUM(d.energy_before) AS before, SUM(d.energy_after) AS after, SUM(d.under_goal) AS under,
            SUM(d.logements_estimated) AS n_est, SUM(d.under_goal_estimated) AS under_est FROM (${sql}) d`,
    params,
  );
  return energyOf(goal, t, await dpeClasses(db, q, scope));
}

/** As `deliveryFigures` (logements.queries.ts): total, every single-pass dimension, timeline and energy, in two queries. */
export async function deliveryFigures(db: Sql, q: AsOf, goal: number, scope?: ReadScope): Promise<DeliveryFigures> {
  if (isFinancer(scope) || goal !== ROLLUP_ENERGY_GOAL_KWH) return ledger.deliveryFigures(db, q, goal, scope);
  const src = deliverySource(q, scope);
  const sets: [string, string][] = [['epci', 'd.epci_code'], ['bailleur', 'd.bailleur_code'], ['cite', 'd.cite_id'], ['axis', 'd.axis_code'], ['financing', 'd.financing'], ['month', 'd.month']];
  const dim = `CASE ${sets.map(([n, e]) => `WHEN GROUPING(${e}) = 0 THEN '${n}'`).join(' ')} ELSE 'total' END`;
  const keys = sets.map(([n, e]) => (n === 'month' ? `to_char(${e}, 'YYYY-MM')` : e));
  // One query after the other: inside a snapshot (`readSnapshot`) they share one connection.
  const rows = await db.query<({ dim: string; key: string | null } & EnergySums)[]>(
    `SELECT ${dim} AS dim, COALESCE(${keys.join(', ')}) AS key,
            SUM(d.logements) AS n, SUM(d.energy_before) AS before, SUM(d.energy_after) AS after, SUM(d.under_goal) AS under,
            SUM(d.logements_estimated) AS n_est, SUM(d.under_goal_estimated) AS under_est
       FROM (${src.sql}) d
      GROUP BY GROUPING SETS ((), ${sets.map(([, e]) => `(${e})`).join(', ')})
      ORDER BY 1, CASE WHEN ${dim} = 'month' THEN NULL ELSE SUM(d.logements) END DESC, 2`,
    src.params,
  );
  const dpe = await dpeClasses(db, q, scope);
  const names: { k: string; name: string }[][] = [];
  for (const sql of ['SELECT epci_code AS k, name FROM rm_epci', 'SELECT bailleur_code AS k, name FROM rm_bailleur', 'SELECT cite_id AS k, name FROM rm_cite', `SELECT axis_code AS k, name FROM ${AXIS_NAMES_SQL} a`]) {
    names.push(await db.query<{ k: string; name: string }[]>(sql));
  }
  const labels = new Map(['epci', 'bailleur', 'cite', 'axis'].map((d, i) => [d, new Map(names[i].map((r) => [r.k, r.name]))]));
  const by = Object.fromEntries(SINGLE_PASS_DIMENSIONS.map((d) => [d, [] as ProgressGroup[]])) as Record<SinglePassDimension, ProgressGroup[]>;
  const timeline: TimelinePoint[] = [];
  const years = new Map<string, [number, number]>();
  let total: (typeof rows)[number] | undefined;
  let cumulative = 0;
  for (const r of rows) {
    const n = num(r.n);
    const est = num(r.n_est);
    const key = r.key as string;
    if (r.dim === 'total') total = r;
    else if (r.dim === 'month') {
      cumulative += n;
      timeline.push({ month: key, delivered: n, cumulative });
      const y = years.get(key.slice(0, 4)) ?? [0, 0];
      years.set(key.slice(0, 4), [y[0] + n, y[1] + est]);
    } else if (n !== 0) by[r.dim as SinglePassDimension].push({ key, label: labels.get(r.dim)?.get(key) ?? key, delivered: n, deliveredEstimated: est });
  }
  by.year = ledger.yearGroups(years);
  return { total: num(total?.n), by, timeline, energy: energyOf(goal, total ?? undefined, dpe) };
}
