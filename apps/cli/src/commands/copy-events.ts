import { KurrentDbEventStore, PostgresEventStore, copyEvents, type CopyProgress } from '@erbm/event-store';
import { progressBar } from '../progress';

export interface CopyEventsCommand {
  /** Source: the PostgreSQL event store (`DATABASE_URL`), whatever `EVENT_STORE` says. */
  databaseUrl: string;
  /** Target KurrentDB connection string (`kurrentdb://host:2113?tls=false`). */
  to: string;
  /** Stream prefix of this application in the target (KurrentDbEventStore `streamPrefix`); default none. */
  streamPrefix?: string;
  /** Events read per batch from PostgreSQL (default 500). */
  batchSize?: number;
}

/**
 * `erbm copy-events`: copies the PostgreSQL event log into KurrentDB (docs/operations.md, docs/adr/0010), with the
 * same event ids, types, data, metadata and knowledge times. Both stores are built without upcasters so events are
 * copied as stored. Safe to re-run: events already copied are skipped, so an interrupted copy resumes.
 * @returns the counts (read, appended, skipped) and the last source checkpoint.
 * @throws Error on a malformed KurrentDB connection string; WrongExpectedVersionError / DuplicateEventError when the
 * target already holds other events in the same streams.
 */
export async function copyEventsToKurrentDb(cmd: CopyEventsCommand): Promise<CopyProgress> {
  const target = new KurrentDbEventStore({ connectionString: cmd.to, streamPrefix: cmd.streamPrefix });
  const source = new PostgresEventStore({ connection: cmd.databaseUrl });
  try {
    const [{ n }] = (await source.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows;
    const bar = progressBar('Copie des événements', Number(n), 1000);
    const result = await copyEvents(source, target, { batchSize: cmd.batchSize, onProgress: (p) => bar.update(p.read) });
    bar.stop();
    return result;
  } finally {
    await source.close();
    await target.close();
  }
}
