import { randomUUID } from 'node:crypto';
import { type CommandEnvelope, type CommandResult, type JobProcessor, type JobTypes, applyImportLines, parseImportFile } from '@erbm/application';
import { type Sql } from '@erbm/reporting';
import { ImportStore, type ImportView } from '../imports/import-store';

/** Progress (job percentage and `imports.done`) is written, and the lease renewed, every `PROGRESS_EVERY` rows. */
export const PROGRESS_EVERY = 25;

/**
 * Leases of running imports (ADR 0018): a runner holds its import for `leaseMs` (default 30 s) and renews the lease
 * as it progresses (every `PROGRESS_EVERY` rows, and at the next row once a third of the lease has passed); the
 * resumer looks for expired leases every `resumeEveryMs` (default 15 s). Environment: `IMPORT_LEASE_MS`,
 * `IMPORT_RESUME_MS`.
 */
export const IMPORT_LEASE = { leaseMs: 30_000, resumeEveryMs: 15_000 } as const;

export interface ImportProcessorOptions {
  /** Rows between two progress writes (and lease renewals); default PROGRESS_EVERY. */
  every?: number;
  /** Lease length in milliseconds; default IMPORT_LEASE.leaseMs. */
  leaseMs?: number;
}

/** The runner's lease expired and another runner took the import over: this one stops, leaving it the import. */
class LeaseLost extends Error {
  constructor(importId: string) {
    super(`Import ${importId}: lease lost to another runner`);
    this.name = 'LeaseLost';
  }
}

const countsOf = (v: ImportView): JobTypes['import.commands']['result'] => ({ total: v.total, accepted: v.accepted, duplicates: v.duplicates, rejected: v.rejected });

/**
 * `import.commands`: applies the rows of a stored import (POST /imports) in file order through `execute` (the
 * command bus, as for the API and the CLI), as the submitting organisation with channel `import`, recording each
 * row's outcome in `import_rows`. `knownAt` is honoured only for the délégation (backfill). A rejected row never
 * blocks the others.
 *
 * The run holds the import's lease (`ImportStore.acquire`, renewed as rows are applied): a job that finds the lease
 * held by a live runner, or the import finished, does nothing; a runner that loses its lease stops. A resumed run
 * skips the rows already recorded, and a row applied but not yet recorded when its runner died is applied again
 * through the executor's idempotency (its `commandId`): it appends nothing and is reported `duplicate`. So every
 * row is applied at most once. Any other error fails the attempt: the queue retries with back-off; after the last
 * attempt the import is `failed` with the error.
 */
export function importCommandsProcessor(db: Sql, execute: (e: CommandEnvelope) => Promise<CommandResult>, now: () => string, options: ImportProcessorOptions = {}): JobProcessor<'import.commands'> {
  const store = new ImportStore(db);
  const every = options.every ?? PROGRESS_EVERY;
  const leaseMs = options.leaseMs ?? IMPORT_LEASE.leaseMs;
  return async ({ importId }, progress, { attempt, attempts }) => {
    const owner = randomUUID();
    if (!(await store.acquire(importId, owner, attempt, leaseMs, now()))) {
      const view = await store.view(importId);
      if (!view) throw new Error(`No import ${importId}`);
      return countsOf(view);
    }
    const imp = (await store.load(importId))!;
    let renewedAt = Date.now();
    try {
      const lines = parseImportFile(imp.content, imp.format, { channel: 'import', correlationId: imp.correlationId, actor: imp.actor });
      const recorded = await store.recordedLines(importId);
      await applyImportLines(lines, execute, {
        backfill: imp.actor.organisation === 'delegation',
        skip: (line) => recorded.has(line),
        onRow: async (row, done) => {
          await store.recordRow(importId, row);
          if (done % every === 0 || Date.now() - renewedAt > leaseMs / 3) {
            if (!(await store.renew(importId, owner, leaseMs, done))) throw new LeaseLost(importId);
            renewedAt = Date.now();
            await progress((done * 100) / Math.max(1, lines.length));
          }
        },
      });
      await store.completed(importId, now());
      await progress(100);
      return countsOf((await store.view(importId))!);
    } catch (e) {
      if (e instanceof LeaseLost) return countsOf((await store.view(importId))!);
      const message = (e as Error).message;
      if (attempt >= attempts) await store.failed(importId, message, now());
      else await store.requeue(importId, `attempt ${attempt} of ${attempts} failed: ${message}; retrying`);
      throw e;
    }
  };
}
