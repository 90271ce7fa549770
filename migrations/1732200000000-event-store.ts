import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { EVENT_STORE_DDL } from '@erbm/event-store';

/** The PostgreSQL event store (es_events), see libs/event-store/src/postgres/schema.ts and docs/adr/0002. */
export class EventStore1732200000000 implements MigrationInterface {
  name = 'EventStore1732200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(EVENT_STORE_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS es_events');
  }
}
