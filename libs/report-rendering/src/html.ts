import { type BilanReport, L, frLongDate } from '@erbm/reporting';
import { type BilanCharts, CHART_TITLES } from './charts';
import { type ReportTable, bilanTables, columnText, estimatedSummary, isNumeric, situationLine } from './tables';

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CSS = `
  @page { size: A4; margin: 15mm 12mm; }
  body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #222; margin: 0 auto; max-width: 190mm; }
  header { border-bottom: 2px solid #1f5f99; margin-bottom: 8mm; }
  h1 { font-size: 16pt; color: #1f5f99; margin: 0 0 2mm; }
  h2 { font-size: 12.5pt; color: #1f5f99; margin: 7mm 0 2mm; break-after: avoid; }
  h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
  .situation { color: #555; margin: 0 0 3mm; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; break-inside: avoid; }
  th, td { border-bottom: 1px solid #ccd; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
  th { background: #e8eef4; }
  td.n, th.n { text-align: right; white-space: nowrap; }
  figure { margin: 3mm 0 5mm; break-inside: avoid; }
  figure svg { max-width: 100%; height: auto; }
  p.note { font-size: 8.5pt; color: #555; margin: -1.5mm 0 3mm; }
  footer { margin-top: 8mm; font-size: 8.5pt; color: #555; border-top: 1px solid #ccd; padding-top: 2mm; }
  @media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
`;

/** Which tables go to which chapter, and the charts shown at the start of the chapter. */
export const CHAPTERS: { title: string; sheets: ReportTable['sheet'][]; charts: (keyof BilanCharts)[] }[] = [
  { title: L.sections.synthese, sheets: ['Synthèse'], charts: ['trajectory', 'fan'] },
  { title: L.sections.logements, sheets: ['Par EPCI', 'Par bailleur', 'Par cité', 'Par financeur'], charts: ['byEpci'] },
  { title: L.sections.operations, sheets: ['Phases'], charts: [] },
  { title: L.sections.subventions, sheets: ['Subventions'], charts: ['subsidies'] },
  { title: L.axisTable, sheets: ['Par axe'], charts: [] },
  { title: L.sections.insertion, sheets: ['Insertion'], charts: ['insertion'] },
  { title: L.sections.energie, sheets: ['Énergie'], charts: [] },
];

/**
 * The sources section: where the figures come from, which share of them is estimated, the situation date and the
 * knowledge time written out (`producedAt`: see `situationLine`).
 */
export const sourcesLine = (r: BilanReport, producedAt?: string): string =>
  `${L.sourcesText}${r.programme.targetSource ? ` (objectif v${r.programme.targetVersion ?? '?'} : ${r.programme.targetSource})` : ''}. ${estimatedSummary(r)} ${situationLine(r, producedAt)}. Montants en euros, arrondis au centime.`;

function tableHtml(t: ReportTable, chapterTitle: string): string {
  const numeric = t.head.map((_, i) => t.rows.some((row) => isNumeric(row[i])));
  const head = t.head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows.map((row) => `<tr>${row.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(columnText(t.head[i], c))}</td>`).join('')}</tr>`).join('\n');
  const caption = t.title === chapterTitle ? '' : `<h3>${escapeHtml(t.title)}</h3>\n`;
  const notes = (t.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return `${caption}<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${notes ? `\n${notes}` : ''}`;
}

/**
 * The bilan as a printable French HTML page: header with the situation date and knowledge time, the four charts
 * inline as SVG, the tables, print CSS (A4) and the sources. All values are escaped; same report → same bytes.
 */
export function bilanHtml(r: BilanReport, charts: BilanCharts, producedAt?: string): string {
  const tables = bilanTables(r);
  const chapters = CHAPTERS.map((ch) => {
    const figures = ch.charts
      .filter((k) => charts[k])
      .map((k) => `<figure aria-label="${escapeHtml(CHART_TITLES[k])}">${charts[k]}</figure>`)
      .join('\n');
    const body = tables
      .filter((t) => ch.sheets.includes(t.sheet))
      .map((t) => tableHtml(t, ch.title))
      .join('\n');
    return `<section>\n<h2>${escapeHtml(ch.title)}</h2>\n${figures}\n${body}\n</section>`;
  });
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${L.title} — ${L.bilanAu} ${frLongDate(r.asOf)}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(L.title)}</h1>
<p class="situation">${escapeHtml(situationLine(r, producedAt))}</p>
</header>
${chapters.join('\n')}
<footer>
<h3>${escapeHtml(L.sections.sources)}</h3>
<p>${escapeHtml(sourcesLine(r, producedAt))}</p>
</footer>
</body>
</html>
`;
}
