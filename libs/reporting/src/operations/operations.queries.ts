import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { type ReadScope, scopeCondition } from '../shared/scope';

export interface PhaseCount {
  kind: 'logements' | 'urbaine';
  financing: string | null;
  /** Phase reached by `asOf`, or `suspendue` / `abandonnee` when that was the operation's status then. */
  phase: string;
  operations: number;
  plannedLogements: number;
}

/**
 * Operations by phase on `asOf`: for each operation programmed by then, the last phase started by `asOf` and its
 * status then (the last suspension, resumption or abandonment by `asOf`).
 */
export async function operationsByPhase(db: Sql, q: AsOf, scope?: ReadScope): Promise<PhaseCount[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const rows = await db.query<Record<string, string>[]>(
    `WITH steps AS (
       SELECT * FROM rm_operation_step WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz
     ), phase AS (
       SELECT DISTINCT ON (operation_id) operation_id, phase FROM steps WHERE step IN ('programmed','phase')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), status AS (
       SELECT DISTINCT ON (operation_id) operation_id, step FROM steps WHERE step IN ('suspended','resumed','abandoned')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     )
     SELECT o.kind, o.financing,
            CASE WHEN s.step = 'abandoned' THEN 'abandonnee' WHEN s.step = 'suspended' THEN 'suspendue' ELSE p.phase END AS phase,
            COUNT(*) AS operations, SUM(o.planned_logements) AS planned
       FROM rm_operation o JOIN phase p USING (operation_id) LEFT JOIN status s USING (operation_id)
      WHERE o.recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY 1,2,3 ORDER BY 1,2,3`,
    params,
  );
  return rows.map((r) => ({ kind: r.kind as 'logements' | 'urbaine', financing: r.financing, phase: r.phase, operations: num(r.operations), plannedLogements: num(r.planned) }));
}

/** Sum of `operations` over the rows matching a filter. */
export const countOperations = (rows: PhaseCount[], f: (r: PhaseCount) => boolean): number => rows.filter(f).reduce((s, r) => s + r.operations, 0);
