import { Pool, type PoolClient, type PoolConfig } from 'pg';
import {
  KEYED_FIELDS,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  DuplicateEventError,
  type EventMetadata,
  type EventStore,
  type LoadStreamOptions,
  type LoadedStream,
  type NewEvent,
  type ReadAllBatch,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRead,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersionError,
  parseCheckpoint,
} from '../event-store.port';
import { UpcasterRegistry } from '../upcasting';
import { EVENT_STORE_APPEND_DDL, EVENT_STORE_DDL, EVENT_STORE_KEYS_DDL } from './schema';

const NOTIFY_CHANNEL = 'es_events_appended';

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: Date;
}

const COLUMNS = 'global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_position, type, data, metadata, recorded_at';

export interface PostgresEventStoreOptions {
  /** Connection string or pg pool configuration. */
  connection: string | PoolConfig;
  upcasters?: UpcasterRegistry;
  /** Clock for the default `recordedAt` (ISO date-time); defaults to the database's `now()`. */
  now?: () => string;
  /**
   * How appends wake subscribers of other processes: `after-commit` (default: one coalesced `pg_notify` after the
   * commit), `in-transaction` (a NOTIFY inside the append: serialises commits, kept for measurement) or `off`
   * (subscribers poll). Subscribers of the same store object are always woken at once.
   */
  notify?: 'after-commit' | 'in-transaction' | 'off';
}

/**
 * PostgreSQL adapter of the EventStore port, on `pg` directly (docs/adr/0002).
 *
 * An append is one call of the `es_append` function in autocommit (docs/adr/0016): a transaction-scoped advisory
 * lock on the stream serialises writers of the same stream *before* the transaction gets its xid, so stream order
 * and log order always agree; then idempotency (event ids), the expected version against the stream's head
 * (`es_streams`), one multi-row INSERT and the new head, in one round trip and one commit. Subscribers are woken
 * after the commit (`notify`).
 */
export class PostgresEventStore implements EventStore {
  readonly pool: Pool;
  private readonly upcasters: UpcasterRegistry;
  private readonly now?: () => string;
  private readonly notify: NonNullable<PostgresEventStoreOptions['notify']>;
  /** Wakes of this object's subscribers. */
  private readonly localWakes = new Set<() => void>();
  /** The coalesced after-commit notification in flight, if any. */
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;
  private closing = false;

  constructor(options: PostgresEventStoreOptions) {
    this.pool = new Pool(typeof options.connection === 'string' ? { connectionString: options.connection, max: 10 } : options.connection);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.now = options.now;
    this.notify = options.notify ?? 'after-commit';
  }

