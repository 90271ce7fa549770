import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type CommandBus } from '@nestjs/cqrs';
import { type CommandResult, parseImportLines } from '@erbm/application';
import { ExecuteCommand } from '@erbm/platform';
import { DomainError } from '@erbm/shared';
import { progressBar } from '../progress';

export interface ImportRowReport {
  line: number;
  commandId: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
}

export interface ImportSummary {
  total: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rows: ImportRowReport[];
}

/**
 * Imports a JSON Lines file of commands (docs/import-format.md) through the command bus, in file order.
 * With `backfill`, each line's `knownAt` becomes the events' knowledge time (historical reconstruction).
 * A rejected line never stops the others; re-importing the same file appends nothing (commands are idempotent).
 */
export async function importFile(bus: CommandBus, file: string, opts: { backfill: boolean }): Promise<ImportSummary> {
  const correlationId = `import-${randomUUID()}`;
  const lines = parseImportLines(readFileSync(file, 'utf8'), 'import', correlationId);
  const bar = progressBar('Import', lines.length);
  const rows: ImportRowReport[] = [];
  for (const [i, l] of lines.entries()) {
    if ('error' in l) {
      rows.push({ line: l.line, commandId: null, outcome: 'rejected', reason: l.error.map((v) => `${v.field}: ${v.message}`).join('; ') });
    } else {
      const envelope = opts.backfill ? l.envelope : { ...l.envelope, knownAt: undefined };
      try {
        const r = await bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(envelope));
        rows.push({ line: l.line, commandId: envelope.commandId, outcome: r.duplicate ? 'duplicate' : 'accepted' });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        rows.push({ line: l.line, commandId: envelope.commandId, outcome: 'rejected', reason: `${e.code}: ${e.message}` });
      }
    }
    bar.update(i + 1);
  }
  bar.stop();
  return {
    total: rows.length,
    accepted: rows.filter((r) => r.outcome === 'accepted').length,
    duplicates: rows.filter((r) => r.outcome === 'duplicate').length,
    rejected: rows.filter((r) => r.outcome === 'rejected').length,
    rows,
  };
}
