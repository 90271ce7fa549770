import { type AsOf, type Sql, num } from '../shared/as-of';
import * as ledger from './operations.queries';
import { type PhaseCount } from './operations.queries';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { bucketSplit } from '../shared/buckets';

/**
 * The operations in each phase on `asOf` as `operationsByPhase` (operations.queries.ts) gives them, from the roll-up
 * `rm_operation_phase_rollup` (signed corners in business month × knowledge month, ADR 0022) plus, for the
 * operations with a step in the partial months (or programmed in knownAt's partial month), their phase at
 * (asOf, knownAt) minus their phase at the end of the whole months, computed from their steps. A financer's scope
 * is read from the ledger. `operationsEstimated`: the operations whose phase or status then comes from an estimated
 * event (`operations_estimated`, ADR 0021).
 */
export async function operationsByPhase(db: Sql, q: AsOf, scope?: ReadScope): Promise<PhaseCount[]> {
  if (scope?.kind === 'financer') return ledger.operationsByPhase(db, q, scope);
  const s = bucketSplit(q);
  const params = s.params;
  const rollupScope = scopeCondition(scope, { operationId: 'r.operation_id', epciCode: 'r.epci_code', bailleurCode: 'r.bailleur_code' }, params, q);
  const opScope = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const recordedInPartial = q.knownAt === undefined ? '' : `UNION SELECT operation_id FROM rm_operation WHERE recorded_at <= $2::timestamptz AND NOT (${s.whole("'-infinity'::date", 'recorded_at')})`;
  /** The shown phase of the changed operations from their steps satisfying `steps`, the operation recorded per `recorded`. */
  const phaseAt = (sign: number, steps: string, recorded: string) => `
    SELECT ${sign} AS sign, o.kind, o.financing,
           CASE WHEN st.step = 'abandoned' THEN 'abandonnee' WHEN st.step = 'suspended' THEN 'suspendue' ELSE p.phase END AS phase, o.planned_logements,
           CASE WHEN (CASE WHEN st.step IN ('abandoned','suspended') THEN st.estimated ELSE p.estimated END) THEN ${sign} ELSE 0 END AS estimated
      FROM (SELECT DISTINCT operation_id FROM changed) c
      JOIN rm_operation o USING (operation_id)
      -- Each changed operation's last steps by key (few operations, a few steps each), not a scan of every step by date.
      CROSS JOIN LATERAL (SELECT s.phase, s.estimated FROM rm_operation_step s
             WHERE s.operation_id = c.operation_id AND s.step IN ('programmed','phase') AND ${steps}
             ORDER BY s.effective_on DESC, s.global_position DESC LIMIT 1) p
      LEFT JOIN LATERAL (SELECT s.step, s.estimated FROM rm_operation_step s
             WHERE s.operation_id = c.operation_id AND s.step IN ('suspended','resumed','abandoned') AND ${steps}
             ORDER BY s.effective_on DESC, s.global_position DESC LIMIT 1) st ON TRUE
     WHERE ${recorded} AND ${opScope}`;
  const rows = await db.query<Record<string, string>[]>(
    `WITH changed AS (
       SELECT operation_id FROM rm_operation_step WHERE ${s.ledger('effective_on')} ${recordedInPartial}
     ), counted AS (
       SELECT r.kind, NULLIF(r.financing, '') AS financing, r.phase, r.operations, r.planned, r.operations_estimated AS estimated
         FROM rm_operation_phase_rollup r WHERE ${s.rollup} AND ${rollupScope}
       UNION ALL
       SELECT kind, financing, phase, sign, sign * planned_logements, estimated FROM (
         ${phaseAt(1, 's.effective_on <= $1 AND s.recorded_at <= $2::timestamptz', 'o.recorded_at <= $2::timestamptz')}
         UNION ALL
         ${phaseAt(-1, s.whole('s.effective_on', 's.recorded_at'), q.knownAt === undefined ? 'TRUE' : s.whole("'-infinity'::date", 'o.recorded_at'))}
       ) x
     )
     SELECT kind, financing, phase, SUM(operations) AS operations, SUM(planned) AS planned, SUM(estimated) AS estimated FROM counted
      GROUP BY 1,2,3 HAVING SUM(operations) <> 0 ORDER BY 1,2,3`,
    params,
  );
  return rows.map((r) => ({ kind: r.kind as 'logements' | 'urbaine', financing: r.financing, phase: r.phase, operations: num(r.operations), operationsEstimated: num(r.estimated), plannedLogements: num(r.planned) }));
}
