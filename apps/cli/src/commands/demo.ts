import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Table from 'cli-table3';
import { type BilanReport, type Sql, buildBilan, renderBilanText } from '@erbm/read-models';

export interface PublishedFigure {
  key: string;
  label: string;
  value: number;
  comparator: 'eq' | 'gte' | 'approx';
  tolerance?: number;
  source: string;
}

/** Reads a figure of the report by its dotted key (`insertion.logementsHours`); Eur strings become numbers of euros. */
export function figure(report: BilanReport, key: string): number | null {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), report);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v)) return Number(v.split('.')[0]);
  return null;
}

export function matches(f: PublishedFigure, actual: number | null): boolean {
  if (actual === null) return false;
  if (f.comparator === 'eq') return actual === f.value;
  if (f.comparator === 'gte') return actual >= f.value;
  return Math.abs(actual - f.value) <= f.value * (f.tolerance ?? 0.01);
}

const COMPARATOR_FR = { eq: '=', gte: '≥', approx: '≈' } as const;

/**
 * Compares the report with the published figures (data/erbm/published-figures.json, REFERENCE.md §7) and renders
 * the comparison in French. Returns whether every figure matches.
 */
export function compareWithPublished(report: BilanReport, published: PublishedFigure[]): { ok: boolean; text: string } {
  const t = new Table({ head: ['Indicateur publié (bilan mi-parcours)', 'Publié', 'Reconstitué', ''], style: { head: [], border: [] } });
  let ok = true;
  for (const f of published) {
    const actual = figure(report, f.key);
    const good = matches(f, actual);
    ok &&= good;
    t.push([f.label, `${COMPARATOR_FR[f.comparator]} ${f.value.toLocaleString('fr-FR')}`, actual === null ? '—' : actual.toLocaleString('fr-FR'), good ? 'OK' : 'ÉCART']);
  }
  return { ok, text: t.toString().replace(/\u202f|\u00a0/g, ' ') };
}

/** Builds the bilan at `asOf`, writes it as JSON to `file`, and returns it with its French text. */
export async function writeBilan(db: Sql, asOf: string, file: string, knownAt?: string): Promise<{ report: BilanReport; text: string }> {
  const report = await buildBilan(db, { asOf, knownAt });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return { report, text: renderBilanText(report) };
}

export const loadPublished = (root: string): PublishedFigure[] => JSON.parse(readFileSync(join(root, 'data/erbm/published-figures.json'), 'utf8')) as PublishedFigure[];
