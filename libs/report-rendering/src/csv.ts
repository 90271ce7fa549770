import { type BilanReport, centsToEur } from '@erbm/reporting';
import { type Cell, bilanTables } from './tables';

const field = (s: string): string => (/[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A cell as CSV text: decimal comma, money from cents without floating point, no thousands separator. */
function csvCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'string') return field(c);
  if (typeof c === 'number') return String(c).replace('.', ',');
  if ('cents' in c) return centsToEur(c.cents).replace('.', ',');
  return String(c.percent).replace('.', ',');
}

/**
 * The bilan as French CSV: `;` separator, UTF-8 with BOM, CRLF, a header block (situation / connaissances) then one
 * section per table (title line, header line, rows, blank line). Money in euros with a decimal comma.
 */
export function bilanCsv(r: BilanReport): string {
  const lines: string[] = [];
  lines.push(['Bilan ERBM', 'Situation au', r.asOf, 'Connaissances au', r.knownAt ?? ''].map(field).join(';'));
  lines.push('');
  for (const t of bilanTables(r)) {
    lines.push(field(t.title));
    lines.push(t.head.map(field).join(';'));
    for (const row of t.rows) lines.push(row.map(csvCell).join(';'));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}
