import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { AXIS_NAMES_SQL } from '../shared/axes';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { type EnergyResults } from '../energy/energy.queries';

const DELIVERY = { operationId: 'd.operation_id', epciCode: 'd.epci_code', bailleurCode: 'd.bailleur_code' };

export const PROGRESS_DIMENSIONS = ['epci', 'bailleur', 'cite', 'financer', 'axis', 'financing', 'year'] as const;
export type ProgressDimension = (typeof PROGRESS_DIMENSIONS)[number];

export interface ProgrammeTarget {
  targetVersion: number;
  logements: number;
  energyGoalKwhPerM2Year: number;
  targetDate: string;
  effectiveFrom: string;
  source: string | null;
}

/**
 * The programme target in force on `asOf` as known at `knownAt`: the highest version effective by then
 * (23 000 logements and < 130 kWh/m².an in version 1, seeds 002). Null when no target is recorded.
 */
export async function targetAsOf(db: Sql, q: AsOf): Promise<ProgrammeTarget | null> {
  const rows = await db.query<Record<string, string>[]>(
    `SELECT target_version, logements, energy_goal_kwh, to_char(target_date,'YYYY-MM-DD') AS target_date,
            to_char(effective_from,'YYYY-MM-DD') AS effective_from, source
       FROM rm_programme_target WHERE effective_from <= $1 AND recorded_at <= $2::timestamptz
      ORDER BY target_version DESC LIMIT 1`,
    [q.asOf, knownAtParam(q)],
  );
  const r = rows[0];
  return r
    ? { targetVersion: num(r.target_version), logements: num(r.logements), energyGoalKwhPerM2Year: num(r.energy_goal_kwh), targetDate: r.target_date, effectiveFrom: r.effective_from, source: r.source }
    : null;
}

export interface ProgressGroup {
  key: string;
  label: string;
  delivered: number;
}

/** Total logements livrés on `asOf` (all operations: ERBM-subsidised and bailleurs' own funds). */
export async function deliveredTotal(db: Sql, q: AsOf, scope?: ReadScope): Promise<number> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, DELIVERY, params, q);
  const rows = await db.query<{ n: string }[]>(
    `SELECT COALESCE(SUM(d.logements),0) AS n FROM rm_delivery_ledger d WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond}`,
    params,
  );
  return num(rows[0].n);
}

/**
 * Logements livrés on `asOf`, grouped by a dimension. By financer, an operation's deliveries count for every
 * financer that had decided a grant on it by `asOf`, so the groups do not add up to the total.
 */
export async function deliveredBy(db: Sql, q: AsOf, by: ProgressDimension, scope?: ReadScope): Promise<ProgressGroup[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, DELIVERY, params, q);
  const base = `FROM rm_delivery_ledger d WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond}`;
  const sql: Record<ProgressDimension, string> = {
    epci: `SELECT d.epci_code AS key, COALESCE(e.name, d.epci_code) AS label, SUM(d.logements) AS delivered ${base.replace('WHERE', 'LEFT JOIN rm_epci e ON e.epci_code = d.epci_code WHERE')} GROUP BY 1,2`,
    bailleur: `SELECT d.bailleur_code AS key, COALESCE(b.name, d.bailleur_code) AS label, SUM(d.logements) AS delivered ${base.replace('WHERE', 'LEFT JOIN rm_bailleur b ON b.bailleur_code = d.bailleur_code WHERE')} GROUP BY 1,2`,
    cite: `SELECT d.cite_id AS key, COALESCE(c.name, d.cite_id) AS label, SUM(d.logements) AS delivered ${base.replace('WHERE', 'LEFT JOIN rm_cite c ON c.cite_id = d.cite_id WHERE')} GROUP BY 1,2`,
    axis: `SELECT d.axis_code AS key, COALESCE(a.name, d.axis_code) AS label, SUM(d.logements) AS delivered ${base.replace('WHERE', `LEFT JOIN ${AXIS_NAMES_SQL} a ON a.axis_code = d.axis_code WHERE`)} GROUP BY 1,2`,
    financing: `SELECT d.financing AS key, d.financing AS label, SUM(d.logements) AS delivered ${base} GROUP BY 1,2`,
    year: `SELECT to_char(d.delivered_on,'YYYY') AS key, to_char(d.delivered_on,'YYYY') AS label, SUM(d.logements) AS delivered ${base} GROUP BY 1,2`,
    // Deliveries summed by operation first, then joined to the operation's financers (a few rows per operation
    // instead of one per delivery and financer); the decided grants come from an index (rm_grant_ledger_decided_idx).
    financer: `SELECT f.financer_code AS key, COALESCE(rf.name, f.financer_code) AS label, SUM(x.n) AS delivered
                 FROM (SELECT d.operation_id, SUM(d.logements) AS n FROM rm_delivery_ledger d
                        WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond} GROUP BY 1) x
                 JOIN (SELECT DISTINCT operation_id, financer_code FROM rm_grant_ledger
                        WHERE movement = 'decided' AND effective_on <= $1 AND recorded_at <= $2::timestamptz) f ON f.operation_id = x.operation_id
                 LEFT JOIN rm_financer rf ON rf.financer_code = f.financer_code
                GROUP BY 1,2`,
  };
  const rows = await db.query<{ key: string; label: string; delivered: string }[]>(`${sql[by]} ORDER BY 3 DESC, 1`, params);
  return rows.filter((r) => num(r.delivered) !== 0).map((r) => ({ key: r.key, label: r.label, delivered: num(r.delivered) }));
}

