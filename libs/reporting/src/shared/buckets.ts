import { type AsOf, knownAtParam } from './as-of';

/**
 * How an answer as of `asOf` and as known at `knownAt` is split between the roll-ups and the ledgers (ADR 0014).
 * Roll-up rows are keyed by business month and knowledge month (UTC); a ledger row counts when its business date is
 * ≤ asOf and its knowledge time ≤ knownAt. So the answer is, exactly:
 * - the roll-up rows of business months before `W` (the first month not wholly ≤ asOf: asOf's month, or the next
 *   one when asOf is a month's last day) and knowledge months before `K` (knownAt's month; every month when
 *   knownAt is not given);
 * - plus the ledger rows ≤ (asOf, knownAt) that are in neither: business date in [W, asOf] (asOf's partial month,
 *   by the business-date index) or knowledge time in [start of K, knownAt] (knownAt's partial month, by the
 *   knowledge-time index; none when knownAt is not given).
 * Both parts are bounded by a month of facts; the roll-up part by months × dimensions of the programme.
 * Parameters `$1` (asOf) and `$2` (knownAt or 'infinity') come first, as in the ledger queries.
 */
export interface BucketSplit {
  params: unknown[];
  /** Condition on a roll-up table (alias `r`). */
  rollup: string;
  /** Condition on a ledger table (unaliased columns) whose business date is `dateCol`. */
  ledger(dateCol: string): string;
}

const WHOLE_MONTHS_END = `date_trunc('month', $1::date + 1)::date`;
const KNOWN_MONTH = `date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC')::date`;
const KNOWN_MONTH_START = `(date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

export function bucketSplit(q: AsOf): BucketSplit {
  return {
    params: [q.asOf, knownAtParam(q)],
    rollup: `r.month < ${WHOLE_MONTHS_END} AND r.known_month < ${KNOWN_MONTH}`,
    ledger: (d) =>
      q.knownAt === undefined
        ? `${d} >= ${WHOLE_MONTHS_END} AND ${d} <= $1`
        : `${d} <= $1 AND recorded_at <= $2::timestamptz AND ((${d} >= ${WHOLE_MONTHS_END} AND ${d} <= $1) OR (recorded_at >= ${KNOWN_MONTH_START} AND recorded_at <= $2::timestamptz))`,
  };
}
