/**
 * Every read-model query takes a business date and a knowledge time:
 * - `asOf` (ISO date `YYYY-MM-DD`): the situation on that date: facts whose business date is ≤ asOf;
 * - `knownAt` (ISO date-time, default: now): only what the system had recorded by then (`recorded_at ≤ knownAt`),
 *   so a report produced for a committee comes out identical later, even after corrections were posted.
 */
export interface AsOf {
  asOf: string;
  knownAt?: string;
}

/** Anything that runs SQL: a TypeORM DataSource or EntityManager. */
export interface Sql {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** `knownAt` as a SQL parameter: 'infinity' when not given. */
export const knownAtParam = (q: AsOf): string => q.knownAt ?? 'infinity';

export const num = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
