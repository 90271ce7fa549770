import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_DDL } from '@erbm/event-store';

/**
 * The append in one round trip (docs/adr/0016): `es_streams` (each stream's head, backfilled here from `es_events`),
 * `es_snapshots` (aggregate state beside the stream) and the `es_append` function, in `public` beside `es_events`
 * whatever the read-model schema of the data source running the migrations (like `1732200000000-event-store.ts`).
 * Idempotent: a green read-model schema running it again only replaces the function and tops the heads up.
 */
export class EventStoreAppend1732200020000 implements MigrationInterface {
  name = 'EventStoreAppend1732200020000';

  async up(q: QueryRunner): Promise<void> {
    const [{ path }] = await q.query(`SELECT current_setting('search_path') AS path`);
    await q.query(`SELECT set_config('search_path', 'public', false)`);
    try {
      await q.query(EVENT_STORE_APPEND_DDL);
    } finally {
      await q.query(`SELECT set_config('search_path', $1, false)`, [path]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query('SELECT current_schema() AS schema');
    if (schema !== 'public') return;
    await q.query('DROP TRIGGER IF EXISTS es_events_truncated ON public.es_events');
    await q.query('DROP FUNCTION IF EXISTS public.es_events_truncated()');
    await q.query('DROP FUNCTION IF EXISTS public.es_append(text, integer, uuid[], text[], jsonb, jsonb, timestamptz[], text, integer, jsonb, boolean)');
    await q.query('DROP TABLE IF EXISTS public.es_snapshots, public.es_streams');
  }
}
