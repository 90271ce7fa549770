/**
 * Money is an integer number of euro cents. Largest supported amount: Number.MAX_SAFE_INTEGER cents
 * (about 90 000 billion €), far above any ERBM figure (the programme's 2 billion € of works).
 * Sums in PostgreSQL are `bigint`.
 */
export type Cents = number;

export const isCents = (v: unknown): v is Cents => typeof v === 'number' && Number.isSafeInteger(v);

/** Formats cents as French euros, e.g. 9_600_000_000 → "96 000 000 €" (no decimals when whole). */
export function formatEuros(cents: Cents): string {
  const euros = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  const whole = euros.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ');
  return rest === 0 ? `${whole} €` : `${whole},${String(rest).padStart(2, '0')} €`;
}
