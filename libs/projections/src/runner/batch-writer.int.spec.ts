import { type RecordedEvent } from '@erbm/event-store';
import { freshDatabase } from '@erbm/test-support';
import fc from 'fast-check';
import { type DataSource } from 'typeorm';
import { openDatabase } from '../data-source';
import { applyEvents } from './batch-writer';
import { type EventHandler, type TableSpec, increment, indexHandlers, insert, ref, update, upsert } from './row-changes';

/**
 * The generic writer gives the same rows whether events are applied one at a time or in batches of any size,
 * whatever the order of kinds of changes on the same keys (insert, upsert, update, increment, reads of rows changed
 * earlier in the batch, replay guards): random event sequences, on PostgreSQL.
 */
type TestEvent =
  | { type: 'w.Insert'; data: { k: string; v: number } }
  | { type: 'w.Upsert'; data: { k: string; v: number } }
  | { type: 'w.Update'; data: { k: string; w: string } }
  | { type: 'w.Add'; data: { k: string; n: number } }
  | { type: 'w.Log'; data: { k: string } };

function model(prefix: string) {
  const state: TableSpec = { name: `${prefix}_state`, key: ['k'], columns: { k: 'text', v: 'integer', w: 'text' } };
  const sum: TableSpec = { name: `${prefix}_sum`, key: ['k'], columns: { k: 'text', n: 'bigint' } };
  const ledger: TableSpec = { name: `${prefix}_ledger`, key: ['global_position'], ledger: true, columns: { global_position: 'bigint', k: 'text', v: 'integer' } };
  const handlers: Record<TestEvent['type'], EventHandler<never>> = {
    'w.Insert': { changes: (d: { k: string; v: number }) => [insert(state, { k: d.k, v: d.v, w: null })] },
    'w.Upsert': { changes: (d: { k: string; v: number }) => [upsert(state, { k: d.k, v: d.v })] },
    'w.Update': { changes: (d: { k: string; w: string }) => [update(state, { k: d.k }, { w: d.w })] },
    'w.Add': { changes: (d: { k: string; n: number }) => [increment(sum, { k: d.k }, { n: d.n })] },
    'w.Log': {
      reads: (d: { k: string }, e) => [ref(state, { k: d.k }), ref(ledger, { global_position: e.globalPosition })],
      changes: (d: { k: string }, e, read) => {
        if (read(ledger, { global_position: e.globalPosition })) return [];
        const row = read(state, { k: d.k });
        return row ? [insert(ledger, { global_position: e.globalPosition, k: d.k, v: row.v }), increment(sum, { k: d.k }, { n: Number(row.v) })] : [];
      },
    },
  };
  return { tables: [state, sum, ledger], index: indexHandlers([{ name: prefix, tables: [state, sum, ledger], handlers }]) };
}

describe('generic batched writer', () => {
  let db: DataSource;
  const one = model('w1');
  const many = model('w2');

  beforeAll(async () => {
    db = await openDatabase(await freshDatabase('erbm_test_batch_writer'));
    for (const p of ['w1', 'w2']) {
      await db.query(`CREATE TABLE ${p}_state (k text PRIMARY KEY, v integer, w text)`);
      await db.query(`CREATE TABLE ${p}_sum (k text PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
      await db.query(`CREATE TABLE ${p}_ledger (global_position bigint PRIMARY KEY, k text NOT NULL, v integer)`);
    }
  });

  afterAll(async () => {
    await db.destroy();
  });

  const dump = async (prefix: string) => {
    const out: string[][] = [];
    for (const t of ['state', 'sum', 'ledger']) out.push(((await db.query(`SELECT to_jsonb(t)::text AS r FROM ${prefix}_${t} t`)) as { r: string }[]).map((x) => x.r).sort());
    return out;
  };
  const recorded = (events: TestEvent[]): RecordedEvent[] =>
    events.map((e, i) => ({ ...e, globalPosition: String(i + 1), recordedAt: '2026-01-01T00:00:00.000Z', metadata: { estimated: i % 3 === 0 } }) as unknown as RecordedEvent);

  const key = fc.constantFrom('a', 'b', 'c');
  const event: fc.Arbitrary<TestEvent> = fc.oneof(
    fc.record({ k: key, v: fc.integer({ min: -5, max: 50 }) }).map((data) => ({ type: 'w.Insert' as const, data })),
    fc.record({ k: key, v: fc.integer({ min: -5, max: 50 }) }).map((data) => ({ type: 'w.Upsert' as const, data })),
    fc.record({ k: key, w: fc.constantFrom('x', 'y', 'z') }).map((data) => ({ type: 'w.Update' as const, data })),
    fc.record({ k: key, n: fc.integer({ min: -3, max: 9 }) }).map((data) => ({ type: 'w.Add' as const, data })),
    fc.record({ k: key }).map((data) => ({ type: 'w.Log' as const, data })),
  );

  it('gives the same rows one event at a time, in batches of any size, and on replay', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 40 }), async (events, size) => {
        await db.query('TRUNCATE w1_state, w1_sum, w1_ledger, w2_state, w2_sum, w2_ledger');
        const log = recorded(events);
        for (const e of log) await db.transaction((m) => applyEvents(m, one.index, [e], { ledgers: [one.tables[2]] }));
        for (let i = 0; i < log.length; i += size) await db.transaction((m) => applyEvents(m, many.index, log.slice(i, i + size), { ledgers: [many.tables[2]] }));
        const reference = await dump('w1');
        expect(await dump('w2')).toEqual(reference);
        // Replaying the events that wrote a ledger row changes nothing (their guard sees the row).
        const applied = new Set(((await db.query('SELECT global_position::text AS gp FROM w2_ledger')) as { gp: string }[]).map((r) => r.gp));
        await db.transaction((m) => applyEvents(m, many.index, log.filter((e) => applied.has(e.globalPosition)), { ledgers: [many.tables[2]] }));
        expect(await dump('w2')).toEqual(reference);
      }),
      { numRuns: 150, seed: 20261129 },
    );
  }, 60_000);

  it('refuses a handler that reads a row it did not declare', async () => {
    const t: TableSpec = { name: 'w1_state', key: ['k'], columns: { k: 'text', v: 'integer', w: 'text' } };
    const index = indexHandlers([{ name: 'bad', tables: [t], handlers: { 'w.Log': { changes: (_d: unknown, _e, read) => (read(t, { k: 'a' }) ? [] : []) } } }]);
    await expect(db.transaction((m) => applyEvents(m, index, recorded([{ type: 'w.Log', data: { k: 'a' } }])))).rejects.toThrow('is read but not declared');
  });
});
