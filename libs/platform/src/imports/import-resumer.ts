import { type JobQueue } from '@erbm/application';
import { type Sql } from '@erbm/reporting';
import { ImportStore } from './import-store';

/**
 * The job id that resumes an import left behind: the import id itself when it never started (its first job was
 * lost, or is still waiting: the queue deduplicates the id), else one id per dead runner (`<importId>-resume-<lease
 * owner>`), so a job of that import that already ended in the queue (as a no-op while the runner still held the
 * lease) does not hide the resumption. Several sweeps before the resumed job runs queue it once.
 */
export const resumeJobId = (importId: string, leaseOwner: string | null): string => (leaseOwner ? `${importId}-resume-${leaseOwner}` : importId);

/**
 * Queues `import.commands` again for every import left behind (queued or running with an absent or expired lease:
 * `ImportStore.leftBehind`). The job takes the lease and resumes after the rows already recorded.
 * @returns the import ids queued again.
 */
export async function resumeLeftBehind(db: Sql, queue: JobQueue): Promise<string[]> {
  const store = new ImportStore(db);
  const out: string[] = [];
  for (const { importId, leaseOwner } of await store.leftBehind()) {
    await queue.enqueue('import.commands', { importId }, { jobId: resumeJobId(importId, leaseOwner) });
    out.push(importId);
  }
  return out;
}

export interface ImportResumer {
  /** Stops the periodic sweep (a sweep in progress finishes). */
  stop(): Promise<void>;
}

/**
 * Sweeps at start-up and then every `everyMs` (ADR 0018): no import is left behind by a runner that died (process
 * killed, worker lost) or by a job lost with the process that queued it (in-process mode). Runs in the worker
 * (BullMQ mode) and in the API (in-process mode), wherever `startBackgroundWork` runs. A failed sweep (queue or
 * database unreachable) is logged and tried again at the next interval.
 */
export function startImportResumer(db: Sql, queue: JobQueue, everyMs: number, log: { log(m: string): void; warn(m: string): void }): ImportResumer {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = running.then(async () => {
      try {
        const resumed = await resumeLeftBehind(db, queue);
        if (resumed.length) log.log(`Imports left behind queued again: ${resumed.join(', ')}`);
      } catch (e) {
        log.warn(`Import resumer: ${(e as Error).message}; trying again in ${everyMs} ms`);
      }
    });
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
