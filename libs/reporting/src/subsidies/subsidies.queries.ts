import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { type ReadScope, scopeCondition } from '../shared/scope';

export const SUBSIDY_DIMENSIONS = ['financer', 'financerCategory', 'epci', 'axis', 'dispositif', 'year', 'operationKind'] as const;
export type SubsidyDimension = (typeof SUBSIDY_DIMENSIONS)[number];

const COLUMN: Record<SubsidyDimension, string> = {
  financer: 'financer_code',
  financerCategory: 'financer_category',
  epci: 'epci_code',
  axis: 'axis_code',
  dispositif: 'dispositif',
  year: "to_char(effective_on,'YYYY')",
  operationKind: 'operation_kind',
};

export interface SubsidyRow {
  /** Values of the grouping dimensions, by dimension name. */
  keys: Partial<Record<SubsidyDimension, string>>;
  /** Amount decided (after amendments and cancellations), integer euro cents. */
  decidedCents: number;
  /** Amount paid, integer euro cents. */
  paidCents: number;
}

export interface SubsidyFilter {
  financerCategories?: string[];
  operationKind?: 'logements' | 'urbaine';
  /** Only movements dated in these years (inclusive). */
  fromYear?: number;
  toYear?: number;
}

/**
 * Subsidies decided and paid on `asOf`, grouped by any of financer × EPCI × axis × dispositif × year
 * (year of the movement: convention, amendment, cancellation or payment date).
 */
export async function subsidies(db: Sql, q: AsOf, groupBy: SubsidyDimension[], filter: SubsidyFilter = {}, scope?: ReadScope): Promise<SubsidyRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const where = ['effective_on <= $1', 'recorded_at <= $2::timestamptz'];
  where.push(scopeCondition(scope, { operationId: 'rm_grant_ledger.operation_id', epciCode: 'rm_grant_ledger.epci_code' }, params, q));
  if (filter.financerCategories) {
    params.push(filter.financerCategories);
    where.push(`financer_category = ANY($${params.length})`);
  }
  if (filter.operationKind) {
    params.push(filter.operationKind);
    where.push(`operation_kind = $${params.length}`);
  }
  if (filter.fromYear !== undefined) {
    params.push(`${filter.fromYear}-01-01`);
    where.push(`effective_on >= $${params.length}`);
  }
  if (filter.toYear !== undefined) {
    params.push(`${filter.toYear}-12-31`);
    where.push(`effective_on <= $${params.length}`);
  }
  const cols = groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`);
  const rows = await db.query<Record<string, string>[]>(
    `SELECT ${[...cols, 'SUM(decided_cents) AS decided', 'SUM(paid_cents) AS paid'].join(', ')}
       FROM rm_grant_ledger WHERE ${where.join(' AND ')}
      ${groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}` : ''}`,
    params,
  );
  return rows.map((r) => ({
    keys: Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]])),
    decidedCents: num(r.decided),
    paidCents: num(r.paid),
  }));
}

/** The subsidy figures of the bilan (see `bilanSubsidies`); amounts in integer euro cents. */
export interface BilanSubsidies {
  /** State, Région and EPCI subsidies decided for logements operations. */
  logementsCents: number;
  /** State and Région subsidies decided in 2021–2022 for urban operations. */
  urbainesEtatRegion2021_2022Cents: number;
  decidedCents: number;
  paidCents: number;
  byFinancer: SubsidyRow[];
  byFinancerEpciAxisDispositifYear: SubsidyRow[];
}

/**
 * The bilan's six `subsidies` calls (three filtered totals, the total, by financer, and by financer × EPCI × axis ×
 * dispositif × year) in one scan of the grant ledger (`GROUPING SETS` and `FILTER`): same figures, same order.
 */
export async function bilanSubsidies(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanSubsidies> {
  const params: unknown[] = [q.asOf, knownAtParam(q), ['etat', 'region', 'epci'], ['etat', 'region'], '2021-01-01', '2022-12-31'];
  const cond = scopeCondition(scope, { operationId: 'rm_grant_ledger.operation_id', epciCode: 'rm_grant_ledger.epci_code' }, params, q);
  // Years as dates (cheaper than to_char on every row), formatted per group; they sort as their 'YYYY' strings.
  const detail = ['financer_code', 'epci_code', 'axis_code', 'dispositif', "date_trunc('year', effective_on::timestamp)"];
  const rows = await db.query<Record<string, string | null>[]>(
    `SELECT CASE WHEN GROUPING(epci_code) = 0 THEN 'detail' WHEN GROUPING(financer_code) = 0 THEN 'financer' ELSE 'total' END AS dim,
            ${detail.map((c, i) => `${i === 4 ? `to_char(${c}, 'YYYY')` : c} AS k${i}`).join(', ')}, SUM(decided_cents) AS decided, SUM(paid_cents) AS paid,
            SUM(decided_cents) FILTER (WHERE financer_category = ANY($3) AND operation_kind = 'logements') AS logements,
            SUM(decided_cents) FILTER (WHERE financer_category = ANY($4) AND operation_kind = 'urbaine' AND effective_on >= $5 AND effective_on <= $6) AS urbaines
       FROM rm_grant_ledger WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY GROUPING SETS ((), (financer_code), (${detail.join(', ')}))
      ORDER BY 1, 2, 3, 4, 5, ${detail[4]}`,
    params,
  );
  return bilanSubsidiesOf(rows);
}

/**
 * The bilan's subsidies from the rows of its `GROUPING SETS ((), (financer), (financer, epci, axis, dispositif,
 * year))` query, whether it read the grant ledger or the roll-ups: `dim` ('total' | 'financer' | detail), the keys
 * `k0`…`k4` and the sums `decided`, `paid`, `logements`, `urbaines` in cents (text, as pg returns bigint sums).
 */
export function bilanSubsidiesOf(rows: Record<string, string | null>[]): BilanSubsidies {
  const out: BilanSubsidies = { logementsCents: 0, urbainesEtatRegion2021_2022Cents: 0, decidedCents: 0, paidCents: 0, byFinancer: [], byFinancerEpciAxisDispositifYear: [] };
  for (const r of rows) {
    if (r.dim === 'total') {
      Object.assign(out, { logementsCents: num(r.logements), urbainesEtatRegion2021_2022Cents: num(r.urbaines), decidedCents: num(r.decided), paidCents: num(r.paid) });
    } else if (r.dim === 'financer') out.byFinancer.push({ keys: { financer: r.k0 as string }, decidedCents: num(r.decided), paidCents: num(r.paid) });
    else {
      out.byFinancerEpciAxisDispositifYear.push({
        keys: { financer: r.k0 as string, epci: r.k1 as string, axis: r.k2 as string, dispositif: r.k3 as string, year: r.k4 as string },
        decidedCents: num(r.decided),
        paidCents: num(r.paid),
      });
    }
  }
  return out;
}
