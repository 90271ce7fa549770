import ExcelJS from 'exceljs';
import { type BilanReport, L, centsToEur, frLongDate } from '@erbm/reporting';
import { type Cell, bilanTables, columnText, situationLine } from './tables';
import { reportStamp, stampZip } from './zip';

export const EUR_FORMAT = '#,##0.00 "€"';
export const INT_FORMAT = '#,##0';
export const DEC_FORMAT = '#,##0.0';
export const PCT_FORMAT = '0.0%';

export const DATE_FORMAT = 'dd/mm/yyyy';
export const YEAR_FORMAT = '0';

function put(cell: ExcelJS.Cell, c: Cell, head: string): void {
  if (c === null) return;
  if (typeof c === 'string') cell.value = c;
  else if (typeof c === 'number') {
    cell.value = c;
    cell.numFmt = head === L.annee ? YEAR_FORMAT : Number.isInteger(c) ? INT_FORMAT : DEC_FORMAT;
  } else if ('cents' in c) {
    // Euros as a number only here, at the edge, from the exact decimal string of the cents.
    cell.value = Number(centsToEur(c.cents));
    cell.numFmt = EUR_FORMAT;
  } else if ('date' in c) {
    cell.value = new Date(`${c.date}T00:00:00Z`);
    cell.numFmt = DATE_FORMAT;
  } else {
    cell.value = Number((c.percent / 100).toFixed(4));
    cell.numFmt = PCT_FORMAT;
  }
}

/** Width (characters) a cell's text needs, as displayed (French number, euros, percent, date). */
const widthOf = (head: string, c: Cell): number => columnText(head, c).length + 2;

/** Rows above each table's header: the title, the situation line, a blank row. */
const HEADER_ROW = 4;

/**
 * The bilan as an XLSX workbook (exceljs): one table per sheet (title, situation and knowledge time, then the header
 * row, frozen and with filters, the rows, and the table's notes below), counts, euros, percentages, years and dates
 * as numbers and dates with number formats, column widths fitted to their content. Dates of the workbook and of the
 * ZIP entries are the report's knowledge time: same report, same bytes.
 */
export async function bilanXlsx(r: BilanReport, producedAt?: string): Promise<Buffer> {
  const stamp = reportStamp(r);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ERBM';
  wb.lastModifiedBy = 'ERBM';
  wb.title = `${L.title} — ${L.bilanAu} ${frLongDate(r.asOf)}`;
  wb.created = stamp;
  wb.modified = stamp;
  wb.lastPrinted = stamp;
  for (const t of bilanTables(r)) {
    const ws = wb.addWorksheet(t.name, { views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }] });
    ws.addRow([t.title]).font = { bold: true, size: 12 };
    ws.addRow([`${L.title} — ${situationLine(r, producedAt)}`]).font = { italic: true };
    ws.addRow([]);
    const head = ws.addRow(t.head);
    head.font = { bold: true };
    head.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    });
    for (const row of t.rows) {
      const xr = ws.addRow([]);
      row.forEach((c, i) => put(xr.getCell(i + 1), c, t.head[i]));
    }
    ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW + Math.max(t.rows.length, 1), column: t.head.length } };
    if (t.notes?.length) ws.addRow([]);
    for (const note of t.notes ?? []) ws.addRow([note]).font = { italic: true, size: 9 };
    t.head.forEach((h, i) => {
      const widest = Math.max(h.length + 4, ...t.rows.map((row) => widthOf(h, row[i])));
      ws.getColumn(i + 1).width = Math.min(Math.max(widest, 8), 80);
    });
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return stampZip(buffer, stamp);
}
