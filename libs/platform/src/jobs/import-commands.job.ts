import { type CommandEnvelope, type CommandResult, type JobProcessor, applyImportLines, parseImportFile } from '@erbm/application';
import { type Sql } from '@erbm/reporting';
import { ImportStore } from '../imports/import-store';

/** Progress (job percentage and `imports.done`) is written every `PROGRESS_EVERY` rows. */
export const PROGRESS_EVERY = 25;

/**
 * `import.commands`: applies the rows of a stored import (POST /imports) in file order through `execute` (the
 * command bus, as for the API and the CLI), as the submitting organisation with channel `import`, recording each
 * row's outcome in `import_rows`. `knownAt` is honoured only for the délégation (backfill). A rejected row never
 * blocks the others. Any other error fails the attempt: BullMQ retries with back-off, and the retry skips the rows
 * already recorded; after the last attempt the import is `failed` with the error.
 */
export function importCommandsProcessor(db: Sql, execute: (e: CommandEnvelope) => Promise<CommandResult>, now: () => string, every = PROGRESS_EVERY): JobProcessor<'import.commands'> {
  const store = new ImportStore(db);
  return async ({ importId }, progress, { attempt, attempts }) => {
    const imp = await store.load(importId);
    if (!imp) throw new Error(`No import ${importId}`);
    await store.started(importId, attempt, now());
    try {
      const lines = parseImportFile(imp.content, imp.format, { channel: 'import', correlationId: imp.correlationId, actor: imp.actor });
      const recorded = await store.recordedLines(importId);
      await applyImportLines(lines, execute, {
        backfill: imp.actor.organisation === 'delegation',
        skip: (line) => recorded.has(line),
        onRow: async (row, done) => {
          await store.recordRow(importId, row);
          if (done % every === 0) {
            await store.progress(importId, done);
            await progress((done * 100) / Math.max(1, lines.length));
          }
        },
      });
      await store.completed(importId, now());
      await progress(100);
      const view = await store.view(importId);
      return { total: imp.total, accepted: view!.accepted, duplicates: view!.duplicates, rejected: view!.rejected };
    } catch (e) {
      const message = (e as Error).message;
      if (attempt >= attempts) await store.failed(importId, message, now());
      else await store.requeue(importId, `attempt ${attempt} of ${attempts} failed: ${message}; retrying`);
      throw e;
    }
  };
}
