import { randomUUID } from 'node:crypto';
import {
  DuplicateEventError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  START,
  WrongExpectedVersionError,
  compareCheckpoints,
} from '../event-store.port';

/** A transaction of another writer, held open by the test: it owns a transaction id older than later appends. */
export interface HeldTransaction {
  /** Appends an event inside the held transaction (not yet visible). */
  append(streamId: string, event: NewEvent): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** What an adapter provides to run the contract suite. */
export interface EventStoreHarness {
  /** A store over an empty log. */
  create(): Promise<EventStore>;
  dispose(store: EventStore): Promise<void>;
  /**
   * Adapters whose log can have in-flight transactions (PostgreSQL) provide this so the suite can prove that a
   * slow or rolled-back writer never makes a reader skip an event. EventStoreDB has no such window.
   */
  holdTransaction?: (store: EventStore) => Promise<HeldTransaction>;
}

export const newEvent = (type = 'test.SomethingHappened.v1', data: Record<string, unknown> = {}, recordedAt?: string): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  recordedAt,
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null,
    actor: { organisation: 'delegation', user: 'contract-test', channel: 'system' },
  },
});

/**
 * Waits until at least `count` events are visible in the global log. On PostgreSQL, visibility waits for every
 * older transaction of the whole cluster (the xmin horizon), including other databases' (e.g. parallel tests):
 * events show up a little later, never out of order and never skipped. Bounded: 30 s.
 */
async function settle(store: EventStore, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await readAllEvents(store)).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readAllEvents(store: EventStore, batchSize = 1000): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let checkpoint = START;
  for (;;) {
    const batch = await store.readAll(checkpoint, batchSize);
    if (batch.events.length === 0) return out;
    out.push(...batch.events);
    checkpoint = batch.checkpoint;
  }
}

/**
 * The EventStore contract. Every adapter runs this same suite (docs/adr/0002, issue #5):
 * `eventStoreContract('PostgreSQL', harness)` inside a Jest file.
 */
