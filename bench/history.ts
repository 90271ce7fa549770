import { openDatabase } from '@erbm/projections';
import { Client } from 'pg';
import { config, ensureDatabase, fmt, msSince } from './common';
import { type GeneratedEvent } from './domain';
import { generateHistory } from './generate';

const CHUNK = 5000;

/** Inserts events into `es_events` with one multi-row `INSERT … SELECT FROM unnest(…)` per chunk of 5 000. */
export async function insertEvents(c: Client, events: GeneratedEvent[]): Promise<void> {
  await c.query(
    `INSERT INTO es_events (event_id, stream_id, stream_position, type, data, metadata, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.streamId),
      events.map((e) => e.streamPosition),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
      events.map((e) => e.recordedAt),
    ],
  );
}

/**
 * Makes `url` hold the generated history of exactly `events` events (and the schema of every migration). Kept
 * when `bench_meta` says it already holds them and `es_events` has that many rows, unless `fresh`.
 * Returns whether it was (re)generated and how long that took, in seconds.
 */
export async function ensureHistory(url: string, events: number, fresh = false, log = console.log): Promise<{ generated: boolean; seconds: number }> {
  await ensureDatabase(url);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    if (!fresh) {
      const meta = await c.query<{ events: string }>(`SELECT events::text FROM bench_meta`).catch(() => ({ rows: [] as { events: string }[] }));
      const count = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events').catch(() => ({ rows: [{ n: '-1' }] }));
      if (meta.rows[0]?.events === String(events) && count.rows[0].n === String(events)) return { generated: false, seconds: 0 };
    }
  } finally {
    await c.end();
  }
  await ensureDatabase(url, true);
  const ds = await openDatabase(url);
  await ds.destroy();
  const w = new Client({ connectionString: url });
  await w.connect();
  const t0 = process.hrtime.bigint();
  try {
    await w.query('CREATE TABLE bench_meta (events bigint NOT NULL, generated_at timestamptz NOT NULL DEFAULT now())');
    let chunk: GeneratedEvent[] = [];
    let pending: Promise<void> = Promise.resolve();
    let n = 0;
    for (const e of generateHistory(events)) {
      chunk.push(e);
      if (chunk.length === CHUNK) {
        await pending; // one insert in flight while the next chunk is generated
        pending = insertEvents(w, chunk);
        n += chunk.length;
        chunk = [];
        if (n % 100_000 === 0) log(`  history: ${fmt(n)} / ${fmt(events)} events (${(msSince(t0) / 1000).toFixed(0)} s)`);
      }
    }
    await pending;
    if (chunk.length) await insertEvents(w, chunk);
    n += chunk.length;
    if (n !== events) throw new Error(`generated ${n} events, not ${events}`);
    await w.query('INSERT INTO bench_meta (events) VALUES ($1)', [events]);
    await w.query('VACUUM ANALYZE es_events');
  } finally {
    await w.end();
  }
  return { generated: true, seconds: msSince(t0) / 1000 };
}

if (require.main === module) {
  // `node -r ./tools/register.js bench/history.ts`: generate (or keep) the history of BENCH_EVENTS events.
  ensureHistory(config.databaseUrl, config.events, config.fresh)
    .then((r) => console.log(r.generated ? `history of ${fmt(config.events)} events generated and loaded in ${r.seconds.toFixed(0)} s` : `history of ${fmt(config.events)} events already there`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
