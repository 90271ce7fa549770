import { type EventStore, PostgresEventStore, type UpcasterRegistry } from '@erbm/event-store';
import { type AppConfig } from '../config';

/**
 * The EventStore adapter chosen by configuration (`EVENT_STORE`, docs/operations.md): PostgreSQL (default, same
 * database as the read models) or KurrentDB/EventStoreDB (scale-out).
 * @throws Error when the configured driver is not available.
 */
export function createEventStore(config: AppConfig, upcasters: UpcasterRegistry): EventStore {
  switch (config.eventStore.driver) {
    case 'postgres':
      return new PostgresEventStore({ connection: config.databaseUrl, upcasters });
    case 'kurrentdb':
      throw new Error('EVENT_STORE=kurrentdb: adapter not wired yet');
  }
}
