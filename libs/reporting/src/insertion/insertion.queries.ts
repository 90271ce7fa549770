import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { INSERTION_AXIS_CODE } from '../shared/axes';
import { type ReadScope, scopeCondition } from '../shared/scope';

export const INSERTION_DIMENSIONS = ['epci', 'bailleur', 'operation', 'operationKind', 'axis', 'year'] as const;
export type InsertionDimension = (typeof INSERTION_DIMENSIONS)[number];

const COLUMN: Record<InsertionDimension, string> = {
  epci: 'epci_code',
  bailleur: "COALESCE(bailleur_code, '')",
  operation: "COALESCE(operation_id, '')",
  operationKind: "COALESCE(operation_kind, 'hors-operation')",
  axis: `'${INSERTION_AXIS_CODE}'::text`,
  year: "to_char(period_end,'YYYY')",
};

export interface ByPublic {
  deld: number;
  rsa: number;
  jeunes: number;
  rqth: number;
  autres: number;
}

export interface InsertionRow {
  keys: Partial<Record<InsertionDimension, string>>;
  /** Heures d'insertion (hours). */
  hours: number;
  participants: ByPublic & { total: number };
  recruitments: ByPublic & { total: number };
}

/**
 * Heures d'insertion, participants and recruitments by public on `asOf` (declarations whose period ended by then),
 * grouped by EPCI, bailleur, operation, operation kind (`logements`, `urbaine`, `hors-operation`), axis (always
 * `INSERTION_AXIS_CODE`, 2e) and/or year.
 */
export async function insertionStats(db: Sql, q: AsOf, groupBy: InsertionDimension[], filter: { operationKind?: 'logements' | 'urbaine' } = {}, scope?: ReadScope): Promise<InsertionRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const where = ['period_end <= $1', 'recorded_at <= $2::timestamptz'];
  where.push(scopeCondition(scope, { operationId: 'rm_insertion_ledger.operation_id', epciCode: 'rm_insertion_ledger.epci_code', bailleurCode: 'rm_insertion_ledger.bailleur_code' }, params, q));
  if (filter.operationKind) {
    params.push(filter.operationKind);
    where.push(`operation_kind = $${params.length}`);
  }
  const pubs = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
  const sums = [...pubs.map((p) => `SUM(participants_${p}) AS p_${p}`), ...pubs.map((p) => `SUM(recruitments_${p}) AS r_${p}`)];
  const cols = groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`);
  const rows = await db.query<Record<string, string>[]>(
    `SELECT ${[...cols, 'COALESCE(SUM(hours),0) AS hours', ...sums].join(', ')} FROM rm_insertion_ledger WHERE ${where.join(' AND ')}
      ${groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}` : ''}`,
    params,
  );
  const byPublic = (r: Record<string, string>, prefix: string) => {
    const o = Object.fromEntries(pubs.map((p) => [p, num(r[`${prefix}_${p}`])])) as unknown as ByPublic;
    return { ...o, total: pubs.reduce((s, p) => s + num(r[`${prefix}_${p}`]), 0) };
  };
  return rows.map((r) => ({ keys: Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]])), hours: num(r.hours), participants: byPublic(r, 'p'), recruitments: byPublic(r, 'r') }));
}

/** The insertion figures of the bilan (see `bilanInsertion`). */
export interface BilanInsertion {
  programme: InsertionRow;
  logements: InsertionRow;
  byEpci: InsertionRow[];
  byYear: InsertionRow[];
}

/**
 * The bilan's four `insertionStats` calls (all, logements operations only, by EPCI, by year) in one scan of the
 * insertion ledger (`GROUPING SETS` and `FILTER`): same figures, same order.
 */
export async function bilanInsertion(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanInsertion> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 'rm_insertion_ledger.operation_id', epciCode: 'rm_insertion_ledger.epci_code', bailleurCode: 'rm_insertion_ledger.bailleur_code' }, params, q);
  const pubs = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
  const cols = (prefix: string, filter: string) => [
    `COALESCE(SUM(hours)${filter},0) AS ${prefix}hours`,
    ...pubs.map((p) => `SUM(participants_${p})${filter} AS ${prefix}p_${p}`),
    ...pubs.map((p) => `SUM(recruitments_${p})${filter} AS ${prefix}r_${p}`),
  ];
  // Years as dates (cheaper than to_char on every row), formatted per group; they sort as their 'YYYY' strings.
  const year = "date_trunc('year', period_end::timestamp)";
  const rows = await db.query<Record<string, string | null>[]>(
    `SELECT CASE WHEN GROUPING(epci_code) = 0 THEN 'epci' WHEN GROUPING(${year}) = 0 THEN 'year' ELSE 'total' END AS dim, epci_code AS epci, to_char(${year}, 'YYYY') AS year,
            ${[...cols('', ''), ...cols('l_', " FILTER (WHERE operation_kind = 'logements')")].join(', ')}
       FROM rm_insertion_ledger WHERE period_end <= $1 AND recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY GROUPING SETS ((), (epci_code), (${year}))
      ORDER BY 1, 2, ${year}`,
    params,
  );
  const row = (r: Record<string, string | null> | undefined, prefix: string, keys: InsertionRow['keys']): InsertionRow => {
    const byPublic = (x: string) => {
      const o = Object.fromEntries(pubs.map((p) => [p, num(r?.[`${prefix}${x}_${p}`])])) as unknown as ByPublic;
      return { ...o, total: pubs.reduce((s, p) => s + num(r?.[`${prefix}${x}_${p}`]), 0) };
    };
    return { keys, hours: num(r?.[`${prefix}hours`]), participants: byPublic('p'), recruitments: byPublic('r') };
  };
  const total = rows.find((r) => r.dim === 'total');
  return {
    programme: row(total, '', {}),
    logements: row(total, 'l_', {}),
    byEpci: rows.filter((r) => r.dim === 'epci').map((r) => row(r, '', { epci: r.epci as string })),
    byYear: rows.filter((r) => r.dim === 'year').map((r) => row(r, '', { year: r.year as string })),
  };
}
