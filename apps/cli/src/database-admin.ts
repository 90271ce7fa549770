import { Client } from 'pg';
import { usageError } from './errors';

const MARKER = 'erbm_demo_marker';

/** Connection string to the same server's `postgres` database, to create or drop others. */
function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/**
 * Empties the demo database. On a PostgreSQL server: drops and recreates the database. On the embedded PostgreSQL
 * (`embedded`, one database only): drops and recreates its schemas. Either way, refuses when the database holds
 * events and was not created by the demo (no marker table), so real data is never wiped by `npm run demo`.
 * @throws CliError (usage, exit code 2), in French, naming the database and the way out (set DATABASE_URL to another
 *   database, or ERBM_DATA_DIR); pg errors when the server cannot be reached.
 */
export async function resetDemoDatabase(url: string, embedded = false): Promise<void> {
  const name = databaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw usageError(`La démonstration ne réinitialise pas la base « ${name} » : nom inhabituel (lettres, chiffres et _ seulement) ; définir DATABASE_URL vers une autre base.`);
  if (embedded) {
    await withClient(url, async (db) => {
      await refuseForeignData(db, `La base embarquée (${name})`, 'définir ERBM_DATA_DIR vers un autre dossier.');
      const schemas = await db.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%'`,
      );
      for (const { nspname } of schemas.rows) await db.query(`DROP SCHEMA "${nspname}" CASCADE`);
      await db.query('CREATE SCHEMA public');
    });
  } else {
    await withClient(adminUrl(url), async (admin) => {
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
      if (exists) {
        await withClient(url, (db) => refuseForeignData(db, `La base « ${name} »`, 'définir DATABASE_URL vers une autre base.'));
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      }
      await admin.query(`CREATE DATABASE "${name}"`);
    });
  }
  await withClient(url, async (db) => {
    await db.query(`CREATE TABLE ${MARKER} (created_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`INSERT INTO ${MARKER} DEFAULT VALUES`);
  });
}

/** @throws CliError (usage) when the database holds events but no demo marker. */
async function refuseForeignData(db: Client, what: string, wayOut: string): Promise<void> {
  const r = await db.query<{ marker: string | null; events: string | null }>(`SELECT to_regclass('${MARKER}')::text AS marker, to_regclass('es_events')::text AS events`);
  const hasEvents = r.rows[0].events ? Number((await db.query('SELECT count(*) AS n FROM es_events')).rows[0].n) > 0 : false;
  if (hasEvents && !r.rows[0].marker) throw usageError(`${what} contient des événements que la démonstration n’a pas créés : elle ne la réinitialise pas ; ${wayOut}`);
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
