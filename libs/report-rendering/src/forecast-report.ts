import ExcelJS from 'exceljs';
import pdfmake from 'pdfmake';
import { type Content, type TableCell } from 'pdfmake/interfaces';
import { type TopLevelSpec } from 'vega-lite';
import { type ForecastCell, type ForecastTable, type LogementsForecast, forecastTables, tablesCsv } from '@erbm/forecasting';
import { L } from '@erbm/reporting';
import { renderVegaLite } from './charts';
import { escapeHtml } from './html';
import { winAnsi } from './pdf';
import { type ReportFormat } from './render';
import { INT_FORMAT, DEC_FORMAT } from './xlsx';
import { reportStamp, stampZip } from './zip';

/*
 * The forecast report (issue #13): the French summary, the fan chart (history, P10–P50–P90 band, trend baseline,
 * target line), the assumptions and the tables of `forecastTables`, as CSV, XLSX, HTML and PDF. Same forecast →
 * same bytes (the files are stamped with its knowledge time, else the end of its date).
 */

export const FAN_TITLE = L.charts.fan;
const SERIES = { livres: 'Livrés', p50: 'Prévision médiane (P50)', band: 'P10–P90', tendance: 'Tendance (référence)', objectif: 'Objectif' };

/** The fan chart's vega-lite spec: delivered so far, the P10–P90 band and P50 from asOf, the trend, the target. */
export function forecastFanSpec(f: LogementsForecast): TopLevelSpec {
  const start = { date: f.asOf, p10: f.delivered, p50: f.delivered, p90: f.delivered };
  const fan = [start, ...f.headline.horizon].map((p) => ({ date: p.date, p10: p.p10, p50: p.p50, p90: p.p90 }));
  const lines = [
    ...f.history.map((h) => ({ date: h.date, value: h.delivered, serie: SERIES.livres })),
    ...fan.map((p) => ({ date: p.date, value: p.p50, serie: SERIES.p50 })),
    { date: f.asOf, value: f.delivered, serie: SERIES.tendance },
    { date: f.endDate, value: f.trend.expectedByEndDate, serie: SERIES.tendance },
  ];
  const domain = [SERIES.livres, SERIES.p50, SERIES.tendance];
  const layers: unknown[] = [
    {
      data: { values: fan },
      mark: { type: 'area', opacity: 0.25, color: '#1f5f99' },
      encoding: { x: { field: 'date', type: 'temporal' }, y: { field: 'p10', type: 'quantitative' }, y2: { field: 'p90' } },
    },
    {
      data: { values: lines },
      mark: { type: 'line' },
      encoding: {
        x: { field: 'date', type: 'temporal' },
        y: { field: 'value', type: 'quantitative' },
        color: { field: 'serie', type: 'nominal', title: null, scale: { domain, range: ['#222222', '#1f5f99', '#888888'] }, legend: { orient: 'bottom' } },
        strokeDash: { field: 'serie', type: 'nominal', scale: { domain, range: [[1, 0], [1, 0], [5, 4]] }, legend: null },
      },
    },
  ];
  if (f.target !== null) {
    layers.push(
      { data: { values: [{ value: f.target }] }, mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 4] }, encoding: { y: { field: 'value', type: 'quantitative' } } },
      {
        data: { values: [{ value: f.target, date: f.history[0]?.date ?? f.asOf, label: `${SERIES.objectif} ${f.target.toLocaleString('fr-FR')}` }] },
        mark: { type: 'text', align: 'left', dy: -6, fontSize: 10, color: '#c0392b' },
        encoding: { x: { field: 'date', type: 'temporal' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: FAN_TITLE,
    width: 460,
    height: 240,
    encoding: {
      x: { field: 'date', type: 'temporal', title: null, scale: { type: 'utc' }, axis: { format: '%Y', tickCount: 'year' } },
      y: { field: 'value', type: 'quantitative', title: 'Logements', axis: { format: ',d' } },
    },
    layer: layers,
    config: { font: 'Helvetica', title: { fontSize: 13, anchor: 'start' }, axis: { labelFontSize: 10, titleFontSize: 10 }, legend: { labelFontSize: 10, labelLimit: 300 }, view: { stroke: null } },
  } as TopLevelSpec;
}

/** The fan chart as an SVG string. */
export const forecastFanChart = (f: LogementsForecast): Promise<string> => renderVegaLite(forecastFanSpec(f));

const title = (f: LogementsForecast) => `Prévision des logements livrés au ${f.asOf}`;
const cellText = (c: ForecastCell): string => (c === null ? '' : typeof c === 'number' ? c.toLocaleString('fr-FR').replace(/[\u202f\u00a0]/g, ' ') : c);

/** The forecast as a printable French HTML page (summary, fan chart, tables), all values escaped. */
export function forecastHtml(f: LogementsForecast, fan: string): string {
  const tables = forecastTables(f)
    .map((t) => {
      const numeric = t.head.map((_, i) => t.rows.some((r) => typeof r[i] === 'number'));
      const head = t.head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
      const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(cellText(c))}</td>`).join('')}</tr>`).join('\n');
      return `<h2>${escapeHtml(t.title)}</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title(f))}</title>
<style>
  @page { size: A4; margin: 15mm 12mm; }
  body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #222; margin: 0 auto; max-width: 190mm; }
  h1 { font-size: 16pt; color: #1f5f99; } h2 { font-size: 12pt; color: #1f5f99; margin-top: 7mm; }
  .summary { font-size: 11.5pt; font-weight: bold; }
  table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccd; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
  th { background: #e8eef4; } td.n, th.n { text-align: right; white-space: nowrap; }
  figure svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(title(f))}</h1>
<p class="summary">${escapeHtml(f.summary)}</p>
<figure aria-label="${escapeHtml(FAN_TITLE)}">${fan}</figure>
${tables}
</body>
</html>
`;
}

/** The forecast as a PDF (pdfmake, standard fonts): the same content as the HTML. */
export async function forecastPdf(f: LogementsForecast, fan: string): Promise<Buffer> {
  const stamp = reportStamp(f);
  const content: Content[] = [
    { text: winAnsi(title(f)), fontSize: 16, bold: true, color: '#1f5f99', margin: [0, 0, 0, 6] },
    { text: winAnsi(f.summary), fontSize: 11, bold: true, margin: [0, 0, 0, 8] },
    { svg: winAnsi(fan), width: 480, margin: [0, 0, 0, 8] },
  ];
  for (const t of forecastTables(f)) {
    const head: TableCell[] = t.head.map((h) => ({ text: winAnsi(h), bold: true }));
    const rows: TableCell[][] = t.rows.map((r) => r.map((c): TableCell => ({ text: winAnsi(cellText(c)), alignment: typeof c === 'number' ? 'right' : 'left' })));
    content.push(
      { text: winAnsi(t.title), fontSize: 11, bold: true, color: '#1f5f99', margin: [0, 8, 0, 3] },
      {
        table: { headerRows: 1, widths: t.head.map((_, i) => (i === t.head.length - 1 ? '*' : 'auto')), body: [head, ...(rows.length ? rows : [t.head.map((): TableCell => ({ text: '—' }))])] },
        layout: { hLineWidth: () => 0.5, vLineWidth: () => 0, hLineColor: () => '#ccccdd', fillColor: (row: number) => (row === 0 ? '#e8eef4' : null) },
        fontSize: t.head.length > 6 ? 7 : 8.5,
      },
    );
  }
  pdfmake.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path.startsWith('Helvetica'));
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      pageMargins: [40, 40, 40, 40],
      info: { title: winAnsi(title(f)), author: 'ERBM', subject: 'Prévision', creator: 'ERBM', producer: 'ERBM (pdfmake)', creationDate: stamp, modDate: stamp },
      defaultStyle: { font: 'Helvetica', fontSize: 9 },
      content,
    })
    .getBuffer();
}

