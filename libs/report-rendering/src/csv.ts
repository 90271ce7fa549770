import { crc32, deflateRawSync } from 'node:zlib';
import { type BilanReport, L, centsToEur } from '@erbm/reporting';
import { sourcesLine } from './html';
import { type Cell, type ReportTable, bilanTables, situationLine } from './tables';
import { reportStamp } from './zip';

const field = (s: string): string => (/[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A cell as CSV text: decimal comma, money from cents without floating point, no thousands separator, dates JJ/MM/AAAA. */
function csvCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'string') return field(c);
  if (typeof c === 'number') return String(c).replace('.', ',');
  if ('cents' in c) return centsToEur(c.cents).replace('.', ',');
  if ('date' in c) return c.date.split('-').reverse().join('/');
  return String(c.percent).replace('.', ',');
}

/** One table as French CSV: `;` separator, UTF-8 with BOM, CRLF, the header line (units in it) then the rows. */
export function tableCsv(t: ReportTable): string {
  return `\uFEFF${[t.head.map(field).join(';'), ...t.rows.map((row) => row.map(csvCell).join(';'))].join('\r\n')}\r\n`;
}

/** File name of a table's CSV: its number and its name without accents or spaces (`01-synthese.csv`). */
const fileName = (t: ReportTable, i: number): string =>
  `${String(i + 1).padStart(2, '0')}-${t.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`;

/**
 * The bilan as CSV files, one table per file (`tableCsv`), and `LISEZMOI.txt`: situation date, knowledge time,
 * each file's title and notes, and the sources.
 */
export function bilanCsvFiles(r: BilanReport, producedAt?: string): { name: string; content: string }[] {
  const tables = bilanTables(r);
  const files = tables.map((t, i) => ({ name: fileName(t, i), content: tableCsv(t) }));
  const readme = [
    `${L.title} — ${situationLine(r, producedAt)}`,
    '',
    'Un tableau par fichier CSV (séparateur « ; », UTF-8, virgule décimale, montants en euros, parts en %) :',
    ...tables.flatMap((t, i) => [`- ${files[i].name} : ${t.title}`, ...(t.notes ?? []).map((n) => `    ${n}`)]),
    '',
    `${L.sections.sources} : ${sourcesLine(r, producedAt)}`,
  ];
  return [{ name: 'LISEZMOI.txt', content: `\uFEFF${readme.join('\r\n')}\r\n` }, ...files];
}

/**
 * The bilan as a ZIP of CSV files (`bilanCsvFiles`), deflated; entries dated with the report's knowledge time, so
 * the same report gives the same bytes.
 */
export function bilanCsvZip(r: BilanReport, producedAt?: string): Buffer {
  const at = reportStamp(r);
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  const date = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of bilanCsvFiles(r, producedAt)) {
    const name = Buffer.from(f.name, 'utf8');
    const data = Buffer.from(f.content, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed
    common.writeUInt16LE(0x0800, 2); // UTF-8 names
    common.writeUInt16LE(8, 4); // deflate
    common.writeUInt16LE(time, 6);
    common.writeUInt16LE(date, 8);
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(name.length, 22);
    common.writeUInt16LE(0, 24);
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), common, name, packed]);
    const tail = Buffer.alloc(14);
    tail.writeUInt32LE(offset, 10); // comment length, disk, attributes: 0; offset of the local header
    central.push(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0]), common, tail, name]));
    locals.push(local);
    offset += local.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * The whole bilan in one CSV file, for a quick look in a spreadsheet (`;`, UTF-8 with BOM, CRLF): the situation and
 * knowledge line, then each table (title line, header line with units, rows, blank line). Machine reading: one
 * table per file in the ZIP (`bilanCsvZip`).
 */
export function bilanCsv(r: BilanReport, producedAt?: string): string {
  const lines: string[] = [field(`${L.title} — ${situationLine(r, producedAt)}`), ''];
  for (const t of bilanTables(r)) {
    lines.push(field(t.title));
    lines.push(t.head.map(field).join(';'));
    for (const row of t.rows) lines.push(row.map(csvCell).join(';'));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}
