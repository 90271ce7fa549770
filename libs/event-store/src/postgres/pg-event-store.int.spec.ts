import { Client } from 'pg';
import { freshDatabase } from '@erbm/test-support';
import { type EventStore } from '../event-store.port';
import { eventStoreContract, newEvent } from '../testing';
import { UpcasterRegistry } from '../upcasting';
import { PostgresEventStore } from './pg-event-store';

let url: string;
beforeAll(async () => {
  url = await freshDatabase('erbm_test_event_store');
  const store = new PostgresEventStore({ connection: url });
  await store.ensureSchema();
  await store.close();
});

eventStoreContract('PostgreSQL', {
  async create() {
    const store = new PostgresEventStore({ connection: url });
    await store.pool.query('TRUNCATE es_events RESTART IDENTITY');
    return store;
  },
  dispose: (store: EventStore) => store.close(),
  async holdTransaction() {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    // Take a transaction id now, before the test's later appends, like a slow writer would.
    await client.query('SELECT pg_current_xact_id()');
    let position = 0;
    return {
      async append(streamId, event) {
        position += 1;
        await client.query(
          `INSERT INTO es_events (event_id, stream_id, stream_position, type, data, metadata, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, now())`,
          [event.eventId, streamId, position, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
        );
      },
      async commit() {
        await client.query('COMMIT');
        await client.end();
      },
      async rollback() {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  },
});

describe('PostgreSQL adapter: upcasting on read', () => {
  it('returns stored events through the registered upcasters, leaving the stored JSON untouched', async () => {
    const plain = new PostgresEventStore({ connection: url });
    await plain.pool.query('TRUNCATE es_events RESTART IDENTITY');
    await plain.appendToStream('up-1', [newEvent('test.Shape.v1', { old: 1 })], { expectedVersion: 'no-stream' });
    const upcasting = new PostgresEventStore({
      connection: url,
      upcasters: new UpcasterRegistry().register('test.Shape.v1', (e) => ({ type: 'test.Shape.v2', data: { renamed: e.data.old } })),
    });
    try {
      expect((await upcasting.readStream('up-1')).events.map((e) => [e.type, e.data])).toEqual([['test.Shape.v2', { renamed: 1 }]]);
      expect((await plain.readStream('up-1')).events.map((e) => [e.type, e.data])).toEqual([['test.Shape.v1', { old: 1 }]]);
    } finally {
      await plain.close();
      await upcasting.close();
    }
  });
});

describe('PostgreSQL adapter: log order by transaction id', () => {
  it('reads events across a transaction id that gains a digit (…99 → …100) in numeric order, skipping none', async () => {
    const store = new PostgresEventStore({ connection: url });
    try {
      await store.pool.query('TRUNCATE es_events RESTART IDENTITY');
      // Past transaction ids around the last power of ten below the cluster's current id (so they are visible):
      // their text forms sort the other way ('1000' < '998').
      const current = BigInt((await store.pool.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
      const p = 10n ** BigInt((current - 2n).toString().length - 1);
      for (const [i, xid] of [p - 2n, p - 1n, p, p + 1n].map(String).entries()) {
        const e = newEvent('test.Numbered.v1', { i });
        await store.pool.query(
          `INSERT INTO es_events (transaction_id, event_id, stream_id, stream_position, type, data, metadata, recorded_at)
           VALUES ($1::text::xid8, $2, $3, 1, $4, $5, $6, now())`,
          [xid, e.eventId, `digits-${i}`, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
        );
      }
      const seen: unknown[] = [];
      let checkpoint = '0/0';
      for (;;) {
        const batch = await store.readAll(checkpoint, 2);
        if (batch.events.length === 0) break;
        seen.push(...batch.events.map((e) => e.data.i));
        checkpoint = batch.checkpoint;
      }
      expect(seen).toEqual([0, 1, 2, 3]);
      expect((await store.readByGlobalPositions(['4', '1'])).map((e) => e.data.i)).toEqual([0, 3]);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL adapter: the append function, stream heads and snapshots', () => {
  let store: PostgresEventStore;
  beforeEach(async () => {
    store = new PostgresEventStore({ connection: url });
    await store.pool.query('TRUNCATE es_events RESTART IDENTITY');
  });
  afterEach(() => store.close());
  const head = async (streamId: string) => (await store.pool.query<{ version: number }>('SELECT version FROM es_streams WHERE stream_id = $1', [streamId])).rows[0]?.version ?? null;

  it('moves the stream head with each append, in the same call, and not on a refused or replayed one', async () => {
    const e = newEvent();
    await store.appendToStream('h-1', [e, newEvent()], { expectedVersion: 'no-stream' });
    expect(await head('h-1')).toBe(2);
    await expect(store.appendToStream('h-1', [newEvent()], { expectedVersion: { exact: 1 } })).rejects.toMatchObject({ actual: 2 });
    await store.appendToStream('h-1', [e], { expectedVersion: 'any' });
    expect(await head('h-1')).toBe(2);
    await store.pool.query('TRUNCATE es_events');
    expect(await head('h-1')).toBeNull();
  });

  it('reads the head of a stream written around the function (bulk load, stale head) from its events', async () => {
    const insert = (streamId: string, position: number) => {
      const e = newEvent();
      return store.pool.query(
        `INSERT INTO es_events (event_id, stream_id, stream_position, type, data, metadata, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [e.eventId, streamId, position, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
      );
    };
    await insert('bulk-1', 1);
    await insert('bulk-1', 2);
    await expect(store.appendToStream('bulk-1', [newEvent()], { expectedVersion: 'no-stream' })).rejects.toMatchObject({ actual: 2 });
    expect((await store.appendToStream('bulk-1', [newEvent()], { expectedVersion: { exact: 2 } })).nextExpectedVersion).toBe(3);
    await insert('bulk-1', 4);
    // es_streams says 3, the events 4: the unique (stream, position) key refuses the insert and the head is repaired.
    await expect(store.appendToStream('bulk-1', [newEvent()], { expectedVersion: { exact: 3 } })).rejects.toMatchObject({ actual: 4 });
    expect((await store.appendToStream('bulk-1', [newEvent()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(5);
  });

  it('stores a snapshot with the append that reaches it, keyed by decider name and version, and returns it with the events after it', async () => {
    const key = { name: 'counter', version: 2 };
    await store.appendToStream('snap-1', [newEvent(), newEvent()], { expectedVersion: 'no-stream', snapshot: { key, state: { n: 2 } } });
    await expect(store.appendToStream('snap-1', [newEvent()], { expectedVersion: { exact: 0 }, snapshot: { key, state: { n: 99 } } })).rejects.toMatchObject({ actual: 2 });
    await store.appendToStream('snap-1', [newEvent('t.Third.v1')], { expectedVersion: { exact: 2 } });
    const loaded = await store.loadStream('snap-1', { snapshot: key });
    expect(loaded).toMatchObject({ version: 3, snapshot: { version: 2, state: { n: 2 } }, snapshotVersion: 2 });
    expect(loaded.events.map((e) => [e.type, e.streamPosition])).toEqual([['t.Third.v1', 3]]);
    // Another decider version: no snapshot, every event.
    const other = await store.loadStream('snap-1', { snapshot: { ...key, version: 3 } });
    expect(other).toMatchObject({ version: 3, snapshot: null, snapshotVersion: 0 });
    expect(other.events).toHaveLength(3);
    // The caller holds version 3 already: the snapshot's state is not sent again, nor any event.
    expect(await store.loadStream('snap-1', { snapshot: key, knownVersion: 3 })).toMatchObject({ version: 3, snapshot: null, snapshotVersion: 2, events: [] });
  });
});
