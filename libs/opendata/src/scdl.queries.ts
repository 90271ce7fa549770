import { type AsOf, type Sql, knownAtParam, num } from '@erbm/reporting';
import { type ScdlGrantFacts } from './scdl';

/**
 * The grants decided by `asOf` as known at `knownAt`, with their amount decided and their payments on `asOf`
 * (from `rm_grant_ledger`, so later amendments, payments and cancellations do not change an earlier export).
 * `financerCode` restricts to one financer's grants (a financer reads its own). Ordered by convention date, id.
 */
export async function scdlGrantFacts(db: Sql, q: AsOf, financerCode?: string): Promise<ScdlGrantFacts[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  let financer = 'TRUE';
  if (financerCode) {
    params.push(financerCode);
    financer = `g.financer_code = $${params.length}`;
  }
  const rows = await db.query<Record<string, string | string[] | null>[]>(
    `SELECT g.grant_id, g.financer_code, COALESCE(f.name, g.financer_code) AS financer_name, to_char(g.convention_date,'YYYY-MM-DD') AS convention_date,
            g.decision_ref, g.beneficiary_name, g.operation_id, o.title, g.dispositif,
            (SELECT COALESCE(SUM(l.decided_cents),0) FROM rm_grant_ledger l
              WHERE l.grant_id = g.grant_id AND l.effective_on <= $1 AND l.recorded_at <= $2::timestamptz) AS decided,
            (SELECT COALESCE(array_agg(to_char(l.effective_on,'YYYY-MM-DD') ORDER BY l.effective_on), '{}') FROM rm_grant_ledger l
              WHERE l.grant_id = g.grant_id AND l.movement = 'paid' AND l.effective_on <= $1 AND l.recorded_at <= $2::timestamptz) AS payments
       FROM rm_grant g LEFT JOIN rm_financer f ON f.financer_code = g.financer_code LEFT JOIN rm_operation o ON o.operation_id = g.operation_id
      WHERE g.convention_date <= $1 AND g.recorded_at <= $2::timestamptz AND ${financer}
      ORDER BY g.convention_date, g.grant_id`,
    params,
  );
  return rows.map((r) => ({
    grantId: r.grant_id as string,
    financerCode: r.financer_code as string,
    financerName: r.financer_name as string,
    conventionDate: r.convention_date as string,
    decisionRef: (r.decision_ref as string | null) ?? null,
    beneficiaryName: r.beneficiary_name as string,
    operationId: r.operation_id as string,
    operationTitle: (r.title as string | null) ?? null,
    dispositif: r.dispositif as string,
    decidedCents: num(r.decided as string),
    paymentDates: (r.payments as string[] | null) ?? [],
  }));
}
