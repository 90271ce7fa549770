import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Table from 'cli-table3';
import { type BilanReport, type FigureCheck, type PublishedFigure, type Sql, buildBilan, checkPublished } from '@erbm/reporting';
import { renderBilanText } from '@erbm/report-rendering';

const DOCUMENTS: Record<string, string> = {
  '000': 'Focus ERBM (Euralens 2012–2022)',
  '001': 'Pôle métropolitain de l’Artois 2022',
  '002': 'Bilan partenarial à mi-parcours 2017–2022',
  '003': 'Mission Bassin Minier, rapport d’activité 2021',
  '004': 'CRTE, chapeau commun du Pôle métropolitain de l’Artois',
};

/** « 31 décembre 2022 » for an ISO date. */
const dateFr = (iso: string): string => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const nbFr = (n: number): string => n.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ');
const publishedFr = (f: PublishedFigure): string => (f.precision === 'exact' ? nbFr(f.value) : `${f.precision} ${nbFr(f.value)}`);

/**
 * Renders the comparison of every published figure (data/erbm/published-figures.json) with the system's figure at
 * the figure's own date, one French table per date. `ok` is false when any figure is not reproduced within its
 * precision (`matchesPublished`).
 */
export function renderComparison(checks: FigureCheck[]): { ok: boolean; text: string } {
  const out: string[] = [];
  for (const asOf of [...new Set(checks.map((c) => c.figure.asOf))].sort()) {
    const t = new Table({ head: ['Chiffre publié', 'Document', 'Publié', 'Reconstitué', ''], style: { head: [], border: [] }, colWidths: [62, 10, 22, 14, 8], wordWrap: true });
    for (const { figure: f, actual, ok } of checks.filter((c) => c.figure.asOf === asOf)) {
      t.push([f.label, f.document, publishedFr(f), actual === null ? '—' : nbFr(actual), ok ? 'OK' : 'ÉCART']);
    }
    out.push(`Au ${dateFr(asOf)}`, t.toString());
  }
  const docs = [...new Set(checks.map((c) => c.figure.document))].sort().map((d) => `${d} : ${DOCUMENTS[d] ?? d}`);
  out.push(`Documents : ${docs.join(' ; ')}.`);
  out.push('Précision : « plus de X » est reproduit entre X (exclu) et X + 10 % ; « près de X » entre X − 5 % et X ; les autres chiffres exactement.');
  return { ok: checks.every((c) => c.ok), text: out.join('\n') };
}

/** Compares the published figures with the read models, each at its own date (see `checkPublished`), in French. */
export async function compareWithPublished(db: Sql, published: PublishedFigure[]): Promise<{ ok: boolean; text: string; checks: FigureCheck[] }> {
  const checks = await checkPublished(db, published);
  return { ...renderComparison(checks), checks };
}

/** Builds the bilan at `asOf`, writes it as JSON to `file`, and returns it with its French text. */
export async function writeBilan(db: Sql, asOf: string, file: string, knownAt?: string): Promise<{ report: BilanReport; text: string }> {
  const report = await buildBilan(db, { asOf, knownAt });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return { report, text: renderBilanText(report) };
}

export const loadPublished = (root: string): PublishedFigure[] => JSON.parse(readFileSync(join(root, 'data/erbm/published-figures.json'), 'utf8')) as PublishedFigure[];
