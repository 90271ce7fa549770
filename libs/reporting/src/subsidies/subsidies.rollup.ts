import { type AsOf, type Sql, num } from '../shared/as-of';
import { type ReadScope, scopeCondition } from '../shared/scope';
import * as ledger from './subsidies.queries';
import { type BilanSubsidies, type SubsidyDimension, type SubsidyFilter, type SubsidyRow } from './subsidies.queries';
import { bucketSplit } from '../shared/buckets';

/**
 * Subsidies decided and paid from the roll-up (`rm_grant_rollup`) plus the ledger rows of the partial months
 * (`buckets.ts`): the same signatures and results as `subsidies.queries.ts`. A financer's scope is read from the
 * ledger (it needs each movement's operation).
 */

const COLUMN: Record<SubsidyDimension, string> = {
  financer: 'g.financer_code',
  financerCategory: 'g.financer_category',
  epci: 'g.epci_code',
  axis: 'g.axis_code',
  dispositif: 'g.dispositif',
  year: "to_char(g.month,'YYYY')",
  operationKind: 'g.operation_kind',
};

/** Grant movements as rows (month, financer, category, EPCI, axis, dispositif, operation kind, decided and paid cents). */
function grantSource(q: AsOf, scope: ReadScope | undefined): { sql: string; params: unknown[] } {
  const s = bucketSplit(q);
  const params = s.params;
  const rollupScope = scopeCondition(scope, { operationId: 'r.operation_id', epciCode: 'r.epci_code', bailleurCode: 'r.bailleur_code' }, params, q);
  const ledgerScope = scopeCondition(scope, { operationId: 'rm_grant_ledger.operation_id', epciCode: 'rm_grant_ledger.epci_code' }, params, q);
  const cols = 'financer_code, financer_category, epci_code, axis_code, dispositif, operation_kind, decided_cents, paid_cents';
  return {
    params,
    sql: `SELECT r.month, ${cols.split(', ').map((c) => `r.${c}`).join(', ')} FROM rm_grant_rollup r WHERE ${s.rollup} AND ${rollupScope}
          UNION ALL
          SELECT date_trunc('month', effective_on)::date, ${cols} FROM rm_grant_ledger WHERE ${s.ledger('effective_on')} AND ${ledgerScope}`,
  };
}

/** As `subsidies` (subsidies.queries.ts): decided and paid on `asOf`, grouped by any dimensions, filtered. */
export async function subsidies(db: Sql, q: AsOf, groupBy: SubsidyDimension[], filter: SubsidyFilter = {}, scope?: ReadScope): Promise<SubsidyRow[]> {
  if (scope?.kind === 'financer') return ledger.subsidies(db, q, groupBy, filter, scope);
  const { sql, params } = grantSource(q, scope);
  const where = ['TRUE'];
  if (filter.financerCategories) {
    params.push(filter.financerCategories);
    where.push(`g.financer_category = ANY($${params.length})`);
  }
  if (filter.operationKind) {
    params.push(filter.operationKind);
    where.push(`g.operation_kind = $${params.length}`);
  }
  // Months are whole: a month is in a year range exactly when its first day is.
  if (filter.fromYear !== undefined) {
    params.push(`${filter.fromYear}-01-01`);
    where.push(`g.month >= $${params.length}`);
  }
  if (filter.toYear !== undefined) {
    params.push(`${filter.toYear}-12-31`);
    where.push(`g.month <= $${params.length}`);
  }
  const cols = groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`);
  const positions = groupBy.map((_, i) => i + 1).join(', ');
  const rows = await db.query<Record<string, string>[]>(
    `SELECT ${[...cols, 'SUM(g.decided_cents) AS decided', 'SUM(g.paid_cents) AS paid'].join(', ')}
       FROM (${sql}) g WHERE ${where.join(' AND ')}
      ${groupBy.length ? `GROUP BY ${positions} ORDER BY ${positions}` : ''}`,
    params,
  );
  return rows.map((r) => ({ keys: Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]])), decidedCents: num(r.decided), paidCents: num(r.paid) }));
}

/** As `bilanSubsidies` (subsidies.queries.ts): the bilan's subsidy figures in one query. */
export async function bilanSubsidies(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanSubsidies> {
  if (scope?.kind === 'financer') return ledger.bilanSubsidies(db, q, scope);
  const { sql, params } = grantSource(q, scope);
  const n = params.length;
  params.push(['etat', 'region', 'epci'], ['etat', 'region'], '2021-01-01', '2022-12-31');
  const detail = ['g.financer_code', 'g.epci_code', 'g.axis_code', 'g.dispositif', "date_trunc('year', g.month::timestamp)"];
  const rows = await db.query<Record<string, string | null>[]>(
    `SELECT CASE WHEN GROUPING(g.epci_code) = 0 THEN 'detail' WHEN GROUPING(g.financer_code) = 0 THEN 'financer' ELSE 'total' END AS dim,
            ${detail.map((c, i) => `${i === 4 ? `to_char(${c}, 'YYYY')` : c} AS k${i}`).join(', ')}, SUM(g.decided_cents) AS decided, SUM(g.paid_cents) AS paid,
            SUM(g.decided_cents) FILTER (WHERE g.financer_category = ANY($${n + 1}) AND g.operation_kind = 'logements') AS logements,
            SUM(g.decided_cents) FILTER (WHERE g.financer_category = ANY($${n + 2}) AND g.operation_kind = 'urbaine' AND g.month >= $${n + 3} AND g.month <= $${n + 4}) AS urbaines
       FROM (${sql}) g
      GROUP BY GROUPING SETS ((), (g.financer_code), (${detail.join(', ')}))
      ORDER BY 1, 2, 3, 4, 5, ${detail[4]}`,
    params,
  );
  return ledger.bilanSubsidiesOf(rows);
}
