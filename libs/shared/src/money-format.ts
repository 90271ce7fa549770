/**
 * Money and numbers as the reports write them. Amounts are integer euro cents everywhere (never floats); these only
 * format them. One place for the cents → euros conversions that the bilan JSON, its files, the drill-down and the
 * audit history share.
 */

/** Cents → decimal euros as a string with two decimals (`95800000` → `"958000.00"`), without floating point. */
export function centsToEur(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer with spaces between thousands (French): `233557` → `233 557`; a non-number is returned as text. */
export const frenchInteger = (n: unknown): string => {
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  const sign = v < 0 ? '-' : '';
  return sign + String(Math.trunc(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
};

/** Integer euro cents as French euros: `150000000` → `1 500 000,00 €`; a non-number is returned as text. */
export const euros = (cents: unknown): string => {
  const c = Number(cents);
  if (!Number.isFinite(c)) return String(cents);
  return `${centsToEur(Math.trunc(c)).replace(/^(-?)(\d+)\./, (_, sign: string, int: string) => `${sign}${frenchInteger(int)},`)} €`;
};
