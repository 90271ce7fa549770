import Table from 'cli-table3';
import { type BilanReport, L, frLongDate } from '@erbm/reporting';
import { CHAPTERS, sourcesLine } from './html';
import { bilanTables, columnText, isNumeric, situationLine } from './tables';

/** Tables too long for a terminal: in the files (CSV, XLSX, HTML, PDF) only. */
const FILES_ONLY = new Set(['Subventions détaillées']);

/**
 * Renders the bilan as French plain text (the tables printed by `npm run demo` and `report`): the same tables, names,
 * estimated shares, notes and sources as the files, but the detailed subsidies. `producedAt` (ISO date-time, default
 * now) is written as the knowledge time of a report of everything recorded.
 */
export function renderBilanText(r: BilanReport, producedAt?: string): string {
  const out: string[] = [];
  out.push(`${L.title.toUpperCase()} — ${L.bilanAu.toUpperCase()} ${frLongDate(r.asOf).toUpperCase()}`);
  out.push(situationLine(r, producedAt));
  const tables = bilanTables(r);
  const written = new Set<string>([L.estimeNote]);
  for (const ch of CHAPTERS) {
    out.push('', ch.title);
    for (const t of tables.filter((x) => ch.sheets.includes(x.sheet) && !FILES_ONLY.has(x.name))) {
      if (t.title !== ch.title) out.push(t.title);
      const numeric = t.head.map((_, i) => t.rows.some((row) => isNumeric(row[i])));
      const table = new Table({
        head: t.head,
        style: { head: [], border: [] },
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
        colAligns: numeric.map((x) => (x ? 'right' : 'left')),
      });
      table.push(...t.rows.map((row) => row.map((c, i) => columnText(t.head[i], c))));
      out.push(table.toString().replace(/[\u202f\u00a0]/g, ' '));
      // Each note once (the definitions repeat under several tables in the files).
      for (const note of t.notes ?? []) {
        if (!written.has(note)) out.push(note);
        written.add(note);
      }
    }
  }
  out.push('', L.sections.sources, L.estimeNote, sourcesLine(r, producedAt));
  return out.join('\n');
}
