import { type BilanReport } from './bilan';

/**
 * A published figure to reproduce (data/erbm/published-figures.json; REFERENCE.md §7, bilan à mi-parcours 2017–2022,
 * seeds 002): `eq` exact, `gte` "plus de", `approx` within `tolerance` (share, default 1 %).
 */
export interface PublishedFigure {
  key: string;
  label: string;
  value: number;
  comparator: 'eq' | 'gte' | 'approx';
  tolerance?: number;
  source: string;
}

/** A figure of the report by its dotted key (`insertion.logementsHours`); decimal-euro strings give whole euros. */
export function figureOf(report: BilanReport, key: string): number | null {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), report);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v)) return Number(v.split('.')[0]);
  return null;
}

export function matchesPublished(f: PublishedFigure, actual: number | null): boolean {
  if (actual === null) return false;
  if (f.comparator === 'eq') return actual === f.value;
  if (f.comparator === 'gte') return actual >= f.value;
  return Math.abs(actual - f.value) <= f.value * (f.tolerance ?? 0.01);
}

export interface FigureCheck {
  figure: PublishedFigure;
  actual: number | null;
  ok: boolean;
}

/** Compares every published figure with the report. */
export const checkPublished = (report: BilanReport, published: PublishedFigure[]): FigureCheck[] =>
  published.map((figure) => {
    const actual = figureOf(report, figure.key);
    return { figure, actual, ok: matchesPublished(figure, actual) };
  });
