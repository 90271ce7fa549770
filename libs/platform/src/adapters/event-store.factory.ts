import { type EventStore, KurrentDbEventStore, PostgresEventStore, type UpcasterRegistry } from '@erbm/event-store';
import { type AppConfig } from '../config';

/**
 * The EventStore adapter chosen by configuration (`EVENT_STORE`, docs/operations.md): PostgreSQL (default, same
 * database as the read models, `DATABASE_URL`) or KurrentDB (scale-out, `EVENTSTORE_URL`, docs/adr/0010). Neither
 * connects here: both open their connections on first use.
 * @throws Error (the KurrentDB client's ParseError) when `EVENTSTORE_URL` is not a KurrentDB connection string.
 */
export function createEventStore(config: AppConfig, upcasters: UpcasterRegistry): EventStore {
  switch (config.eventStore.driver) {
    case 'postgres':
      return new PostgresEventStore({ connection: config.databaseUrl, upcasters });
    case 'kurrentdb':
      return new KurrentDbEventStore({ connectionString: config.eventStore.url, upcasters });
  }
}
