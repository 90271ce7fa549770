import ExcelJS from 'exceljs';
import { type BilanReport, L, centsToEur } from '@erbm/reporting';
import { type Cell, bilanTables, situationLine } from './tables';
import { reportStamp, stampZip } from './zip';

export const EUR_FORMAT = '#,##0.00 "€"';
export const INT_FORMAT = '#,##0';
export const DEC_FORMAT = '#,##0.0';
export const PCT_FORMAT = '0.0%';

function put(cell: ExcelJS.Cell, c: Cell): void {
  if (c === null) return;
  if (typeof c === 'string') cell.value = c;
  else if (typeof c === 'number') {
    cell.value = c;
    cell.numFmt = Number.isInteger(c) ? INT_FORMAT : DEC_FORMAT;
  } else if ('cents' in c) {
    // Euros as a number only here, at the edge, from the exact decimal string of the cents.
    cell.value = Number(centsToEur(c.cents));
    cell.numFmt = EUR_FORMAT;
  } else {
    cell.value = Number((c.percent / 100).toFixed(4));
    cell.numFmt = PCT_FORMAT;
  }
}

/**
 * The bilan as an XLSX workbook (exceljs), one sheet per section; counts, euros and percentages as numbers with
 * number formats. Dates of the workbook and of the ZIP entries are the report's knowledge time: same report, same bytes.
 */
export async function bilanXlsx(r: BilanReport): Promise<Buffer> {
  const stamp = reportStamp(r);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ERBM';
  wb.lastModifiedBy = 'ERBM';
  wb.title = `${L.title} — ${L.bilanAu} ${r.asOf}`;
  wb.created = stamp;
  wb.modified = stamp;
  wb.lastPrinted = stamp;
  const tables = bilanTables(r);
  for (const name of L.sheets) {
    const ws = wb.addWorksheet(name);
    ws.addRow([`${L.title} — ${situationLine(r)}`]).font = { italic: true };
    for (const t of tables.filter((x) => x.sheet === name)) {
      ws.addRow([]);
      ws.addRow([t.title]).font = { bold: true, size: 12 };
      const head = ws.addRow(t.head);
      head.font = { bold: true };
      head.eachCell((c) => {
        c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
      });
      for (const row of t.rows) {
        const xr = ws.addRow([]);
        row.forEach((c, i) => put(xr.getCell(i + 1), c));
      }
    }
    ws.columns.forEach((col, i) => {
      col.width = i === 0 ? 60 : 20;
    });
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return stampZip(buffer, stamp);
}
