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
