import pdfmake from 'pdfmake';
import { type Content, type TableCell } from 'pdfmake/interfaces';
import { type BilanReport, L, frLongDate } from '@erbm/reporting';
import { type BilanCharts } from './charts';
import { CHAPTERS, sourcesLine } from './html';
import { type ReportTable, bilanTables, columnText, isNumeric, situationLine } from './tables';
import { reportStamp } from './zip';

/** PDFKit's standard (built-in) fonts: no font file to ship or load. They are WinAnsi-encoded. */
const FONTS = { Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } };

const STANDARD_FONTS = new Set(Object.values(FONTS.Helvetica));

/** Text for the standard fonts: characters outside WinAnsi replaced (narrow / no-break spaces, ≥, …). */
export const winAnsi = (s: string): string => s.replace(/[\u202f\u00a0\u2009]/g, ' ').replace(/\u2265/g, '>=').replace(/\u2264/g, '<=');

/** Page width available to content (A4 portrait, 40 pt margins). */
const CONTENT_WIDTH = 595.28 - 2 * 40;

function svgWidth(svg: string): number {
  const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? CONTENT_WIDTH);
  return Math.min(w * 0.75, CONTENT_WIDTH);
}

function tableContent(t: ReportTable, chapterTitle: string): Content[] {
  const numeric = t.head.map((_, i) => t.rows.some((row) => isNumeric(row[i])));
  const head: TableCell[] = t.head.map((h, i) => ({ text: winAnsi(h), style: 'th', alignment: numeric[i] ? 'right' : 'left' }));
  const body: TableCell[][] = t.rows.map((row) => row.map((c, i): TableCell => ({ text: winAnsi(columnText(t.head[i], c)), alignment: numeric[i] ? 'right' : 'left', noWrap: numeric[i] })));
  const out: Content[] = [];
  if (t.title !== chapterTitle) out.push({ text: winAnsi(t.title), style: 'h3' });
  out.push({
    table: { headerRows: 1, widths: t.head.map((_, i) => (i === 0 ? '*' : 'auto')), body: [head, ...(body.length ? body : [t.head.map((): TableCell => ({ text: '—' }))])] },
    layout: { hLineWidth: () => 0.5, vLineWidth: () => 0, hLineColor: () => '#ccccdd', fillColor: (row: number) => (row === 0 ? '#e8eef4' : null), paddingTop: () => 2, paddingBottom: () => 2 },
    margin: [0, 0, 0, t.notes?.length ? 2 : 8],
  });
  for (const note of t.notes ?? []) out.push({ text: winAnsi(note), style: 'small', margin: [0, 0, 0, 6] });
  // A short table stays with its title on one page.
  return t.rows.length <= 30 ? [{ stack: out, unbreakable: true }] : out;
}

/** The pdfmake document definition of the bilan (same chapters, tables and charts as the HTML). */
export function bilanPdfDefinition(r: BilanReport, charts: BilanCharts, producedAt?: string) {
  const tables = bilanTables(r);
  const stamp = reportStamp(r);
  const content: Content[] = [
    { text: winAnsi(L.title), style: 'h1' },
    { text: winAnsi(situationLine(r, producedAt)), style: 'situation' },
  ];
  for (const ch of CHAPTERS) {
    const items: Content[] = [];
    for (const k of ch.charts) {
      const svg = charts[k];
      if (svg) items.push({ svg: winAnsi(svg), width: svgWidth(svg), margin: [0, 4, 0, 8] });
    }
    for (const t of tables.filter((x) => ch.sheets.includes(x.sheet))) items.push(...tableContent(t, ch.title));
    // The chapter heading stays with its first chart or table.
    content.push({ stack: [{ text: winAnsi(ch.title), style: 'h2' }, ...items.slice(0, 1)], unbreakable: true }, ...items.slice(1));
  }
  content.push({ text: winAnsi(L.sections.sources), style: 'h3', margin: [0, 12, 0, 2] }, { text: winAnsi(sourcesLine(r, producedAt)), style: 'small' });
  return {
    pageSize: 'A4' as const,
    pageMargins: [40, 40, 40, 40] as [number, number, number, number],
    info: { title: winAnsi(`${L.title} - ${L.bilanAu} ${frLongDate(r.asOf)}`), author: 'ERBM', subject: 'Bilan', creator: 'ERBM', producer: 'ERBM (pdfmake)', creationDate: stamp, modDate: stamp },
    defaultStyle: { font: 'Helvetica', fontSize: 9 },
    styles: {
      h1: { fontSize: 16, bold: true, color: '#1f5f99', margin: [0, 0, 0, 4] as [number, number, number, number] },
      situation: { fontSize: 10, color: '#555555', margin: [0, 0, 0, 10] as [number, number, number, number] },
      h2: { fontSize: 12.5, bold: true, color: '#1f5f99', margin: [0, 10, 0, 4] as [number, number, number, number] },
      h3: { fontSize: 10, bold: true, margin: [0, 4, 0, 3] as [number, number, number, number] },
      th: { bold: true },
      small: { fontSize: 8, color: '#555555' },
    },
    footer: (page: number, pages: number): Content => ({ text: winAnsi(`${L.bilanAu} ${frLongDate(r.asOf)} — ${page} / ${pages}`), alignment: 'right', fontSize: 8, color: '#777777', margin: [40, 10, 40, 0] }),
    content,
  };
}

/**
 * The bilan as a PDF (pdfmake, standard fonts, the charts as SVG nodes). Creation and modification dates are the
 * report's knowledge time, so the same report gives the same bytes.
 */
export async function bilanPdf(r: BilanReport, charts: BilanCharts, producedAt?: string): Promise<Buffer> {
  pdfmake.setFonts(FONTS);
  // Everything is embedded in the definition: no URL nor local file may be fetched (the standard font names are
  // built into PDFKit).
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => STANDARD_FONTS.has(path));
  return pdfmake.createPdf(bilanPdfDefinition(r, charts, producedAt)).getBuffer();
}
