import { type AsOf } from '../shared/as-of';

/**
 * The drill-down link of a figure: `/reports/bilan/figures/<key>/events?asOf=<date>[&knownAt=<instant>]`, the route
 * that lists the events behind it (apps/api FiguresController). Kept apart from figures.ts so that the bilan can link
 * its figures without importing the drill-down.
 */
export function figureLink(key: string, q: AsOf): string {
  const qs = new URLSearchParams({ asOf: q.asOf, ...(q.knownAt ? { knownAt: q.knownAt } : {}) });
  return `/reports/bilan/figures/${encodeURIComponent(key)}/events?${qs.toString()}`;
}
