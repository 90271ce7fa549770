import { Client } from 'pg';

const MARKER = 'erbm_demo_marker';

/** Connection string to the same server's `postgres` database, to create or drop others. */
function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/**
 * Empties the demo database: drops and recreates it. Refuses when the database exists, holds events and was not
 * created by the demo (no marker table), so real data is never wiped by `npm run demo`.
 * @throws Error naming the database and the way out (set DATABASE_URL to another database).
 */
export async function resetDemoDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Refusing to reset database "${name}": unusual name`);
  const admin = new Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (exists) {
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const r = await db.query<{ marker: string | null; events: string | null }>(
          `SELECT to_regclass('${MARKER}')::text AS marker, to_regclass('es_events')::text AS events`,
        );
        const hasEvents = r.rows[0].events ? Number((await db.query('SELECT count(*) AS n FROM es_events')).rows[0].n) > 0 : false;
        if (hasEvents && !r.rows[0].marker) {
          throw new Error(`Database "${name}" holds events that the demo did not create; the demo will not reset it. Set DATABASE_URL to another database.`);
        }
      } finally {
        await db.end();
      }
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`CREATE TABLE ${MARKER} (created_at timestamptz NOT NULL DEFAULT now())`);
  await db.query(`INSERT INTO ${MARKER} DEFAULT VALUES`);
  await db.end();
}
