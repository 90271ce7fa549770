import { Pool, type PoolClient, type PoolConfig } from 'pg';
import {
  type AppendResult,
  type Checkpoint,
  DuplicateEventError,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
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
import { EVENT_STORE_DDL } from './schema';

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
}

/**
 * PostgreSQL adapter of the EventStore port, on `pg` directly (docs/adr/0002).
 *
 * Appends run in one transaction per call: a transaction-scoped advisory lock on the stream serialises writers of
 * the same stream *before* the transaction gets its xid, so stream order and log order always agree; then
 * idempotency (event ids), the expected version, one multi-row INSERT, and a NOTIFY for subscribers.
 */
export class PostgresEventStore implements EventStore {
  readonly pool: Pool;
  private readonly upcasters: UpcasterRegistry;
  private readonly now?: () => string;

  constructor(options: PostgresEventStoreOptions) {
    this.pool = new Pool(typeof options.connection === 'string' ? { connectionString: options.connection, max: 10 } : options.connection);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.now = options.now;
  }

  /** Creates the tables if they do not exist (migrations do the same in deployed databases). */
  async ensureSchema(): Promise<void> {
    await this.pool.query(EVENT_STORE_DDL);
  }

  async appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.tryAppend(streamId, events, options.expectedVersion);
      } catch (e) {
        // A concurrent writer of the same event ids in another stream won the unique index: re-check once.
        if (attempt === 0 && (e as { code?: string }).code === '23505') continue;
        throw e;
      }
    }
  }

  private async tryAppend(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Advisory locks take no xid: the xid is assigned at the INSERT, after the lock, so per-stream order holds.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
      const ids = events.map((e) => e.eventId);
      const existing = await client.query<{ event_id: string; stream_id: string }>(
        'SELECT event_id, stream_id FROM es_events WHERE event_id = ANY($1::uuid[])',
        [ids],
      );
      const version = await this.currentVersion(client, streamId);
      if (existing.rowCount) {
        await client.query('ROLLBACK');
        const allHere = existing.rowCount === ids.length && existing.rows.every((r) => r.stream_id === streamId);
        if (allHere) return { nextExpectedVersion: version, idempotentReplay: true };
        throw new DuplicateEventError(streamId, existing.rows.map((r) => r.event_id));
      }
      if (!versionMatches(expected, version)) {
        await client.query('ROLLBACK');
        throw new WrongExpectedVersionError(streamId, expected, version);
      }
      const values: unknown[] = [];
      const tuples = events.map((e, i) => {
        const b = values.length;
        values.push(e.eventId, streamId, version + i + 1, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), e.recordedAt ?? this.now?.() ?? null);
        return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, COALESCE($${b + 7}::timestamptz, now()))`;
      });
      await client.query(
        `INSERT INTO es_events (event_id, stream_id, stream_position, type, data, metadata, recorded_at) VALUES ${tuples.join(', ')}`,
        values,
      );
      await client.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
      await client.query('COMMIT');
      return { nextExpectedVersion: version + events.length, idempotentReplay: false };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private async currentVersion(client: PoolClient, streamId: string): Promise<number> {
    const r = await client.query<{ v: number | null }>('SELECT max(stream_position) AS v FROM es_events WHERE stream_id = $1', [streamId]);
    return r.rows[0].v ?? 0;
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
    const loop = async () => {
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

function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === 0;
  return expected.exact === actual;
}
