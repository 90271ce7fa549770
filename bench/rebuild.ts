import { PostgresEventStore, START } from '@erbm/event-store';
import { BILAN_TABLES, type Projection, ProjectionRunner, bilanProjection, identityProjection, openDatabase } from '@erbm/projections';
import { Client } from 'pg';
import { type Row, config, fmt, msSince, postgresRssMiB, rssSampler, writeResult } from './common';
import { ensureHistory } from './history';

/** Resets a projection to START with empty tables (what a version bump does), without applying anything. */
async function reset(db: { query(sql: string, p?: unknown[]): Promise<unknown> }, p: Projection): Promise<void> {
  await db.query(`TRUNCATE ${p.tables.join(', ')}`);
  await db.query(
    `INSERT INTO rm_projection_checkpoint (name, version, checkpoint) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET version = $2, checkpoint = $3, events = 0, updated_at = now()`,
    [p.name, p.version, START],
  );
}

/** Baseline: the events read in log order through a server-side cursor (`FETCH 5000`), rows parsed, nothing applied. Events/s. */
async function cursorRead(url: string): Promise<{ events: number; seconds: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const t0 = process.hrtime.bigint();
  let events = 0;
  try {
    await c.query('BEGIN');
    await c.query(`DECLARE log NO SCROLL CURSOR FOR
      SELECT global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_position, type, data, metadata, recorded_at
        FROM es_events ORDER BY transaction_id, global_position`);
    for (;;) {
      const r = await c.query('FETCH 5000 FROM log');
      if (r.rowCount === 0) break;
      events += r.rowCount ?? 0;
    }
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
  return { events, seconds: msSince(t0) / 1000 };
}

/** The runner's read path alone: `readAll` batches of `batch` events from START. Events/s. */
async function readAllLoop(store: PostgresEventStore, batch: number): Promise<{ events: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  let checkpoint = START;
  let events = 0;
  for (;;) {
    const b = await store.readAll(checkpoint, batch);
    if (b.events.length === 0) break;
    events += b.events.length;
    checkpoint = b.checkpoint;
  }
  return { events, seconds: msSince(t0) / 1000 };
}

export interface RebuildFigures {
  events: number;
  batchSize: number;
  /** Wall time of the rebuild of both projections side by side (`catchUpTogether`), seconds. */
  seconds: number;
  eventsPerSecond: number;
  /** The bilan projection rebuilt alone with `catchUp`, seconds and events/s. */
  bilanSeconds: number;
  bilanEventsPerSecond: number;
  /** Peak RSS of this Node process during the rebuild, MiB (PostgreSQL is another process, below). */
  peakRssMiB: number;
  /** RSS before the rebuild (modules loaded: the floor), MiB. */
  rssAtStartMiB: number;
  postgresRssMiBAfter: number | null;
  cursorEventsPerSecond: number;
  readAllEventsPerSecond: number;
  /** The per-event path (`apply`: the same row changes, one event at a time; batches of 1 000) on the first `perEventSample` events, events/s. */
  perEventEventsPerSecond: number | null;
  perEventSample: number;
  /** V8 options of this process (`NODE_OPTIONS`). */
  nodeOptions: string;
}

/** Rebuilds every read model from START over the bench history and measures it against a plain read of the log. */
export async function benchRebuild(url = config.databaseUrl, events = config.events, resultName = 'rebuild'): Promise<RebuildFigures> {
  const h = await ensureHistory(url, events, config.fresh);
  if (h.generated) console.log(`  history of ${fmt(events)} events generated and loaded in ${h.seconds.toFixed(0)} s`);
  const db = await openDatabase(url);
  const store = new PostgresEventStore({ connection: url });
  const batchSize = Number(process.env.BENCH_BATCH ?? bilanProjection.preferredBatchSize ?? 1000);
  try {
    await reset(db, bilanProjection);
    await reset(db, identityProjection);
    await db.query(`VACUUM ANALYZE ${BILAN_TABLES.join(', ')}`);
    const rssAtStartMiB = process.memoryUsage().rss / 2 ** 20;
    const rss = rssSampler(100);
    const t0 = process.hrtime.bigint();
    // Every read model side by side, each batch of the log read once for both (ProjectionRunner.catchUpTogether).
    const applied = await ProjectionRunner.catchUpTogether([bilanProjection, identityProjection].map((p) => new ProjectionRunner(db, store, p, batchSize)));
    if (applied.some((n) => n !== events)) throw new Error(`applied ${applied.join(', ')} events, not ${events}`);
    const seconds = msSince(t0) / 1000;
    const peakRssMiB = rss.stop();

    // The per-event path on a sample, for comparison with the batched writer.
    const perEventSample = Math.min(events, Number(process.env.BENCH_PER_EVENT_SAMPLE ?? 50_000));
    let perEventEventsPerSecond: number | null = null;
    if (perEventSample > 0) {
      const perEvent: Projection = { ...bilanProjection, apply: (m, e) => bilanProjection.apply(m, e) };
      await reset(db, perEvent);
      const r = new ProjectionRunner(db, store, perEvent, 1000);
      const t0 = process.hrtime.bigint();
      let done = 0;
      while (done < perEventSample) {
        const n = await r.runBatch();
        if (n === 0) break;
        done += n;
      }
      perEventEventsPerSecond = done / (msSince(t0) / 1000);
    }

    // The bilan projection alone (its own reads), for the record.
    await reset(db, bilanProjection);
    const t1 = process.hrtime.bigint();
    await new ProjectionRunner(db, store, bilanProjection, batchSize).catchUp();
    const bilanSeconds = msSince(t1) / 1000;
    const cursor = await cursorRead(url);
    const readAll = await readAllLoop(store, batchSize);

    await db.query(`VACUUM ANALYZE ${BILAN_TABLES.join(', ')}`);
    const f: RebuildFigures = {
      events, batchSize, seconds, eventsPerSecond: events / seconds, bilanSeconds, bilanEventsPerSecond: events / bilanSeconds, peakRssMiB, rssAtStartMiB, postgresRssMiBAfter: postgresRssMiB(),
      cursorEventsPerSecond: cursor.events / cursor.seconds, readAllEventsPerSecond: readAll.events / readAll.seconds, perEventEventsPerSecond, perEventSample,
      nodeOptions: process.env.NODE_OPTIONS ?? '',
    };
    const rows: Row[] = [
      {
        benchmark: 'rebuild', scenario: `${fmt(events)} events, bilan + identity, batch ${batchSize}`, result: `${fmt(f.eventsPerSecond)} ev/s (${seconds.toFixed(1)} s)`,
        baseline: `${fmt(f.cursorEventsPerSecond)} ev/s cursor read`, ratio: (f.eventsPerSecond / f.cursorEventsPerSecond).toFixed(2), target: '≥ 20 000 ev/s', met: f.eventsPerSecond >= 20_000,
      },
      { benchmark: 'rebuild', scenario: `peak RSS of the Node process${f.nodeOptions ? ` (${f.nodeOptions})` : ''}`, result: `${fmt(peakRssMiB)} MiB (${fmt(rssAtStartMiB)} MiB before)`, baseline: `PostgreSQL ${f.postgresRssMiBAfter === null ? '?' : fmt(f.postgresRssMiBAfter)} MiB (other processes)`, ratio: '', target: '< 512 MiB', met: peakRssMiB < 512 },
    ];
    rows.push({ benchmark: 'rebuild', scenario: 'bilan alone (catchUp, own reads)', result: `${fmt(f.bilanEventsPerSecond)} ev/s (${bilanSeconds.toFixed(1)} s)`, baseline: `${fmt(f.readAllEventsPerSecond)} ev/s readAll`, ratio: (f.bilanEventsPerSecond / f.readAllEventsPerSecond).toFixed(2), target: '', met: null });
    if (perEventEventsPerSecond !== null) {
      rows.push({ benchmark: 'rebuild', scenario: `per-event path (apply: the same definitions one event at a time), first ${fmt(perEventSample)} events`, result: `${fmt(perEventEventsPerSecond)} ev/s`, baseline: `${fmt(f.readAllEventsPerSecond)} ev/s readAll`, ratio: (perEventEventsPerSecond / f.readAllEventsPerSecond).toFixed(2), target: '', met: null });
    }
    await writeResult(resultName, rows, f as unknown as Record<string, unknown>);
    return f;
  } finally {
    await store.close();
    await db.destroy();
  }
}

if (require.main === module) {
  benchRebuild(config.databaseUrl, config.events, process.env.BENCH_RESULT_NAME ?? 'rebuild').catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
