import { randomUUID } from 'node:crypto';
import { type NewEvent, PostgresEventStore } from '@erbm/event-store';
import { openDatabase } from '@erbm/projections';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { type Row, ensureDatabase, fmt, msSince, percentile, siblingUrl, writeResult } from './common';
import { generateHistory } from './generate';

/** Payloads of realistic events (deliveries, payments, insertion declarations, phases…) from the generator. */
function samplePayloads(n: number): Pick<NewEvent, 'type' | 'data' | 'metadata'>[] {
  const out: Pick<NewEvent, 'type' | 'data' | 'metadata'>[] = [];
  for (const e of generateHistory(n + 200)) if (!e.type.startsWith('programme.')) out.push({ type: e.type, data: e.data, metadata: e.metadata });
  return out;
}

/** One store under test: appends `events` to `streamId` at the exact `version`, resolving with the next version. */
interface Target {
  name: 'ours' | 'emmett' | 'plain';
  append(streamId: string, events: NewEvent[], version: number): Promise<number>;
  close(): Promise<void>;
}

export interface AppendScenario {
  target: Target['name'];
  writers: number;
  eventsPerAppend: number;
  seconds: number;
  appends: number;
  events: number;
  eventsPerSecond: number;
  /** Latency of one append, milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

/** `writers` loops, each appending to its own stream with the exact expected version, for `seconds`. */
async function scenario(target: Target, payloads: Pick<NewEvent, 'type' | 'data' | 'metadata'>[], writers: number, eventsPerAppend: number, seconds: number): Promise<AppendScenario> {
  const latencies: number[] = [];
  const run = randomUUID().slice(0, 8);
  let events = 0;
  let k = 0;
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `bench-append-${target.name}-${run}-${w}`;
      let version = 0;
      while (Date.now() < deadline) {
        const batch: NewEvent[] = Array.from({ length: eventsPerAppend }, () => ({ eventId: randomUUID(), ...payloads[k++ % payloads.length] }));
        const s = process.hrtime.bigint();
        version = await target.append(streamId, batch, version);
        latencies.push(msSince(s));
        events += eventsPerAppend;
      }
    }),
  );
  const elapsed = msSince(t0) / 1000;
  return { target: target.name, writers, eventsPerAppend, seconds: elapsed, appends: latencies.length, events, eventsPerSecond: events / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Ours: `PostgresEventStore.appendToStream` (the `es_append` function, docs/adr/0016), pool of 10. */
function ours(url: string): Target {
  const store = new PostgresEventStore({ connection: url });
  return {
    name: 'ours',
    append: async (streamId, events, version) =>
      (await store.appendToStream(streamId, events, { expectedVersion: version === 0 ? 'no-stream' : { exact: version } })).nextExpectedVersion,
    close: () => store.close(),
  };
}

/** The part of Emmett's PostgreSQL event store the bench uses (its types are not installed with the project). */
interface EmmettStore {
  appendToStream(streamName: string, events: { type: string; data: object; metadata?: object }[], options: { expectedStreamVersion: bigint }): Promise<{ nextExpectedStreamVersion: bigint }>;
  close(): Promise<void>;
}

/**
 * Emmett's PostgreSQL event store (`@event-driven-io/emmett-postgresql`, installed apart in `bench/peer`: its peer
 * `commander@^12` conflicts with the project's), same payloads (data and metadata), its default pool (10). Null when
 * `bench/peer` is not installed (`npm ci --prefix bench/peer`).
 */
function emmett(url: string): Target | null {
  const peer = join(__dirname, 'peer');
  let getStore: (connectionString: string) => EmmettStore;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ getPostgreSQLEventStore: getStore } = require(require.resolve('@event-driven-io/emmett-postgresql', { paths: [peer] })) as { getPostgreSQLEventStore: typeof getStore });
  } catch {
    return null;
  }
  const store = getStore(url);
  return {
    name: 'emmett',
    append: async (streamId, events, version) =>
      Number(
        (await store.appendToStream(streamId, events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })), { expectedStreamVersion: BigInt(version) }))
          .nextExpectedStreamVersion,
      ),
    close: () => store.close(),
  };
}

/**
 * The plain commit: one autocommit multi-row `INSERT` per append into a table with a bigserial key and a unique
 * (stream_id, stream_position) index, pool of 10 — the cost of a durable commit with the least an event store needs
 * (no lock, no expected-version check, no idempotency).
 */
