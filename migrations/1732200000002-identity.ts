import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Identity read tables (ADR 0007): `auth_client` and `auth_api_key` are projected from the identity events by the
 * `identity` projection (own checkpoint) and serve the admin listing; authentication itself folds the key's
 * stream. `auth_api_key_usage` is operational data written by the API (last use, at most once a minute per key),
 * not owned by the projection, so a rebuild keeps it. No secret or hash is ever stored here.
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
      CREATE TABLE auth_api_key_usage (key_id text PRIMARY KEY, last_used_at timestamptz NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE auth_api_key_usage; DROP TABLE auth_api_key; DROP TABLE auth_client;');
  }
}
