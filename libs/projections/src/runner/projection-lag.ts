import { type Checkpoint, type EventStore, parseCheckpoint } from '@erbm/event-store';
import { type DataSource } from 'typeorm';

/** How far a projection is behind the event log. */
export interface ProjectionLag {
  /** Projection name (`bilan`, `identity`): a row of `rm_projection_checkpoint`. */
  projection: string;
  /** Events of the log after the projection's checkpoint (at most `cap` when counted through the port). */
  events: number;
  /**
   * Seconds since the oldest event not yet applied was recorded, 0 when caught up. The start is the later of that
   * event's `recordedAt` and the projection's last batch (`updated_at`): a backfilled event, recorded in the past,
   * does not make a projection that was working a moment ago look years late.
   */
  seconds: number;
}

export interface ProjectionLagOptions {
  /**
   * True when the events are in this database's `es_events` (EVENT_STORE=postgres): they are counted in SQL.
   * Otherwise (KurrentDB) they are counted by reading the log through the port, up to `cap`.
   */
  eventsInDatabase: boolean;
  /** Largest count read through the port (default 10 000). */
  cap?: number;
  now?: () => number;
}

/**
 * The lag of every prepared projection (one row of `rm_projection_checkpoint` each), for the
 * `erbm_projection_lag_events` / `erbm_projection_lag_seconds` gauges. Reads the checkpoints, then the first event
 * after each through `EventStore.readAll` (gap-safe: an event still hidden behind a transaction in flight does not
 * count yet), then counts.
 */
export async function projectionLags(db: DataSource, store: EventStore, options: ProjectionLagOptions): Promise<ProjectionLag[]> {
  const now = options.now ?? Date.now;
  const rows: { name: string; checkpoint: Checkpoint; updated_at: Date }[] = await db.query('SELECT name, checkpoint, updated_at FROM rm_projection_checkpoint ORDER BY name');
  const out: ProjectionLag[] = [];
  for (const row of rows) {
    const first = await store.readAll(row.checkpoint, 1);
    if (first.events.length === 0) {
      out.push({ projection: row.name, events: 0, seconds: 0 });
      continue;
    }
    const since = Math.max(Date.parse(first.events[0].recordedAt), new Date(row.updated_at).getTime());
    const events = options.eventsInDatabase ? await countInSql(db, row.checkpoint) : await countThroughPort(store, row.checkpoint, options.cap ?? 10_000);
    out.push({ projection: row.name, events: Math.max(events, 1), seconds: Math.max(0, (now() - since) / 1000) });
  }
  return out;
}

/** Events after a PostgreSQL checkpoint `"<xid8>/<global_position>"`, in log order (index `es_events_log_idx`). */
async function countInSql(db: DataSource, checkpoint: Checkpoint): Promise<number> {
  const [xid, position] = parseCheckpoint(checkpoint);
  const rows: { n: string }[] = await db.query('SELECT count(*) AS n FROM es_events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)', [
    xid.toString(),
    position.toString(),
  ]);
  return Number(rows[0].n);
}

async function countThroughPort(store: EventStore, from: Checkpoint, cap: number): Promise<number> {
  let n = 0;
  let checkpoint = from;
  while (n < cap) {
    const batch = await store.readAll(checkpoint, Math.min(1000, cap - n));
    if (batch.events.length === 0) break;
    n += batch.events.length;
    checkpoint = batch.checkpoint;
  }
  return n;
}
