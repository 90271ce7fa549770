import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type CommandBus } from '@nestjs/cqrs';
import { type CommandResult, type ImportFormat, type ImportLine, type ImportRowOutcome, applyImportLines, parseImportFile, sniffCsvHeader, summarizeOutcomes } from '@erbm/application';
import { ExecuteCommand } from '@erbm/platform';
import { usageError } from '../errors';
import { progressBar } from '../progress';

export interface ImportRowReport {
  line: number;
  commandId: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  /** `<code>: <message>` of a rejected row. */
  reason?: string;
  code?: string;
}

export interface ImportSummary {
  total: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rows: ImportRowReport[];
}

/** The format of a file from its name: `.csv` is CSV, anything else JSON Lines. */
export const formatOf = (file: string): ImportFormat => (/\.csv$/i.test(file) ? 'csv' : 'jsonl');

const report = (r: ImportRowOutcome): ImportRowReport =>
  r.outcome === 'rejected' ? { line: r.line, commandId: r.commandId, outcome: r.outcome, code: r.code ?? undefined, reason: `${r.code}: ${r.message}` } : { line: r.line, commandId: r.commandId, outcome: r.outcome };

/**
 * Reads and parses an import file (docs/import-format.md: JSON Lines, or CSV when the name ends in `.csv`) without
 * touching the database, so that a wrong file is refused before anything is done. JSON Lines rows carry their actor;
 * CSV rows act as `opts.as` (default `delegation`). One correlation id (`import-<uuid>`) for the whole file.
 * @throws CliError (exit code 2) with a French message when the file is missing, is a folder, holds no command (as
 *   POST /imports answers IMPORT.EMPTY_FILE), is a CSV under another name (its first line is a CSV header), or holds
 *   no JSON line at all; DomainError IMPORT.UNREADABLE_FILE when a CSV's header or quoting is wrong (parseImportCsv).
 */
export function readImportFile(file: string, opts: { as?: string; user?: string } = {}): ImportLine[] {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw usageError(`${file} est un dossier : indiquer un fichier JSON Lines ou CSV (docs/import-format.md).`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw usageError(`Fichier introuvable : ${file}`, e);
    if (code === 'EACCES' || code === 'EPERM') throw usageError(`Fichier illisible (accès refusé) : ${file}`, e);
    throw e;
  }
  const format = formatOf(file);
  const actor = opts.as !== undefined || format === 'csv' ? { organisation: opts.as ?? 'delegation', user: opts.user ?? 'cli', channel: 'import' as const } : undefined;
  const lines = parseImportFile(text, format, { channel: 'import', correlationId: `import-${randomUUID()}`, actor });
  if (lines.length === 0) throw usageError(`${basename(file)} ne contient aucune commande à importer${format === 'csv' ? ' (seulement l’en-tête)' : ''}.`);
  if (format === 'jsonl') {
    if (sniffCsvHeader(text)) {
      throw usageError(
        `${basename(file)} est un CSV (sa première ligne est un en-tête CSV), pas du JSON Lines : le format se choisit par l’extension, renommer le fichier en .csv (et indiquer --as <organisation>).`,
      );
    }
    const json = lines.filter((l) => !('error' in l && l.error.some((v) => v.field === '(line)')));
    if (json.length === 0) {
      throw usageError(`${basename(file)} n’est pas du JSON Lines : aucune ligne n’est un objet JSON (un fichier CSV doit finir par .csv ; docs/import-format.md).`);
    }
  }
  return lines;
}

/**
 * Imports the lines of a file read by readImportFile through the command bus, in file order, with the same
 * row-processing code as the `import.commands` job (applyImportLines), with a progress line. With `backfill`, each
 * row's `knownAt` becomes the events' knowledge time. A rejected row never stops the others; re-importing the same
 * file appends nothing (commands are idempotent).
 */
export async function importLines(bus: CommandBus, lines: ImportLine[], opts: { backfill: boolean }): Promise<ImportSummary> {
  const bar = progressBar('Import', lines.length);
  const outcomes = await applyImportLines(lines, (e) => bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e)), {
    backfill: opts.backfill,
    onRow: (_row, done) => bar.update(done),
  });
  bar.stop();
  return { total: outcomes.length, ...summarizeOutcomes(outcomes), rows: outcomes.map(report) };
}

/** readImportFile then importLines (the demo's import of the reconstruction). */
export function importFile(bus: CommandBus, file: string, opts: { backfill: boolean; as?: string; user?: string }): Promise<ImportSummary> {
  return importLines(bus, readImportFile(file, opts), opts);
}
