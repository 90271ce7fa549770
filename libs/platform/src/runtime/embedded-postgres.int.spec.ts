import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EventStore, PostgresEventStore } from '@erbm/event-store';
import { eventStoreContract } from '@erbm/event-store/testing';
import { openDatabase } from '@erbm/projections';
import { adminUrl, redisUrl } from '@erbm/test-support';
import { Pool } from 'pg';
import { postgresAnswers, redisAnswers } from './probe';

const ROOT = resolve(__dirname, '../../../..');

interface Served {
  url: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
}

/**
 * Serves the embedded database of `dir` from a child process (embedded-server.fixture.ts: PGlite's dynamic imports
 * do not load inside Jest's sandbox). Resolves with its URL, or rejects with what the child printed when it exits.
 */
function serve(dir: string): Promise<Served> {
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'libs/platform/src/runtime/embedded-server.fixture.ts', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) ok({ url: out.trim(), process: child, stop: () => (child.kill('SIGTERM'), exited) });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then((code) => fail(new Error(`exit ${code}: ${err.trim()}`)));
  });
}

/**
 * The embedded mode on the real thing: PGlite in a temporary folder, served to `pg` through the socket handler
 * and our wire queue. The event store's contract suite — the same code every adapter runs — passes on it.
 */
const dir = mkdtempSync(join(tmpdir(), 'erbm-embedded-'));
let embedded: Served;

beforeAll(async () => {
  embedded = await serve(dir);
  // The migrations of a deployed database (event store and read models) run unchanged.
  const db = await openDatabase(embedded.url);
  await db.destroy();
}, 120_000);

afterAll(async () => {
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('PostgreSQL adapter on the embedded PGlite', {
  async create() {
    const store = new PostgresEventStore({ connection: embedded.url });
    await store.pool.query('TRUNCATE es_events RESTART IDENTITY');
    return store;
  },
  dispose: (store: EventStore) => store.close(),
  // No holdTransaction: the embedded database runs one transaction at a time, so no writer can be in flight
  // while a reader reads (a held transaction would block every other connection, by design).
});

describe('embedded PostgreSQL', () => {
  it('keeps each connection’s statements whole when many connections send parameterised queries at once', async () => {
    // One PGlite session behind many connections: each answer must be the one for its own parameters.
    const a = new Pool({ connectionString: embedded.url, max: 8 });
    const b = new Pool({ connectionString: embedded.url, max: 8 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).query<{ n: number; t: string }>('SELECT $1::int * 2 AS n, $2::text AS t', [i, `q${i}`])),
      );
      expect(answers.map((r) => r.rows[0])).toEqual(Array.from({ length: 200 }, (_, i) => ({ n: i * 2, t: `q${i}` })));
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('serves a transaction alone: another connection waits for its commit, and sees all of it or nothing', async () => {
    const pool = new Pool({ connectionString: embedded.url, max: 4 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS tx_probe (n int)');
      const writer = await pool.connect();
      await writer.query('BEGIN');
      await writer.query('INSERT INTO tx_probe VALUES (1)');
      const reading = pool.query<{ c: string }>('SELECT count(*) AS c FROM tx_probe');
      await writer.query('INSERT INTO tx_probe VALUES (2)');
      await writer.query('COMMIT');
      writer.release();
      expect((await reading).rows[0].c).toBe('2');
    } finally {
      await pool.end();
    }
  });

  it('rolls back the transaction of a connection that disconnects in the middle, and serves the others', async () => {
    const pool = new Pool({ connectionString: embedded.url, max: 2 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS tx_dropped (n int)');
      const client = await pool.connect();
      await client.query('BEGIN');
      await client.query('INSERT INTO tx_dropped VALUES (1)');
      client.release(new Error('drop this connection'));
      expect((await pool.query<{ c: string }>('SELECT count(*) AS c FROM tx_dropped')).rows[0].c).toBe('0');
    } finally {
      await pool.end();
    }
  });

  it('refuses a second process on the same folder, naming the one that holds it', async () => {
    await expect(serve(dir)).rejects.toThrow(`is open in process ${embedded.process.pid}: PGlite serves one process at a time`);
  });

  it('takes over the lock of a process that no longer runs, and opens the folder again once its process stopped', async () => {
    const other = mkdtempSync(join(tmpdir(), 'erbm-embedded-lock-'));
    try {
      writeFileSync(join(other, 'pglite.lock'), '999999999');
      const served = await serve(other);
      await served.stop();
      const again = await serve(other);
      const pool = new Pool({ connectionString: again.url, max: 1 });
      expect((await pool.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await pool.end();
      await again.stop();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('probing the local services', () => {
  it('tells a PostgreSQL or Redis that answers from a port where nothing listens', async () => {
    expect(await postgresAnswers(adminUrl())).toBe(true);
    expect(await redisAnswers(redisUrl())).toBe(true);
    expect(await postgresAnswers('postgres://postgres@127.0.0.1:9/postgres', 500)).toBe(false);
    expect(await redisAnswers('redis://127.0.0.1:9', 500)).toBe(false);
  });
});
