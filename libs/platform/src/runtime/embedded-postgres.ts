import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** An embedded PostgreSQL served on a loopback port for the process's `pg` and TypeORM pools. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` — PGlite has a single database, `postgres`. */
  url: string;
  /** Folder holding the database files. */
  dir: string;
  /** Stops the socket server, closes PGlite (flushing its files) and releases the lock. Idempotent. */
  stop(): Promise<void>;
}

/** Connections the socket server accepts: the event store's pool (10), TypeORM's (10), subscriptions and probes. */
const MAX_CONNECTIONS = 64;

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly, in this process) on the folder `<dataDir>/pglite` and serves it
 * over the PostgreSQL wire protocol on a free port of 127.0.0.1 with `@electric-sql/pglite-socket`, so the same `pg`
 * and TypeORM code, SQL and migrations run unchanged (docs/adr/0012-embedded-mode.md).
 *
 * PGlite is a single-session database: the socket server multiplexes the connections and serves one transaction at
 * a time (a transaction's statements go first), so there are no concurrent transactions — and a process holding a
 * transaction on one connection must not wait for a query on another (the projection runner reads its batch
 * before opening its transaction for that reason). LISTEN/NOTIFY reaches the notifying connection only, so
 * subscribers fall back to polling.
 *
 * @throws Error when another live process holds the folder (the lock file `<dataDir>/pglite.lock` names its pid).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const base = resolve(dataDir);
  const dir = join(base, 'pglite');
  mkdirSync(base, { recursive: true });
  const release = takeLock(join(base, 'pglite.lock'));
  try {
    // Loaded on demand (WebAssembly, a few seconds): processes on a PostgreSQL server never load them.
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(dir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const port = Number(server.getServerConn().split(':')[1]);
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await server.stop();
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** Takes `<file>` for this process, or takes it over from a process that no longer runs. Returns the release function. */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `The embedded database in ${file.replace(/pglite\.lock$/, 'pglite')} is open in process ${pid}: PGlite serves one process at a time. Stop that process, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      if (existsSync(file)) rmSync(file, { force: true });
    }
  }
  throw new Error(`Cannot take the lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
