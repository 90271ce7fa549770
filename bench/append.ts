import { randomUUID } from 'node:crypto';
import { type NewEvent, PostgresEventStore } from '@erbm/event-store';
import { openDatabase } from '@erbm/projections';
import { Client } from 'pg';
import { type Row, ensureDatabase, fmt, msSince, percentile, siblingUrl, writeResult } from './common';
import { generateHistory } from './generate';

/** Payloads of realistic events (deliveries, payments, insertion declarations, phases…) from the generator. */
function samplePayloads(n: number): Pick<NewEvent, 'type' | 'data' | 'metadata'>[] {
  const out: Pick<NewEvent, 'type' | 'data' | 'metadata'>[] = [];
  for (const e of generateHistory(n + 200)) if (!e.type.startsWith('programme.')) out.push({ type: e.type, data: e.data, metadata: e.metadata });
  return out;
}

export interface AppendScenario {
  writers: number;
  eventsPerAppend: number;
  seconds: number;
  appends: number;
  events: number;
  eventsPerSecond: number;
  /** Latency of one `appendToStream` call, milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

/** `writers` loops, each appending to its own stream with the exact expected version, for `seconds`. */
async function scenario(store: PostgresEventStore, payloads: Pick<NewEvent, 'type' | 'data' | 'metadata'>[], writers: number, eventsPerAppend: number, seconds: number): Promise<AppendScenario> {
  const latencies: number[] = [];
  const run = randomUUID().slice(0, 8);
  let events = 0;
  let k = 0;
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `bench-append-${run}-${w}`;
      let version = 0;
      while (Date.now() < deadline) {
        const batch: NewEvent[] = Array.from({ length: eventsPerAppend }, () => ({ eventId: randomUUID(), ...payloads[k++ % payloads.length] }));
        const s = process.hrtime.bigint();
        const r = await store.appendToStream(streamId, batch, { expectedVersion: version === 0 ? 'no-stream' : { exact: version } });
        latencies.push(msSince(s));
        version = r.nextExpectedVersion;
        events += eventsPerAppend;
      }
    }),
  );
  const elapsed = msSince(t0) / 1000;
  return { writers, eventsPerAppend, seconds: elapsed, appends: latencies.length, events, eventsPerSecond: events / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Baseline: the same rows, `INSERT … SELECT FROM unnest` 1 000 at a time into a bare table (no key, index or constraint). */
async function bareInsert(url: string, payloads: Pick<NewEvent, 'type' | 'data' | 'metadata'>[], seconds: number): Promise<{ events: number; eventsPerSecond: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP TABLE IF EXISTS bench_bare_events;
      CREATE TABLE bench_bare_events (global_position bigint, transaction_id xid8, event_id uuid, stream_id text, stream_position integer,
        type text, data jsonb, metadata jsonb, recorded_at timestamptz)`);
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    let events = 0;
    let k = 0;
    while (Date.now() < deadline) {
      const rows = Array.from({ length: 1000 }, (_, i) => ({ ...payloads[k++ % payloads.length], position: events + i + 1 }));
      await c.query(
        `INSERT INTO bench_bare_events SELECT u.p, pg_current_xact_id(), u.id, u.s, u.p::int, u.t, u.d, u.m, now()
           FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[]) AS u(p, id, s, t, d, m)`,
        [rows.map((r) => r.position), rows.map(() => randomUUID()), rows.map(() => 'bench-bare'), rows.map((r) => r.type), rows.map((r) => JSON.stringify(r.data)), rows.map((r) => JSON.stringify(r.metadata))],
      );
      events += rows.length;
    }
    return { events, eventsPerSecond: events / (msSince(t0) / 1000) };
  } finally {
    await c.query('DROP TABLE IF EXISTS bench_bare_events').catch(() => undefined);
    await c.end();
  }
}

/** Append throughput and latency through `PostgresEventStore.appendToStream`, 1/8/32 writers, 1- and 10-event appends. */
export async function benchAppend(): Promise<AppendScenario[]> {
  const url = siblingUrl('_append');
  await ensureDatabase(url, true);
  await (await openDatabase(url)).destroy();
  const seconds = Number(process.env.BENCH_APPEND_SECONDS ?? 10);
  const payloads = samplePayloads(20_000);
  const store = new PostgresEventStore({ connection: url });
  const scenarios: AppendScenario[] = [];
  try {
    const baseline = await bareInsert(url, payloads, seconds);
    for (const eventsPerAppend of [1, 10]) {
      for (const writers of [1, 8, 32]) scenarios.push(await scenario(store, payloads, writers, eventsPerAppend, seconds));
    }
    const rows: Row[] = scenarios.map((s) => ({
      benchmark: 'append',
      scenario: `${s.writers} writer${s.writers > 1 ? 's' : ''}, ${s.eventsPerAppend} event${s.eventsPerAppend > 1 ? 's' : ''}/append`,
      result: `${fmt(s.eventsPerSecond)} ev/s, p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms`,
      baseline: `${fmt(baseline.eventsPerSecond)} ev/s bare INSERT`,
      ratio: (s.eventsPerSecond / baseline.eventsPerSecond).toFixed(3),
      target: s.writers === 8 ? '≥ 5 000 ev/s' : '',
      met: s.writers === 8 ? s.eventsPerSecond >= 5000 : null,
    }));
    await writeResult('append', rows, { baseline, scenarios, poolSize: 10, secondsPerScenario: seconds });
    return scenarios;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  benchAppend().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
