import { KurrentDbEventStore, PostgresEventStore, UpcasterRegistry } from '@erbm/event-store';
import { readConfig } from '../config';
import { createEventStore } from './event-store.factory';

// Neither adapter connects when built: these tests open no connection (port 1 would refuse one anyway).
describe('createEventStore', () => {
  it('given EVENT_STORE unset, when the store is built, then it is the PostgreSQL adapter on DATABASE_URL', async () => {
    const store = createEventStore(readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/erbm' }), new UpcasterRegistry());
    expect(store).toBeInstanceOf(PostgresEventStore);
    expect((store as PostgresEventStore).pool.options).toMatchObject({ connectionString: 'postgres://postgres@127.0.0.1:1/erbm' });
    await store.close();
  });

  it('given EVENT_STORE=kurrentdb, when the store is built, then it is the KurrentDB adapter and it connects lazily', async () => {
    const config = readConfig({ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'kurrentdb://127.0.0.1:1?tls=false' });
    const store = createEventStore(config, new UpcasterRegistry());
    expect(store).toBeInstanceOf(KurrentDbEventStore);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('given EVENTSTORE_URL that is not a KurrentDB connection string, when the store is built, then it throws', () => {
    const config = readConfig({ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'https://kurrent.example:2113' });
    expect(() => createEventStore(config, new UpcasterRegistry())).toThrow(/expected kurrentdb:\/\//);
  });
});
