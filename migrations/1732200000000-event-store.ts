import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { EVENT_STORE_DDL } from '@erbm/event-store';

/**
 * The PostgreSQL event store (es_events), see libs/event-store/src/postgres/schema.ts and docs/adr/0002.
 *
 * Always `public.es_events`, whatever the read-model schema of the data source running the migrations: a data source
 * with `READ_MODEL_SCHEMA=rm_green` (search_path `rm_green, public`) records this migration in its own
 * `typeorm_migrations` but must not get an `es_events` of its own (docs/operations.md, blue/green rebuild).
 */
export class EventStore1732200000000 implements MigrationInterface {
  name = 'EventStore1732200000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ exists }] = await q.query(`SELECT to_regclass('public.es_events') IS NOT NULL AS exists`);
    if (exists) return;
    // EVENT_STORE_DDL names its objects unqualified: run it with `public` alone on the search_path, then restore.
    const [{ path }] = await q.query(`SELECT current_setting('search_path') AS path`);
    await q.query(`SELECT set_config('search_path', 'public', false)`);
    try {
      await q.query(EVENT_STORE_DDL);
    } finally {
      await q.query(`SELECT set_config('search_path', $1, false)`, [path]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Only the data source of the `public` schema owns the event store; reverting a green schema keeps it.
    const [{ schema }] = await q.query('SELECT current_schema() AS schema');
    if (schema === 'public') await q.query('DROP TABLE IF EXISTS public.es_events');
  }
}
