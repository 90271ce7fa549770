import { type AsOf, type Sql, num } from '../shared/as-of';
import { INSERTION_AXIS_CODE } from '../shared/axes';
import * as ledger from './insertion.queries';
import { type BilanInsertion, type ByPublic, type InsertionDimension, type InsertionRow } from './insertion.queries';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { bucketSplit } from '../shared/buckets';

/**
 * Heures d'insertion, participants and recruitments from the roll-up (`rm_insertion_rollup`) plus the ledger rows of
 * the partial months (`buckets.ts`): the same signatures and results as `insertion.queries.ts`. Answers by operation
 * (a drill-down: one row per operation) and a financer's scope (the operations it decided a grant on) need each
 * declaration's operation: they are read from the ledger.
 */

const PUBS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'] as const;
const FIGURES = ['hours', ...PUBS.map((p) => `participants_${p}`), ...PUBS.map((p) => `recruitments_${p}`)];

const COLUMN: Record<InsertionDimension, string> = {
  epci: 'i.epci_code',
  bailleur: 'i.bailleur_code',
  operation: "''", // never used: by operation is read from the ledger
  operationKind: 'i.operation_kind',
  axis: `'${INSERTION_AXIS_CODE}'::text`,
  year: "to_char(i.month,'YYYY')",
};

/** Declarations as rows (month of the period's end, EPCI, bailleur or '', operation kind or 'hors-operation', figures). */
function insertionSource(q: AsOf, scope: ReadScope | undefined): { sql: string; params: unknown[] } {
  const s = bucketSplit(q);
  const params = s.params;
  const rollupScope = scopeCondition(scope, { operationId: 'NULL', epciCode: 'r.epci_code', bailleurCode: 'r.bailleur_code' }, params, q);
  const ledgerScope = scopeCondition(scope, { operationId: 'operation_id', epciCode: 'epci_code', bailleurCode: 'bailleur_code' }, params, q);
  return {
    params,
    sql: `SELECT r.month, r.epci_code, r.bailleur_code, r.operation_kind, ${FIGURES.map((f) => `r.${f}`).join(', ')}
            FROM rm_insertion_rollup r WHERE ${s.rollup} AND ${rollupScope}
          UNION ALL
          SELECT date_trunc('month', period_end)::date, epci_code, COALESCE(bailleur_code, ''), COALESCE(operation_kind, 'hors-operation'), ${FIGURES.join(', ')}
            FROM rm_insertion_ledger WHERE ${s.ledger('period_end')} AND ${ledgerScope}`,
  };
}

const figureColumns = (prefix: string, filter: string) => [
  `COALESCE(SUM(i.hours)${filter},0) AS ${prefix}hours`,
  ...PUBS.map((p) => `SUM(i.participants_${p})${filter} AS ${prefix}p_${p}`),
  ...PUBS.map((p) => `SUM(i.recruitments_${p})${filter} AS ${prefix}r_${p}`),
];

function row(r: Record<string, string | null> | undefined, prefix: string, keys: InsertionRow['keys']): InsertionRow {
  const byPublic = (x: string) => {
    const o = Object.fromEntries(PUBS.map((p) => [p, num(r?.[`${prefix}${x}_${p}`])])) as unknown as ByPublic;
    return { ...o, total: PUBS.reduce((s, p) => s + num(r?.[`${prefix}${x}_${p}`]), 0) };
  };
  return { keys, hours: num(r?.[`${prefix}hours`]), participants: byPublic('p'), recruitments: byPublic('r') };
}

/** As `insertionStats` (insertion.queries.ts). */
export async function insertionStats(db: Sql, q: AsOf, groupBy: InsertionDimension[], filter: { operationKind?: 'logements' | 'urbaine' } = {}, scope?: ReadScope): Promise<InsertionRow[]> {
  if (scope?.kind === 'financer' || groupBy.includes('operation')) return ledger.insertionStats(db, q, groupBy, filter, scope);
  const { sql, params } = insertionSource(q, scope);
  let where = 'TRUE';
  if (filter.operationKind) {
    params.push(filter.operationKind);
    where = `i.operation_kind = $${params.length}`;
  }
  const positions = groupBy.map((_, i) => i + 1).join(', ');
  const rows = await db.query<Record<string, string>[]>(
    `SELECT ${[...groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`), ...figureColumns('', '')].join(', ')} FROM (${sql}) i WHERE ${where}
      ${groupBy.length ? `GROUP BY ${positions} ORDER BY ${positions}` : ''}`,
    params,
  );
  return rows.map((r) => row(r, '', Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]]))));
}

/** As `bilanInsertion` (insertion.queries.ts): all, logements operations only, by EPCI and by year, in one query. */
export async function bilanInsertion(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanInsertion> {
  if (scope?.kind === 'financer') return ledger.bilanInsertion(db, q, scope);
  const { sql, params } = insertionSource(q, scope);
  const year = "date_trunc('year', i.month::timestamp)";
  const rows = await db.query<Record<string, string | null>[]>(
    `SELECT CASE WHEN GROUPING(i.epci_code) = 0 THEN 'epci' WHEN GROUPING(${year}) = 0 THEN 'year' ELSE 'total' END AS dim, i.epci_code AS epci, to_char(${year}, 'YYYY') AS year,
            ${[...figureColumns('', ''), ...figureColumns('l_', " FILTER (WHERE i.operation_kind = 'logements')")].join(', ')}
       FROM (${sql}) i
      GROUP BY GROUPING SETS ((), (i.epci_code), (${year}))
      ORDER BY 1, 2, ${year}`,
    params,
  );
  const total = rows.find((r) => r.dim === 'total');
  return {
    programme: row(total, '', {}),
    logements: row(total, 'l_', {}),
    byEpci: rows.filter((r) => r.dim === 'epci').map((r) => row(r, '', { epci: r.epci as string })),
    byYear: rows.filter((r) => r.dim === 'year').map((r) => row(r, '', { year: r.year as string })),
  };
}
