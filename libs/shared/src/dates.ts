import { invalid } from './errors';

/** A calendar date `YYYY-MM-DD` (business date, Europe/Paris day). Compared lexicographically. */
export type IsoDate = string & { readonly __brand?: 'IsoDate' };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date between 1900-01-01 and 2100-12-31. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/** @throws DomainError COMMAND.INVALID when `value` is not an ISO date. */
export function assertIsoDate(value: unknown, field: string): IsoDate {
  if (!isIsoDate(value)) throw invalid([{ field, rule: 'isIsoDate', message: 'must be a date YYYY-MM-DD between 1900 and 2100' }]);
  return value;
}

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

/** The year of an ISO date, as a number. */
export const yearOf = (d: IsoDate): number => Number(d.slice(0, 4));
