import { type AsOf, type Sql, knownAtParam, num } from './as-of';
import { type ReadScope, scopeCondition } from './scope';

export const INSERTION_DIMENSIONS = ['epci', 'bailleur', 'operation', 'operationKind', 'year'] as const;
export type InsertionDimension = (typeof INSERTION_DIMENSIONS)[number];

const COLUMN: Record<InsertionDimension, string> = {
  epci: 'epci_code',
  bailleur: "COALESCE(bailleur_code, '')",
  operation: "COALESCE(operation_id, '')",
  operationKind: "COALESCE(operation_kind, 'hors-operation')",
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
 * grouped by EPCI, bailleur, operation, operation kind (`logements`, `urbaine`, `hors-operation`) and/or year.
 */
export async function insertionStats(db: Sql, q: AsOf, groupBy: InsertionDimension[], filter: { operationKind?: 'logements' | 'urbaine' } = {}, scope?: ReadScope): Promise<InsertionRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const where = ['period_end <= $1', 'recorded_at <= $2::timestamptz'];
  where.push(scopeCondition(scope, { operationId: 'rm_insertion_ledger.operation_id', epciCode: 'rm_insertion_ledger.epci_code', bailleurCode: 'rm_insertion_ledger.bailleur_code' }, params));
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