export function eventStoreContract(name: string, harness: EventStoreHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await harness.create();
    });
    afterEach(async () => {
      await harness.dispose(store);
    });

    describe('appending with an expected version', () => {
      it('creates a stream with no-stream and reads it back in order with metadata', async () => {
        const e1 = newEvent('test.Opened.v1', { n: 1 });
        const e2 = newEvent('test.Closed.v1', { n: 2 });
        const r = await store.appendToStream('s-1', [e1, e2], { expectedVersion: 'no-stream' });
        expect(r).toEqual({ nextExpectedVersion: 2, idempotentReplay: false });
        const read = await store.readStream('s-1');
        expect(read.version).toBe(2);
        expect(read.events.map((e) => [e.eventId, e.type, e.streamPosition, e.data])).toEqual([
          [e1.eventId, 'test.Opened.v1', 1, { n: 1 }],
          [e2.eventId, 'test.Closed.v1', 2, { n: 2 }],
        ]);
        expect(read.events[0].metadata).toEqual(e1.metadata);
        expect(Date.parse(read.events[0].recordedAt)).not.toBeNaN();
      });

      it('rejects no-stream on an existing stream and a stale exact version, appending nothing', async () => {
        await store.appendToStream('s-2', [newEvent()], { expectedVersion: 'no-stream' });
        await expect(store.appendToStream('s-2', [newEvent()], { expectedVersion: 'no-stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(store.appendToStream('s-2', [newEvent()], { expectedVersion: { exact: 0 } })).rejects.toMatchObject({ actual: 1 });
        expect((await store.readStream('s-2')).version).toBe(1);
      });

      it('appends with the exact current version and with any', async () => {
        const a = await store.appendToStream('s-3', [newEvent()], { expectedVersion: 'any' });
        const b = await store.appendToStream('s-3', [newEvent()], { expectedVersion: { exact: a.nextExpectedVersion } });
        expect(b.nextExpectedVersion).toBe(2);
      });

      it('lets exactly one of two concurrent writers at the same version win', async () => {
        await store.appendToStream('s-4', [newEvent()], { expectedVersion: 'no-stream' });
        const results = await Promise.allSettled([
          store.appendToStream('s-4', [newEvent('test.A.v1')], { expectedVersion: { exact: 1 } }),
          store.appendToStream('s-4', [newEvent('test.B.v1')], { expectedVersion: { exact: 1 } }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream('s-4')).version).toBe(2);
      });
    });

    describe('idempotency', () => {
      it('stores an event id once when the same append is retried, even with a stale expected version', async () => {
        const events = [newEvent(), newEvent()];
        await store.appendToStream('s-5', events, { expectedVersion: 'no-stream' });
        const retry = await store.appendToStream('s-5', events, { expectedVersion: 'no-stream' });
        expect(retry).toEqual({ nextExpectedVersion: 2, idempotentReplay: true });
        await settle(store, 2);
        expect((await readAllEvents(store)).filter((e) => e.streamId === 's-5')).toHaveLength(2);
      });

      it('refuses a batch whose ids are partly stored, or stored in another stream', async () => {
        const e = newEvent();
        await store.appendToStream('s-6', [e], { expectedVersion: 'any' });
        await expect(store.appendToStream('s-6', [e, newEvent()], { expectedVersion: 'any' })).rejects.toBeInstanceOf(DuplicateEventError);
        await expect(store.appendToStream('s-7', [e], { expectedVersion: 'any' })).rejects.toBeInstanceOf(DuplicateEventError);
        expect((await store.readStream('s-6')).version).toBe(1);
        expect((await store.readStream('s-7')).version).toBe(0);
      });
    });

    describe('loading a stream for a command', () => {
      it('returns the version, the events after the version the caller holds, and where an event id is stored', async () => {
        const events = [newEvent('t.A.v1'), newEvent('t.B.v1'), newEvent('t.C.v1')];
        await store.appendToStream('ld-1', events.slice(0, 2), { expectedVersion: 'no-stream' });
        await store.appendToStream('ld-1', events.slice(2), { expectedVersion: { exact: 2 } });
        const all = await store.loadStream('ld-1', { eventId: events[1].eventId });
        expect(all.version).toBe(3);
        expect(all.events.map((e) => e.type)).toEqual(['t.A.v1', 't.B.v1', 't.C.v1']);
        expect(all.storedEvent).toMatchObject({ eventId: events[1].eventId, streamId: 'ld-1', streamPosition: 2 });
        const tail = await store.loadStream('ld-1', { knownVersion: 2, eventId: newEvent().eventId });
        expect(tail.events.map((e) => e.type)).toEqual(['t.C.v1']);
        expect(tail.storedEvent).toBeNull();
        expect(await store.loadStream('ld-unknown')).toMatchObject({ version: 0, events: [], snapshot: null, storedEvent: null });
      });

      it('returns the stream’s latest event with a keyed field’s value, whatever version the caller holds', async () => {
        await store.appendToStream('ld-k', [newEvent('t.Delivered.v1', { deliveryId: 'd-1', n: 1 }), newEvent('t.Delivered.v1', { deliveryId: 'd-2', n: 2 })], { expectedVersion: 'no-stream' });
        await store.appendToStream('ld-k', [newEvent('t.Corrected.v1', { deliveryId: 'd-1', n: 3 }), newEvent('t.Other.v1', { n: 4 })], { expectedVersion: { exact: 2 } });
        // The same value in another stream is not this stream's.
        await store.appendToStream('ld-k-other', [newEvent('t.Corrected.v1', { deliveryId: 'd-1', n: 5 })], { expectedVersion: 'no-stream' });
        const d1 = await store.loadStream('ld-k', { knownVersion: 4, keyed: { field: 'deliveryId', value: 'd-1' } });
        expect(d1).toMatchObject({ version: 4, events: [], keyedEvent: { type: 't.Corrected.v1', streamId: 'ld-k', streamPosition: 3, data: { deliveryId: 'd-1', n: 3 } } });
        expect((await store.loadStream('ld-k', { keyed: { field: 'deliveryId', value: 'd-2' } })).keyedEvent).toMatchObject({ streamPosition: 2, data: { n: 2 } });
        expect((await store.loadStream('ld-k', { keyed: { field: 'deliveryId', value: 'd-3' } })).keyedEvent).toBeNull();
        expect((await store.loadStream('ld-k')).keyedEvent).toBeNull();
      });
    });

    describe('reading a stream', () => {
      it('reads up to a version and as known at a time', async () => {
        await store.appendToStream('s-8', [newEvent('t.A.v1', {}, '2020-01-01T00:00:00.000Z')], { expectedVersion: 'no-stream' });
        await store.appendToStream('s-8', [newEvent('t.B.v1', {}, '2021-06-30T12:00:00.000Z')], { expectedVersion: { exact: 1 } });
        await store.appendToStream('s-8', [newEvent('t.C.v1', {}, '2023-01-15T08:00:00.000Z')], { expectedVersion: { exact: 2 } });
        expect((await store.readStream('s-8', { toVersion: 2 })).events.map((e) => e.type)).toEqual(['t.A.v1', 't.B.v1']);
        const known = await store.readStream('s-8', { knownAt: '2022-12-31T23:59:59.999Z' });
        expect(known.events.map((e) => e.type)).toEqual(['t.A.v1', 't.B.v1']);
        expect(known.events[1].recordedAt).toBe('2021-06-30T12:00:00.000Z');
        expect(await store.readStream('unknown-stream')).toEqual({ version: 0, events: [] });
      });
    });

    describe('the global log', () => {
      it('reads every event once, in batches, resuming from any checkpoint', async () => {
        for (let i = 0; i < 25; i++) await store.appendToStream(`g-${i % 3}`, [newEvent('t.N.v1', { i })], { expectedVersion: 'any' });
        await settle(store, 25);
        const sizes: number[] = [];
        let checkpoint = START;
        const seen: number[] = [];
        let middle = START;
        for (;;) {
          const batch = await store.readAll(checkpoint, 10);
          if (batch.events.length === 0) break;
          sizes.push(batch.events.length);
          seen.push(...batch.events.map((e) => e.data.i as number));
          checkpoint = batch.checkpoint;
          if (sizes.length === 1) middle = checkpoint;
        }
        expect(sizes).toEqual([10, 10, 5]);
        expect(seen).toEqual([...Array(25).keys()]);
        const rest = await readAllEvents(await Promise.resolve(store));
        expect(rest).toHaveLength(25);
        const after = await store.readAll(middle, 100);
        expect(after.events.map((e) => e.data.i)).toEqual([...Array(15).keys()].map((i) => i + 10));
        const checkpoints = rest.map((e) => e.checkpoint);
        for (let i = 1; i < checkpoints.length; i++) expect(compareCheckpoints(checkpoints[i - 1], checkpoints[i])).toBe(-1);
      });

      it('keeps every event and per-stream order under 8 concurrent writers', async () => {
        const writers = 8;
        const perWriter = 20;
        await Promise.all(
          [...Array(writers).keys()].map(async (w) => {
            let version = 0;
            for (let i = 0; i < perWriter; i++) {
              const r = await store.appendToStream(`w-${w}`, [newEvent('t.W.v1', { w, i })], { expectedVersion: { exact: version } });
              version = r.nextExpectedVersion;
            }
          }),
        );
        await settle(store, writers * perWriter);
        const all = await readAllEvents(store, 37);
        expect(all).toHaveLength(writers * perWriter);
        expect(new Set(all.map((e) => e.eventId)).size).toBe(writers * perWriter);
        for (let w = 0; w < writers; w++) {
          expect(all.filter((e) => e.data.w === w).map((e) => e.data.i)).toEqual([...Array(perWriter).keys()]);
        }
      });

      it('keeps stream order and log order in agreement when writers of one stream race with any', async () => {
        await Promise.all([...Array(6).keys()].map((i) => store.appendToStream('race-1', [newEvent('t.R.v1', { i }), newEvent('t.R.v1', { i })], { expectedVersion: 'any' })));
        await settle(store, 12);
        const logged = (await readAllEvents(store)).filter((e) => e.streamId === 'race-1');
        expect(logged.map((e) => e.streamPosition)).toEqual([...Array(12).keys()].map((i) => i + 1));
        expect((await store.readStream('race-1')).version).toBe(12);
      });

      it('finds events by global position for drill-down', async () => {
        await store.appendToStream('d-1', [newEvent('t.X.v1'), newEvent('t.Y.v1')], { expectedVersion: 'any' });
        await settle(store, 2);
        const all = await readAllEvents(store);
        const found = await store.readByGlobalPositions([all[1].globalPosition]);
        expect(found.map((e) => e.type)).toEqual(['t.Y.v1']);
      });

      it('delivers existing and new events to a subscriber, then stops', async () => {
        await store.appendToStream('sub-1', [newEvent('t.Before.v1')], { expectedVersion: 'any' });
        const received: string[] = [];
        let resolveSeen: () => void = () => undefined;
        const seenTwo = new Promise<void>((r) => (resolveSeen = r));
        const sub = store.subscribe({
          from: START,
          pollIntervalMs: 50,
          handler: async (batch) => {
            received.push(...batch.events.map((e) => e.type));
            if (received.length >= 2) resolveSeen();
            return Promise.resolve();
          },
        });
        await store.appendToStream('sub-1', [newEvent('t.After.v1')], { expectedVersion: 'any' });
        await seenTwo;
        await sub.stop();
        expect(received).toEqual(['t.Before.v1', 't.After.v1']);
      });

      if (harness.holdTransaction) {
        const hold = harness.holdTransaction;
        it('never lets a reader skip the event of a slow writer that commits after a later one', async () => {
          const slow = await hold(store);
          await slow.append('slow-1', newEvent('t.Slow.v1'));
          await store.appendToStream('fast-1', [newEvent('t.Fast.v1')], { expectedVersion: 'any' });
          // While the slow writer is open, the later committed event is withheld rather than read past.
          const during = await store.readAll(START, 100);
          expect(during.events).toHaveLength(0);
          await slow.commit();
          await settle(store, 2);
          const after = await store.readAll(during.checkpoint, 100);
          expect(after.events.map((e) => e.type)).toEqual(['t.Slow.v1', 't.Fast.v1']);
        });

        it('moves on past a rolled-back writer without losing the events committed around it', async () => {
          await store.appendToStream('rb-0', [newEvent('t.First.v1')], { expectedVersion: 'any' });
          await settle(store, 1);
          const first = await store.readAll(START, 100);
          const slow = await hold(store);
          await slow.append('rb-1', newEvent('t.RolledBack.v1'));
          await store.appendToStream('rb-2', [newEvent('t.Second.v1')], { expectedVersion: 'any' });
          expect((await store.readAll(first.checkpoint, 100)).events).toHaveLength(0);
          await slow.rollback();
          await settle(store, 2);
          const after = await store.readAll(first.checkpoint, 100);
          expect(after.events.map((e) => e.type)).toEqual(['t.Second.v1']);
        });
      }
    });
  });
}
