import { figureDefinition } from '../figures/catalogue';
import { type BilanReport } from './bilan-report';

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

/**
 * A figure of the report by its catalogue key (`insertion.logementsHours`, `figures/catalogue.ts`), in the unit of
 * the published figures: the catalogue's unit, except money in whole euros (cents / 100, truncated). Null when the
 * key names no figure of the catalogue or the report has none (no target yet).
 */
export function figureOf(report: BilanReport, key: string): number | null {
  const figure = figureDefinition(key);
  const value = figure ? figure.value(report) : null;
  return value !== null && figure?.unit === 'cents' ? Math.trunc(value / 100) : value;
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
