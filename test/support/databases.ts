import { Client } from 'pg';

/**
 * Test databases on the real PostgreSQL service. The server comes from `DATABASE_URL` (default: the local
 * service, `postgres://postgres@127.0.0.1:5432/postgres`); each suite gets its own database, recreated empty.
 */
export const adminUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Drops and recreates `database` (suffixed with `ERBM_TEST_DB_SUFFIX` when set, so that two checkouts can run
 * their suites against one server at once); returns its connection string.
 */
export async function freshDatabase(name: string): Promise<string> {
  const database = process.env.ERBM_TEST_DB_SUFFIX ? `${name}_${process.env.ERBM_TEST_DB_SUFFIX}` : name;
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`bad test database name ${database}`);
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  return databaseUrl(database);
}

export const redisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What `logReadable` queries with: a TypeORM DataSource or EntityManager on the database holding `es_events`. */
export interface Queries {
  query(sql: string): Promise<unknown>;
}

/**
 * Waits until the PostgreSQL event log of `db` is readable up to its last committed event. Readers of the log take
 * only the events older than the oldest transaction still open on the whole server (`pg_snapshot_xmin` is
 * cluster-wide; docs/adr/0002): a transaction open in another suite's database, or in another program using the same
 * server, holds back the events a suite has just committed, and a projection caught up at that moment misses them.
 * Call it before a catch-up that must see everything written so far. Polls every 25 ms.
 * @throws Error after `timeoutMs` (default 30 s), naming the oldest transaction still open on the server.
 */
export async function logReadable(db: Queries, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await db.query(
      'SELECT coalesce((SELECT max(transaction_id) FROM es_events) < pg_snapshot_xmin(pg_current_snapshot()), true) AS readable',
    )) as { readable: boolean }[];
    if (row.readable) return;
    if (Date.now() > deadline) {
      const [open] = (await db.query(
        `SELECT datname, pid, state, xact_start, left(query, 120) AS query FROM pg_stat_activity
          WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY age(backend_xid) DESC LIMIT 1`,
      )) as Record<string, unknown>[];
      throw new Error(`the event log is still held back after ${timeoutMs} ms by a transaction open on the server: ${JSON.stringify(open ?? null)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
