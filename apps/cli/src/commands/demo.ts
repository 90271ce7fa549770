import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Table from 'cli-table3';
import { type BilanReport, type PublishedFigure, type Sql, buildBilan, checkPublished } from '@erbm/reporting';
import { renderBilanText } from '@erbm/report-rendering';

const COMPARATOR_FR = { eq: '=', gte: '≥', approx: '≈' } as const;

/**
 * Compares the report with the published figures (data/erbm/published-figures.json, REFERENCE.md §7) and renders
 * the comparison in French. Returns whether every figure matches.
 */
export function compareWithPublished(report: BilanReport, published: PublishedFigure[]): { ok: boolean; text: string } {
  const t = new Table({ head: ['Indicateur publié (bilan mi-parcours)', 'Publié', 'Reconstitué', ''], style: { head: [], border: [] } });
  const checks = checkPublished(report, published);
  for (const { figure: f, actual, ok: good } of checks) {
    t.push([f.label, `${COMPARATOR_FR[f.comparator]} ${f.value.toLocaleString('fr-FR')}`, actual === null ? '—' : actual.toLocaleString('fr-FR'), good ? 'OK' : 'ÉCART']);
  }
  const ok = checks.every((c) => c.ok);
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
