import { type Checkpoint, type EventStore, START } from './event-store.port';

/** Counts after each batch of a copy. */
export interface CopyProgress {
  /** Events read from the source so far. */
  read: number;
  /** Events appended to the target so far. */
  appended: number;
  /** Events already in the target (same id, same stream): a resumed copy skips them. */
  skipped: number;
  /** Source checkpoint after the last event handled. */
  checkpoint: Checkpoint;
}

export interface CopyEventsOptions {
  /** Events read from the source per `readAll` call (default 500). */
  batchSize?: number;
  onProgress?: (progress: CopyProgress) => void;
}

/**
 * Copies every event of `from` into `to`, in `from`'s log order, each to its stream with the same event id, type,
 * data, metadata and `recordedAt` (knowledge time), and expected version `streamPosition - 1`. Used to move the log
 * from PostgreSQL to KurrentDB (docs/operations.md, docs/adr/0010).
 *
 * Re-running resumes: events already copied are idempotent replays (counted in `skipped`), so an interrupted copy
 * can simply be started again. Build both stores **without upcasters**, or the copy would store upcast shapes.
 * Global positions and checkpoints are not preserved (each store numbers its own log): projections fed from the
 * target must be rebuilt from its start.
 * @throws WrongExpectedVersionError when a target stream holds events that the source does not (a copy into a
 * store already written to by something else), DuplicateEventError when an id is already stored elsewhere there.
 */
export async function copyEvents(from: EventStore, to: EventStore, options: CopyEventsOptions = {}): Promise<CopyProgress> {
  const batchSize = options.batchSize ?? 500;
  const progress: CopyProgress = { read: 0, appended: 0, skipped: 0, checkpoint: START };
  for (;;) {
    const batch = await from.readAll(progress.checkpoint, batchSize);
    if (batch.events.length === 0 && batch.checkpoint === progress.checkpoint) return progress;
    for (const e of batch.events) {
      const r = await to.appendToStream(
        e.streamId,
        [{ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt }],
        { expectedVersion: { exact: e.streamPosition - 1 } },
      );
      progress.read += 1;
      if (r.idempotentReplay) progress.skipped += 1;
      else progress.appended += 1;
    }
    progress.checkpoint = batch.checkpoint;
    options.onProgress?.({ ...progress });
  }
}
