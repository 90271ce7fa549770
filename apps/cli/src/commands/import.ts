import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type CommandBus } from '@nestjs/cqrs';
import { type CommandResult, type ImportFormat, type ImportRowOutcome, applyImportLines, parseImportFile, summarizeOutcomes } from '@erbm/application';
import { ExecuteCommand } from '@erbm/platform';
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
 * Imports a file of commands (docs/import-format.md: JSON Lines, or CSV when the name ends in `.csv`) through the
 * command bus, in file order, with the same row-processing code as the `import.commands` job (applyImportLines).
 * JSON Lines rows carry their actor; CSV rows act as `opts.as` (default `delegation`). With `backfill`, each
 * row's `knownAt` becomes the events' knowledge time. A rejected row never stops the others; re-importing the same
 * file appends nothing (commands are idempotent).
 */
export async function importFile(bus: CommandBus, file: string, opts: { backfill: boolean; as?: string; user?: string }): Promise<ImportSummary> {
  const correlationId = `import-${randomUUID()}`;
  const format = formatOf(file);
  const actor = opts.as !== undefined || format === 'csv' ? { organisation: opts.as ?? 'delegation', user: opts.user ?? 'cli', channel: 'import' as const } : undefined;
  const lines = parseImportFile(readFileSync(file, 'utf8'), format, { channel: 'import', correlationId, actor });
  const bar = progressBar('Import', lines.length);
  const outcomes = await applyImportLines(lines, (e) => bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e)), {
    backfill: opts.backfill,
    onRow: (_row, done) => bar.update(done),
  });
  bar.stop();
  return { total: outcomes.length, ...summarizeOutcomes(outcomes), rows: outcomes.map(report) };
}
