import { freshDatabase } from '@erbm/test-support';
import { copyEvents, type CopyProgress } from './copy-events';
import { type RecordedEvent, START } from './event-store.port';
import { PostgresEventStore } from './postgres/pg-event-store';
import { newEvent } from './testing';

async function readAll(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let checkpoint = START;
  for (;;) {
    const batch = await store.readAll(checkpoint, 100);
    if (batch.events.length === 0) return out;
    out.push(...batch.events);
    checkpoint = batch.checkpoint;
  }
}

/** Reads the log once `count` events are visible (PostgreSQL's xmin horizon is cluster-wide: parallel tests delay it). */
async function settled(store: PostgresEventStore, count: number): Promise<RecordedEvent[]> {
  for (let i = 0; i < 200; i++) {
    const all = await readAll(store);
    if (all.length >= count) return all;
    await new Promise((r) => setTimeout(r, 50));
  }
  return readAll(store);
}

/** What a copy must keep: everything but the global positions, which each store numbers itself. */
const portable = (e: RecordedEvent) => [e.eventId, e.streamId, e.streamPosition, e.type, e.data, e.metadata, e.recordedAt];

describe('copyEvents (PostgreSQL → PostgreSQL)', () => {
  let source: PostgresEventStore;
  let target: PostgresEventStore;

  beforeAll(async () => {
    source = new PostgresEventStore({ connection: await freshDatabase('erbm_test_copy_source') });
    target = new PostgresEventStore({ connection: await freshDatabase('erbm_test_copy_target') });
    await source.ensureSchema();
    await target.ensureSchema();
  });

  afterAll(async () => {
    await source.close();
    await target.close();
  });

  it('given a log of several streams, when copied twice, then the target holds the same events and the re-run appends nothing', async () => {
    // Given: 3 streams, multi-event appends, historical knowledge times.
    await source.appendToStream('op-1', [newEvent('t.A.v1', { n: 1 }, '2019-03-01T00:00:00.000Z'), newEvent('t.B.v1', { n: 2 })], { expectedVersion: 'no-stream' });
    for (let i = 0; i < 12; i++) {
      await source.appendToStream(`op-${2 + (i % 2)}`, [newEvent('t.N.v1', { i }, `2020-01-${String(i + 1).padStart(2, '0')}T08:00:00.000Z`)], { expectedVersion: 'any' });
    }
    await source.appendToStream('op-1', [newEvent('t.C.v1', { n: 3 })], { expectedVersion: { exact: 2 } });
    const original = await settled(source, 15);
    expect(original).toHaveLength(15);

    // When: copied in small batches.
    const progress: CopyProgress[] = [];
    const first = await copyEvents(source, target, { batchSize: 4, onProgress: (p) => progress.push(p) });

    // Then: same events, same order; progress reported per batch.
    expect(first).toMatchObject({ read: 15, appended: 15, skipped: 0 });
    expect(progress.map((p) => p.read)).toEqual([4, 8, 12, 15]);
    expect((await settled(target, 15)).map(portable)).toEqual(original.map(portable));
    expect((await target.readStream('op-1', { knownAt: '2019-12-31T00:00:00.000Z' })).events.map((e) => e.type)).toEqual(['t.A.v1']);

    // When: run again (a resumed or repeated copy). Then: nothing appended.
    const again = await copyEvents(source, target, { batchSize: 4 });
    expect(again).toMatchObject({ read: 15, appended: 0, skipped: 15 });
    expect(await readAll(target)).toHaveLength(15);
  });
});
