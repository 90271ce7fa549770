import { randomUUID } from 'node:crypto';
import { type EventStore } from '../event-store.port';
import { eventStoreContract } from '../testing';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The shared contract against a real KurrentDB, registered only when `EVENTSTORE_URL` is set (test/global-setup.js
 * sets it when it starts KurrentDB with testcontainers; docs/testing.md). Each test gets a fresh stream prefix, so
 * it sees an empty log even though `$all` is shared.
 */
const url = process.env.EVENTSTORE_URL;
if (url) {
  eventStoreContract('KurrentDB', {
    create: () => Promise.resolve(new KurrentDbEventStore({ connectionString: url, streamPrefix: `t${randomUUID().replace(/-/g, '')}:` })),
    dispose: (store: EventStore) => store.close(),
  });
}

describe('KurrentDB adapter: construction (no server needed)', () => {
  it('refuses a malformed connection string with the accepted schemes in the message', () => {
    expect(() => new KurrentDbEventStore({ connectionString: 'http://127.0.0.1:2113' })).toThrow(/expected kurrentdb:\/\//);
  });

  it('refuses a stream prefix that would read KurrentDB system streams or the event-id index', () => {
    expect(() => new KurrentDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:2113?tls=false', streamPrefix: '$ce-' })).toThrow(/reserved/);
    expect(() => new KurrentDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:2113?tls=false', streamPrefix: 'erbm-' })).toThrow(/overlaps/);
  });

  it('connects lazily: building and closing a store needs no server', async () => {
    const store = new KurrentDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:1?tls=false', streamPrefix: 'erbm-test:' });
    await expect(store.close()).resolves.toBeUndefined();
  });
});
