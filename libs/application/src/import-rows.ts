import { DomainError, type FieldViolation } from '@erbm/shared';
import { type CommandEnvelope, type CommandResult } from './command-executor';
import { type ImportLine } from './import-format';

/** What became of one row of an import (docs/import-format.md, "Outcome of each line"). */
export type ImportOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface ImportRowOutcome {
  line: number;
  commandId: string | null;
  type: string | null;
  outcome: ImportOutcome;
  /** Error code of a rejected row (`OPERATION.DELIVERY_EXCEEDS_PLANNED`, `AUTH.NOT_OWNER`, `IMPORT.UNREADABLE_ROW`…). */
  code: string | null;
  message: string | null;
  violations: FieldViolation[];
  /** Events appended (accepted) or already there (duplicate). */
  events: number;
}

export interface ApplyImportOptions {
  /** Keep each row's `knownAt` as the events' knowledge time (backfill); otherwise the clock gives it. */
  backfill: boolean;
  /** Lines already applied (a retried job resumes after them): skipped, not reported again. */
  skip?: (line: number) => boolean;
  /** Called after each row, in file order, with the number of rows handled so far (skipped ones included). */
  onRow?: (row: ImportRowOutcome, done: number) => Promise<void> | void;
}

/**
 * Applies one parsed row through `execute` (the CommandExecutor, directly or through the command bus) and says
 * what became of it. Domain errors make the row `rejected`; any other error (database down…) is thrown, so the
 * caller stops and may retry later.
 */
export async function applyImportRow(l: ImportLine, execute: (e: CommandEnvelope) => Promise<CommandResult>, backfill: boolean): Promise<ImportRowOutcome> {
  if ('error' in l) {
    const message = l.error.map((v) => `${v.field}: ${v.message}`).join('; ');
    return { line: l.line, commandId: l.commandId ?? null, type: l.type ?? null, outcome: 'rejected', code: 'IMPORT.UNREADABLE_ROW', message, violations: l.error, events: 0 };
  }
  const envelope = backfill ? l.envelope : { ...l.envelope, knownAt: undefined };
  const base = { line: l.line, commandId: envelope.commandId, type: envelope.type };
  try {
    const r = await execute(envelope);
    return { ...base, outcome: r.duplicate ? 'duplicate' : 'accepted', code: null, message: null, violations: [], events: r.events.length };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ...base, outcome: 'rejected', code: e.code, message: e.message, violations: e.violations, events: 0 };
  }
}

/**
 * Applies the rows of an import in file order, one by one (a row may depend on an earlier one). A rejected row
 * never blocks the others. Shared by the CLI (`erbm import`) and the `import.commands` job.
 */
export async function applyImportLines(lines: ImportLine[], execute: (e: CommandEnvelope) => Promise<CommandResult>, opts: ApplyImportOptions): Promise<ImportRowOutcome[]> {
  const out: ImportRowOutcome[] = [];
  let done = 0;
  for (const l of lines) {
    done++;
    if (opts.skip?.(l.line)) continue;
    const row = await applyImportRow(l, execute, opts.backfill);
    out.push(row);
    await opts.onRow?.(row, done);
  }
  return out;
}

/** Counts of outcomes. */
export function summarizeOutcomes(rows: ImportRowOutcome[]): { accepted: number; duplicates: number; rejected: number } {
  return {
    accepted: rows.filter((r) => r.outcome === 'accepted').length,
    duplicates: rows.filter((r) => r.outcome === 'duplicate').length,
    rejected: rows.filter((r) => r.outcome === 'rejected').length,
  };
}
