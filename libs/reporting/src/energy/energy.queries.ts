import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { type ReadScope, scopeCondition } from '../shared/scope';

const DELIVERY = { operationId: 'd.operation_id', epciCode: 'd.epci_code', bailleurCode: 'd.bailleur_code' };

/**
 * Energy results of the logements livrés (ledger scan of `rm_delivery_ledger`): weighted average consumption before
 * and after works (kWhEP/m².an), logements under the programme's goal, DPE classes before and after. The roll-up
 * answer (`rollups.energyResults`) shares the delivery roll-up's single pass and lives with it in
 * `progress/logements.rollup.ts`.
 */
export interface EnergyResults {
  logements: number;
  /** Average primary energy before / after works, weighted by logements, kWhEP/m².an (rounded to 0.1). */
  averageBeforeKwhPerM2Year: number | null;
  averageAfterKwhPerM2Year: number | null;
  goalKwhPerM2Year: number;
  /** Logements whose consumption after works is below the goal, and their share of the logements (0–1, 4 decimals). */
  logementsUnderGoal: number;
  shareUnderGoal: number | null;
  dpeBefore: Record<string, number>;
  dpeAfter: Record<string, number>;
}

/** Energy results of the logements livrés on `asOf` against the goal (strictly below `goal` kWh/m².an). */
export async function energyResults(db: Sql, q: AsOf, goal: number, scope?: ReadScope): Promise<EnergyResults> {
  const p: unknown[] = [q.asOf, knownAtParam(q), goal];
  const where = `WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${scopeCondition(scope, DELIVERY, p, q)}`;
  const [t] = await db.query<Record<string, string>[]>(
    `SELECT SUM(logements) AS n, SUM(logements * energy_before_kwh::bigint) AS before, SUM(logements * energy_after_kwh::bigint) AS after,
            SUM(logements) FILTER (WHERE energy_after_kwh < $3) AS under
       FROM rm_delivery_ledger d ${where}`,
    p,
  );
  const classes = async (col: 'dpe_before' | 'dpe_after') => {
    const rows = await db.query<{ c: string; n: string }[]>(`SELECT ${col} AS c, SUM(logements) AS n FROM rm_delivery_ledger d ${where} AND $3::int IS NOT NULL GROUP BY 1 ORDER BY 1`, p);
    return Object.fromEntries(rows.filter((r) => num(r.n) !== 0).map((r) => [r.c, num(r.n)]));
  };
  const n = num(t.n);
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    logements: n,
    averageBeforeKwhPerM2Year: n ? round1(num(t.before) / n) : null,
    averageAfterKwhPerM2Year: n ? round1(num(t.after) / n) : null,
    goalKwhPerM2Year: goal,
    logementsUnderGoal: num(t.under),
    shareUnderGoal: n ? Math.round((num(t.under) / n) * 10000) / 10000 : null,
    dpeBefore: await classes('dpe_before'),
    dpeAfter: await classes('dpe_after'),
  };
}