  /** Creates the tables and the append function if they do not exist (migrations do the same in deployed databases). */
  async ensureSchema(): Promise<void> {
    await this.pool.query(EVENT_STORE_DDL);
    await this.pool.query(EVENT_STORE_APPEND_DDL);
    await this.pool.query(EVENT_STORE_KEYS_DDL);
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.tryAppend(streamId, events, options);
        if (!result.idempotentReplay && this.notify === 'after-commit') this.notifyAfterCommit();
        return result;
      } catch (e) {
        const error = e as { code?: string; constraint?: string };
        if (attempt > 0 || error.code !== '23505') throw e;
        // The stream's head in es_streams is behind its events (written around es_append, e.g. by a bulk loader):
        // bring it to the events' last position and decide again.
        if (error.constraint === 'es_events_stream_key') {
          await this.pool.query(
            `INSERT INTO es_streams (stream_id, version) SELECT $1, max(stream_position) FROM es_events WHERE stream_id = $1
             ON CONFLICT (stream_id) DO UPDATE SET version = greatest(es_streams.version, EXCLUDED.version)`,
            [streamId],
          );
        }
        // Otherwise a concurrent writer of the same event ids in another stream won the unique index: re-check once.
      }
    }
  }

  /** One statement in autocommit: `es_append` locks, checks, inserts and moves the head (schema.ts, docs/adr/0016). */
  private async tryAppend(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const expected = options.expectedVersion;
    const now = this.now?.() ?? null;
    const snapshot = options.snapshot;
    const r = await this.pool.query<{ outcome: 'appended' | 'replay' | 'wrong_version' | 'duplicate'; stream_version: number; conflicting_ids: string[] | null }>(
      'SELECT outcome, stream_version, conflicting_ids FROM es_append($1, $2, $3::uuid[], $4::text[], $5::jsonb, $6::jsonb, $7::timestamptz[], $8, $9, $10::jsonb, $11)',
      [
        streamId,
        expected === 'any' ? null : expected === 'no-stream' ? 0 : expected.exact,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        JSON.stringify(events.map((e) => e.data)),
        JSON.stringify(events.map((e) => e.metadata)),
        events.map((e) => e.recordedAt ?? now),
        snapshot?.key.name ?? null,
        snapshot?.key.version ?? null,
        snapshot ? JSON.stringify(snapshot.state) : null,
        this.notify === 'in-transaction',
      ],
    );
    const { outcome, stream_version: version, conflicting_ids: conflicting } = r.rows[0];
    switch (outcome) {
      case 'appended':
        return { nextExpectedVersion: version, idempotentReplay: false };
      case 'replay':
        return { nextExpectedVersion: version, idempotentReplay: true };
      case 'wrong_version':
        throw new WrongExpectedVersionError(streamId, expected, version);
      case 'duplicate':
        throw new DuplicateEventError(streamId, conflicting ?? []);
    }
  }

  /**
   * Wakes subscribers after the commit, outside its critical section: subscribers of this process at once, other
   * processes by one `pg_notify` in its own autocommit statement, coalesced (at most one in flight; appends made
   * meanwhile are covered by one more). A NOTIFY inside the append's transaction would serialise every commit on
   * the cluster-wide notify lock (docs/adr/0016).
   */
  private notifyAfterCommit(): void {
    for (const wake of this.localWakes) wake();
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    const send = async (): Promise<void> => {
      do {
        this.notifyAgain = false;
        await this.pool.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
      } while (this.notifyAgain && !this.closing);
    };
    this.notifying = send().finally(() => (this.notifying = null));
  }

  async loadStream(streamId: string, options: LoadStreamOptions = {}): Promise<LoadedStream> {
    const known = options.knownVersion ?? 0;
    // One round trip: the head (h), the snapshot's version and, when newer than what the caller holds, its state (s),
    // the events after max(snapshot, known) (e), the stored event with the id looked up, else with the fallback id (i),
    // and the stream's latest event with the keyed field's value (k, through the field's partial index).
    const keyed = options.keyed;
    if (keyed && !(KEYED_FIELDS as readonly string[]).includes(keyed.field)) throw new Error(`loadStream: ${keyed.field} is not a keyed field (KEYED_FIELDS)`);
    const keyedBranch = keyed
      ? `UNION ALL
       (SELECT 'k', ${COLUMNS} FROM es_events WHERE stream_id = $1 AND data ? '${keyed.field}' AND data->>'${keyed.field}' = $7 ORDER BY stream_position DESC LIMIT 1)`
      : '';
    const r = await this.pool.query<EventRow & { kind: 'h' | 's' | 'e' | 'i' | 'k' }>(
      `WITH snap AS (
         SELECT stream_version, state FROM es_snapshots WHERE stream_id = $1 AND name = $2 AND schema_version = $3
       ), base AS (
         SELECT greatest($4::integer, coalesce((SELECT stream_version FROM snap), 0)) AS v
       )
       SELECT 'h' AS kind, NULL::bigint AS global_position, NULL::text AS transaction_id, NULL::uuid AS event_id, NULL::text AS stream_id,
              (SELECT coalesce(max(stream_position), 0) FROM es_events WHERE stream_id = $1) AS stream_position,
              NULL::text AS type, NULL::jsonb AS data, NULL::jsonb AS metadata, NULL::timestamptz AS recorded_at
       UNION ALL
       SELECT 's', NULL, NULL, NULL, NULL, stream_version, NULL, CASE WHEN stream_version > $4 THEN state END, NULL, NULL FROM snap
       UNION ALL
       SELECT 'e', ${COLUMNS} FROM es_events WHERE stream_id = $1 AND stream_position > (SELECT v FROM base)
       UNION ALL
       (SELECT 'i', ${COLUMNS} FROM es_events WHERE event_id = $5::uuid OR event_id = $6::uuid ORDER BY event_id = $5::uuid DESC LIMIT 1)
       ${keyedBranch}
       ORDER BY kind, stream_position`,
      [streamId, options.snapshot?.name ?? null, options.snapshot?.version ?? null, known, options.eventId ?? null, options.fallbackEventId ?? null, ...(keyed ? [keyed.value] : [])],
    );
    let version = 0;
    let snapshot: LoadedStream['snapshot'] = null;
    let snapshotVersion = 0;
    let storedEvent: RecordedEvent | null = null;
    let keyedEvent: RecordedEvent | null = null;
    const events: RecordedEvent[] = [];
    for (const row of r.rows) {
      if (row.kind === 'h') version = row.stream_position;
      else if (row.kind === 's') {
        snapshotVersion = row.stream_position;
        if (row.data !== null) snapshot = { version: row.stream_position, state: row.data };
      } else if (row.kind === 'e') events.push(this.toRecorded(row));
      else if (row.kind === 'k') keyedEvent = this.toRecorded(row);
      else storedEvent = this.toRecorded(row);
    }
    return { version, snapshot, snapshotVersion, events, storedEvent, keyedEvent };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StreamRead> {
    const params: unknown[] = [streamId];
    let where = 'stream_id = $1';
    if (options.toVersion !== undefined) {
      params.push(options.toVersion);
      where += ` AND stream_position <= $${params.length}`;
    }
    if (options.knownAt !== undefined) {
      params.push(options.knownAt);
      where += ` AND recorded_at <= $${params.length}::timestamptz`;
    }
    const r = await this.pool.query<EventRow>(`SELECT ${COLUMNS} FROM es_events WHERE ${where} ORDER BY stream_position`, params);
    const events = r.rows.map((row) => this.toRecorded(row));
    return { version: events.length ? events[events.length - 1].streamPosition : 0, events };
  }

  async readAll(after: Checkpoint, batchSize: number): Promise<ReadAllBatch> {
    const [tx, pos] = parseCheckpoint(after);
    // Qualified names: the select list renames `transaction_id::text AS transaction_id`, and a bare ORDER BY name
    // would sort on that text ('10000' before '9999') and make readers skip events.
    const r = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events
        WHERE es_events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND (es_events.transaction_id, es_events.global_position) > ($1::text::xid8, $2::bigint)
        ORDER BY es_events.transaction_id, es_events.global_position
        LIMIT $3`,
      [tx.toString(), pos.toString(), batchSize],
    );
    const events = r.rows.map((row) => this.toRecorded(row));
    return { events, checkpoint: events.length ? events[events.length - 1].checkpoint : after };
  }

  async readByGlobalPositions(positions: string[]): Promise<RecordedEvent[]> {
    if (positions.length === 0) return [];
    const r = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE global_position = ANY($1::bigint[]) ORDER BY es_events.transaction_id, es_events.global_position`,
      [positions],
    );
    return r.rows.map((row) => this.toRecorded(row));
  }

  subscribe(options: SubscribeOptions): Subscription {
    const batchSize = options.batchSize ?? 500;
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    let stopped = false;
    let wake: (() => void) | null = null;
    let listener: PoolClient | null = null;
    const sleep = () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    const localWake = () => wake?.();
    const loop = async () => {
      this.localWakes.add(localWake);
      listener = await this.pool.connect();
      listener.on('notification', () => wake?.());
      await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
      let checkpoint = options.from;
      try {
        while (!stopped) {
          const batch = await this.readAll(checkpoint, batchSize);
          if (batch.events.length > 0) {
            await options.handler(batch);
            checkpoint = batch.checkpoint;
            if (batch.events.length === batchSize) continue;
          }
          if (!stopped) await sleep();
        }
      } finally {
        this.localWakes.delete(localWake);
        await listener.query(`UNLISTEN ${NOTIFY_CHANNEL}`).catch(() => undefined);
        listener.release();
      }
    };
    const done = loop();
    return {
      done,
      stop: async () => {
        stopped = true;
        (wake as (() => void) | null)?.();
        await done.catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.notifying;
    await this.pool.end();
  }

  private toRecorded(row: EventRow): RecordedEvent {
    const { type, data } = this.upcasters.upcast({ type: row.type, data: row.data });
    return {
      eventId: row.event_id,
      streamId: row.stream_id,
      streamPosition: row.stream_position,
      checkpoint: `${row.transaction_id}/${row.global_position}`,
      globalPosition: row.global_position,
      type,
      data,
      metadata: row.metadata,
      recordedAt: row.recorded_at.toISOString(),
    };
  }
}