async function plain(url: string): Promise<Target> {
  const pool = new Pool({ connectionString: url, max: 10 });
  await pool.query(`DROP TABLE IF EXISTS bench_plain_events;
    CREATE TABLE bench_plain_events (global_position bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL, stream_position integer NOT NULL,
      type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_position))`);
  return {
    name: 'plain',
    async append(streamId, events, version) {
      const values: unknown[] = [];
      const tuples = events.map((e, i) => {
        const b = values.length;
        values.push(e.eventId, streamId, version + i + 1, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
        return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb)`;
      });
      await pool.query(`INSERT INTO bench_plain_events (event_id, stream_id, stream_position, type, data, metadata) VALUES ${tuples.join(', ')}`, values);
      return version + events.length;
    },
    close: () => pool.end(),
  };
}

/**
 * Appends of ours, Emmett's and the plain commit, same payloads, 1/8/32 writers × 1/10 events per append, each
 * scenario run `BENCH_APPEND_ROUNDS` times (default 3) with the three targets interleaved; medians and ratios.
 */
export async function benchAppend(): Promise<AppendScenario[]> {
  const url = siblingUrl('_append');
  await ensureDatabase(url, true);
  await (await openDatabase(url)).destroy();
  const seconds = Number(process.env.BENCH_APPEND_SECONDS ?? 10);
  const rounds = Number(process.env.BENCH_APPEND_ROUNDS ?? 3);
  const payloads = samplePayloads(20_000);
  const peer = emmett(url);
  if (!peer) console.log('[append] bench/peer is not installed (npm ci --prefix bench/peer): Emmett is not measured');
  const targets: Target[] = [ours(url), ...(peer ? [peer] : []), await plain(url)];
  const all: AppendScenario[] = [];
  const medians: AppendScenario[] = [];
  try {
    for (const t of targets) await t.append(`bench-warm-${t.name}`, [{ eventId: randomUUID(), ...payloads[0] }], 0);
    for (const eventsPerAppend of [1, 10]) {
      for (const writers of [1, 8, 32]) {
        const runs: AppendScenario[] = [];
        for (let r = 0; r < rounds; r++) for (const t of targets) runs.push(await scenario(t, payloads, writers, eventsPerAppend, seconds));
        all.push(...runs);
        for (const t of targets) {
          const mine = runs.filter((s) => s.target === t.name).sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
          medians.push(mine[Math.floor(mine.length / 2)]);
        }
      }
    }
    const find = (target: Target['name'], s: AppendScenario) => medians.find((m) => m.target === target && m.writers === s.writers && m.eventsPerAppend === s.eventsPerAppend);
    const rows: Row[] = medians.flatMap((s) => {
      if (s.target !== 'ours') return [];
      const e = find('emmett', s);
      const p = find('plain', s) as AppendScenario;
      const label = `${s.writers} writer${s.writers > 1 ? 's' : ''} × ${s.eventsPerAppend} event${s.eventsPerAppend > 1 ? 's' : ''}/append`;
      const targetText = [s.writers <= 8 && s.eventsPerAppend === 1 ? '≥ 1.0× Emmett, ≥ 0.5× plain' : '', s.writers === 8 && s.eventsPerAppend === 10 ? '≥ 1.0× Emmett' : ''].filter(Boolean).join('');
      const met = !targetText ? null : s.eventsPerAppend === 1 ? !!e && s.eventsPerSecond >= e.eventsPerSecond && s.eventsPerSecond >= 0.5 * p.eventsPerSecond : !!e && s.eventsPerSecond >= e.eventsPerSecond;
      return [
        {
          benchmark: 'append',
          scenario: label,
          result: `ours ${fmt(s.eventsPerSecond)} ev/s (p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms)`,
          baseline: `${e ? `Emmett ${fmt(e.eventsPerSecond)} ev/s (p50 ${e.p50Ms.toFixed(1)} ms); ` : ''}plain commit ${fmt(p.eventsPerSecond)} ev/s`,
          ratio: `${e ? `${(s.eventsPerSecond / e.eventsPerSecond).toFixed(2)}× Emmett, ` : ''}${(s.eventsPerSecond / p.eventsPerSecond).toFixed(2)}× plain`,
          target: targetText,
          met,
        },
      ];
    });
    await writeResult('append', rows, { medians, runs: all, poolSize: 10, secondsPerScenario: seconds, rounds, emmett: !!peer, loadAverage: loadavg() });
    return medians;
  } finally {
    for (const t of targets) await t.close();
  }
}

if (require.main === module) {
  benchAppend().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
