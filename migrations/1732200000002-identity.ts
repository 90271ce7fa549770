import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Identity read tables (ADR 0007): `auth_client` and `auth_api_key` are projected from the identity events by the
 * `identity` projection (own checkpoint) and serve the admin listing; authentication itself folds the key's
 * stream. `auth_api_key_usage` is operational data written by the API (last use, at most once a minute per key),
 * not owned by the projection, so a rebuild keeps it. No secret or hash is ever stored here.
 *
 * `auth_client` and `auth_api_key` are created in the read-model schema of the data source (current schema;
 * `READ_MODEL_SCHEMA`), `auth_api_key_usage` always in `public`, shared by every read-model schema: it cannot be
 * rebuilt from events, and a blue/green switch must keep it (docs/operations.md).
 */
export class Identity1732200000002 implements MigrationInterface {
  name = 'Identity1732200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_client (
        client_id text PRIMARY KEY, organisation text NOT NULL, name text NOT NULL, registered_at timestamptz NOT NULL
      );
      CREATE TABLE auth_api_key (
        key_id text PRIMARY KEY, client_id text NOT NULL, organisation text NOT NULL,
        issued_at timestamptz NOT NULL, revoked_at timestamptz
      );
      CREATE INDEX auth_api_key_client_idx ON auth_api_key (client_id);
      CREATE TABLE IF NOT EXISTS public.auth_api_key_usage (key_id text PRIMARY KEY, last_used_at timestamptz NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query('SELECT current_schema() AS schema');
    if (schema === 'public') await q.query('DROP TABLE public.auth_api_key_usage');
    await q.query('DROP TABLE auth_api_key; DROP TABLE auth_client;');
  }
}
