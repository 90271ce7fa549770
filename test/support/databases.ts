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