export interface TimelinePoint {
  /** Month `YYYY-MM`. */
  month: string;
  delivered: number;
  cumulative: number;
}

/** Cumulative logements livrés month by month up to `asOf` (for the trajectory chart toward 23 000). */
export async function deliveredTimeline(db: Sql, q: AsOf, scope?: ReadScope): Promise<TimelinePoint[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, DELIVERY, params, q);
  const rows = await db.query<{ month: string; delivered: string }[]>(
    `SELECT to_char(d.delivered_on,'YYYY-MM') AS month, SUM(d.logements) AS delivered
       FROM rm_delivery_ledger d WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond} GROUP BY 1 ORDER BY 1`,
    params,
  );
  let cumulative = 0;
  return rows.map((r) => {
    cumulative += num(r.delivered);
    return { month: r.month, delivered: num(r.delivered), cumulative };
  });
}

export interface GroupTimeline {
  key: string;
  label: string;
  points: TimelinePoint[];
}

/**
 * Cumulative logements livrés month by month up to `asOf`, for each group of a dimension (the trajectory of each
 * EPCI, bailleur, cité, financer, axis…). Months without deliveries in a group are omitted from its points.
 */
export async function deliveredTimelineBy(db: Sql, q: AsOf, by: ProgressDimension, scope?: ReadScope): Promise<GroupTimeline[]> {
  const groups = await deliveredBy(db, q, by, scope);
  const keyExpr: Record<ProgressDimension, string> = {
    epci: 'd.epci_code',
    bailleur: 'd.bailleur_code',
    cite: 'd.cite_id',
    axis: 'd.axis_code',
    financing: 'd.financing',
    year: "to_char(d.delivered_on,'YYYY')",
    financer: 'f.financer_code',
  };
  const financerJoin = `JOIN (SELECT DISTINCT operation_id, financer_code FROM rm_grant_ledger
                          WHERE movement = 'decided' AND effective_on <= $1 AND recorded_at <= $2::timestamptz) f ON f.operation_id = d.operation_id`;
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, DELIVERY, params, q);
  const rows = await db.query<{ key: string; month: string; delivered: string }[]>(
    `SELECT ${keyExpr[by]} AS key, to_char(d.delivered_on,'YYYY-MM') AS month, SUM(d.logements) AS delivered
       FROM rm_delivery_ledger d ${by === 'financer' ? financerJoin : ''}
      WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return groups.map((g) => {
    let cumulative = 0;
    const points = rows
      .filter((r) => r.key === g.key && num(r.delivered) !== 0)
      .map((r) => {
        cumulative += num(r.delivered);
        return { month: r.month, delivered: num(r.delivered), cumulative };
      });
    return { key: g.key, label: g.label, points };
  });
}

/** The dimensions `deliveryFigures` computes in its single pass (all but `financer`, which needs the grants). */
export const SINGLE_PASS_DIMENSIONS = ['epci', 'bailleur', 'cite', 'axis', 'financing', 'year'] as const;
export type SinglePassDimension = (typeof SINGLE_PASS_DIMENSIONS)[number];

/** Everything the bilan reads from the delivery ledger, as `deliveredTotal`, `deliveredBy`, `deliveredTimeline` and `energyResults` give it. */
export interface DeliveryFigures {
  total: number;
  by: Record<SinglePassDimension, ProgressGroup[]>;
  timeline: TimelinePoint[];
  energy: EnergyResults;
}

/**
 * `deliveredTotal`, `deliveredBy` (every dimension but `financer`), `deliveredTimeline` and `energyResults` in one
 * scan of the delivery ledger (`GROUPING SETS`) instead of twelve: same figures, same order (sorted by PostgreSQL).
 * `goal` in kWh/m².an as for `energyResults`.
 */
export async function deliveryFigures(db: Sql, q: AsOf, goal: number, scope?: ReadScope): Promise<DeliveryFigures> {
  const params: unknown[] = [q.asOf, knownAtParam(q), goal];
  const cond = scopeCondition(scope, DELIVERY, params, q);
  const sets: [string, string][] = [
    ['epci', 'd.epci_code'], ['bailleur', 'd.bailleur_code'], ['cite', 'd.cite_id'], ['axis', 'd.axis_code'], ['financing', 'd.financing'],
    // Months as dates (to_char on every row costs more than the whole scan), formatted per group; years are summed from months.
    ['month', "date_trunc('month', d.delivered_on::timestamp)"], ['dpeBefore', 'd.dpe_before'], ['dpeAfter', 'd.dpe_after'],
  ];
  const dim = `CASE ${sets.map(([n, e]) => `WHEN GROUPING(${e}) = 0 THEN '${n}'`).join(' ')} ELSE 'total' END`;
  const keys = sets.map(([n, e]) => (n === 'month' ? `to_char(${e}, 'YYYY-MM')` : e));
  const rows = await db.query<{ dim: string; key: string | null; n: string | null; before: string | null; after: string | null; under: string | null }[]>(
    `SELECT ${dim} AS dim, COALESCE(${keys.join(', ')}) AS key,
            SUM(d.logements) AS n, SUM(d.logements * d.energy_before_kwh::bigint) AS before, SUM(d.logements * d.energy_after_kwh::bigint) AS after,
            SUM(d.logements) FILTER (WHERE d.energy_after_kwh < $3) AS under
       FROM rm_delivery_ledger d WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY GROUPING SETS ((), ${sets.map(([, e]) => `(${e})`).join(', ')})
      ORDER BY 1, CASE WHEN ${dim} IN ('month', 'dpeBefore', 'dpeAfter') THEN NULL ELSE SUM(d.logements) END DESC, 2`,
    params,
  );
  const labels = new Map<string, Map<string, string>>();
  const names = async (dimension: string, sql: string) => labels.set(dimension, new Map((await db.query<{ k: string; name: string }[]>(sql)).map((r) => [r.k, r.name])));
  await names('epci', 'SELECT epci_code AS k, name FROM rm_epci');
  await names('bailleur', 'SELECT bailleur_code AS k, name FROM rm_bailleur');
  await names('cite', 'SELECT cite_id AS k, name FROM rm_cite');
  await names('axis', `SELECT axis_code AS k, name FROM ${AXIS_NAMES_SQL} a`);
  const by = Object.fromEntries(SINGLE_PASS_DIMENSIONS.map((d) => [d, [] as ProgressGroup[]])) as Record<SinglePassDimension, ProgressGroup[]>;
  const timeline: TimelinePoint[] = [];
  const dpeBefore: Record<string, number> = {};
  const dpeAfter: Record<string, number> = {};
  let total: (typeof rows)[number] | undefined;
  let cumulative = 0;
  const years = new Map<string, number>();
  for (const r of rows) {
    const n = num(r.n);
    const key = r.key as string;
    if (r.dim === 'total') total = r;
    else if (r.dim === 'month') {
      cumulative += n;
      timeline.push({ month: key, delivered: n, cumulative });
      years.set(key.slice(0, 4), (years.get(key.slice(0, 4)) ?? 0) + n);
    } else if (r.dim === 'dpeBefore') {
      if (n !== 0) dpeBefore[key] = n;
    } else if (r.dim === 'dpeAfter') {
      if (n !== 0) dpeAfter[key] = n;
    } else if (n !== 0) by[r.dim as SinglePassDimension].push({ key, label: labels.get(r.dim)?.get(key) ?? key, delivered: n });
  }
  // As `deliveredBy(…, 'year')`: non-zero years by logements livrés descending, then year (digits: any collation agrees).
  by.year = [...years].filter(([, v]) => v !== 0).sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1)).map(([key, delivered]) => ({ key, label: key, delivered }));
  const n = num(total?.n);
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    total: n,
    by,
    timeline,
    energy: {
      logements: n,
      averageBeforeKwhPerM2Year: n ? round1(num(total?.before) / n) : null,
      averageAfterKwhPerM2Year: n ? round1(num(total?.after) / n) : null,
      goalKwhPerM2Year: goal,
      logementsUnderGoal: num(total?.under),
      shareUnderGoal: n ? Math.round((num(total?.under) / n) * 10000) / 10000 : null,
      dpeBefore,
      dpeAfter,
    },
  };
}
