/** Port for the current time. Domain code never reads the system clock; handlers take it from here. */
export interface Clock {
  /** Now, as an ISO date-time string in UTC (`2026-11-21T10:00:00.000Z`). */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date(Date.now()).toISOString() };

/** A clock fixed at a given instant, for tests and backfill. */
export const fixedClock = (iso: string): Clock => ({ now: () => iso });
