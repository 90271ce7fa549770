/**
 * Buckets of the roll-ups: the business month of a fact and the knowledge month of its event (UTC). A roll-up row
 * sums the ledger rows of one (month, known_month, dimensions); an answer as of `asOf` and as known at `knownAt`
 * adds the roll-up rows of whole months before both and the ledger rows of the two partial months
 * (`queries/rollup/buckets.ts`).
 */

/** First day of the month of an ISO date (`YYYY-MM-DD` → `YYYY-MM-01`). */
export const monthOf = (isoDate: string): string => `${isoDate.slice(0, 7)}-01`;

/** First day (UTC) of the month of an ISO date-time. */
export const knownMonthOf = (recordedAt: string): string => `${(/^\d{4}-\d\d-\d\dT.*Z$/.test(recordedAt) ? recordedAt : new Date(recordedAt).toISOString()).slice(0, 7)}-01`;

/**
 * Energy goal (kWh EP/m².an, strictly below) whose logements the delivery roll-up counts (`under_goal`): the
 * programme's goal since 2017 (target version 1, seeds 002). Answers for another goal are read from the ledger.
 */
export const ROLLUP_ENERGY_GOAL_KWH = 130;

/** A point of the two times in months: (business month, knowledge month), both `YYYY-MM-01`. */
export type MonthPoint = readonly [month: string, knownMonth: string];

/** The later of two points in each time (their join): the first point at which both are reached. */
export const joinPoints = (a: MonthPoint, b: MonthPoint): MonthPoint => [a[0] > b[0] ? a[0] : b[0], a[1] > b[1] ? a[1] : b[1]];

/**
 * The minimal points of a set (none reached at or after another of the set in both times), sorted by business month
 * ascending (so knowledge month strictly descending): the corners of the staircase "some point of the set ≤ Q".
 */
export function minimalPoints(points: readonly MonthPoint[]): MonthPoint[] {
  const sorted = [...points].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out: MonthPoint[] = [];
  for (const p of sorted) if (out.length === 0 || p[1] < out[out.length - 1][1]) out.push(p);
  return out;
}

/**
 * The staircase "some point of `points` is ≤ Q" (in both times) as signed corners: Σ sign × [corner ≤ Q] equals it
 * for every Q. With the minimal points p₁…pₙ sorted by business month: +1 at each pᵢ and −1 at each pᵢ ∨ pᵢ₊₁
 * (inclusion–exclusion; in two dimensions only consecutive corners overlap). Corners are keyed `month|knownMonth`.
 */
export function staircase(points: readonly MonthPoint[]): Map<string, { point: MonthPoint; sign: number }> {
  const m = minimalPoints(points);
  const out = new Map<string, { point: MonthPoint; sign: number }>();
  const add = (point: MonthPoint, sign: number) => {
    const k = `${point[0]}|${point[1]}`;
    const v = (out.get(k)?.sign ?? 0) + sign;
    if (v === 0) out.delete(k);
    else out.set(k, { point, sign: v });
  };
  m.forEach((p, i) => {
    add(p, 1);
    if (i + 1 < m.length) add(joinPoints(p, m[i + 1]), -1);
  });
  return out;
}

/** `after − before` of two signed-corner maps (`staircase`): the corners to add when the set of points grows. */
export function cornerDifference(after: Map<string, { point: MonthPoint; sign: number }>, before: Map<string, { point: MonthPoint; sign: number }>): { point: MonthPoint; sign: number }[] {
  const out = new Map(after);
  for (const [k, { point, sign }] of before) {
    const v = (out.get(k)?.sign ?? 0) - sign;
    if (v === 0) out.delete(k);
    else out.set(k, { point, sign: v });
  }
  return [...out.values()];
}
