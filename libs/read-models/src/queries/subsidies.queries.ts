import { type AsOf, type Sql, knownAtParam, num } from './as-of';
import { type ReadScope, scopeCondition } from './scope';

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
  where.push(scopeCondition(scope, { operationId: 'rm_grant_ledger.operation_id', epciCode: 'rm_grant_ledger.epci_code' }, params));
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