/** The forecast as an XLSX workbook, one sheet per table; counts as numbers. */
export async function forecastXlsx(f: LogementsForecast): Promise<Buffer> {
  const stamp = reportStamp(f);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ERBM';
  wb.lastModifiedBy = 'ERBM';
  wb.title = title(f);
  wb.created = stamp;
  wb.modified = stamp;
  wb.lastPrinted = stamp;
  const bySheet = new Map<string, ForecastTable[]>();
  for (const t of forecastTables(f)) bySheet.set(t.sheet, [...(bySheet.get(t.sheet) ?? []), t]);
  for (const [name, tables] of bySheet) {
    const ws = wb.addWorksheet(name.slice(0, 31));
    ws.addRow([`${title(f)} — ${f.summary}`]).font = { italic: true };
    for (const t of tables) {
      ws.addRow([]);
      ws.addRow([t.title]).font = { bold: true, size: 12 };
      ws.addRow(t.head).font = { bold: true };
      for (const r of t.rows) {
        const xr = ws.addRow([]);
        r.forEach((c, i) => {
          if (c === null) return;
          const cell = xr.getCell(i + 1);
          cell.value = c;
          if (typeof c === 'number') cell.numFmt = Number.isInteger(c) ? INT_FORMAT : DEC_FORMAT;
        });
      }
    }
    ws.columns.forEach((col, i) => {
      col.width = i === 0 ? 40 : 18;
    });
  }
  return stampZip(Buffer.from(await wb.xlsx.writeBuffer()), stamp);
}

/** The forecast report in one format as bytes (`fan` may be passed to render the chart once for HTML and PDF). */
export async function renderForecast(f: LogementsForecast, format: Exclude<ReportFormat, 'zip'>, fan?: string): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(f, null, 2)}\n`, 'utf8');
    case 'csv':
      return Buffer.from(tablesCsv(forecastTables(f)), 'utf8');
    case 'xlsx':
      return forecastXlsx(f);
    case 'html':
      return Buffer.from(forecastHtml(f, fan ?? (await forecastFanChart(f))), 'utf8');
    case 'pdf':
      return forecastPdf(f, fan ?? (await forecastFanChart(f)));
  }
}
