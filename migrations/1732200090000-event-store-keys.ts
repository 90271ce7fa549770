import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { EVENT_STORE_KEYS_DDL } from '@erbm/event-store';

/**
 * Per-stream lookup of an event by a data field (`loadStream`'s `keyed`, docs/adr/0023): a partial index on
 * `(stream_id, data->>'deliveryId', stream_position)` of `es_events`, in `public` whatever the read-model schema of
 * the data source running the migrations (like `1732200020000-event-store-append.ts`). Idempotent.
 */
export class EventStoreKeys1732200090000 implements MigrationInterface {
  name = 'EventStoreKeys1732200090000';

  async up(q: QueryRunner): Promise<void> {
    const [{ path }] = await q.query(`SELECT current_setting('search_path') AS path`);
    await q.query(`SELECT set_config('search_path', 'public', false)`);
    try {
      await q.query(EVENT_STORE_KEYS_DDL);
    } finally {
      await q.query(`SELECT set_config('search_path', $1, false)`, [path]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query('SELECT current_schema() AS schema');
    if (schema !== 'public') return;
    await q.query('DROP INDEX IF EXISTS public.es_events_deliveryid_idx');
  }
}
