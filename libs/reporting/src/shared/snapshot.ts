import { START } from '@erbm/event-store';
import { type Sql } from './as-of';

/** The projection whose checkpoint every read-model answer reflects: `bilan` owns every `rm_*` table (ADR 0004). */
export const READ_PROJECTION = 'bilan';

/**
 * The point of the log a read-model answer reflects: the projection's name, its version (a new version is rebuilt
 * from the start, so the same position can give other rows) and its checkpoint (`rm_projection_checkpoint`; the
 * event store's `Checkpoint`, e.g. `"1234/1234"`, `"0/0"` before any event). `version` is null when the projection
 * was never prepared (no row: every table is empty).
 */
export interface ProjectionCheckpoint {
  projection: string;
  version: number | null;
  position: string;
}

/** A value read in one snapshot, with the checkpoint that snapshot reflects. */
export interface SnapshotAnswer<T> {
  checkpoint: ProjectionCheckpoint;
  value: T;
}

/** SQL that runs inside an open snapshot (one connection, one read-only `REPEATABLE READ` transaction). */
export interface Snapshot extends Sql {
  /** The checkpoint read first in the transaction: every query of the snapshot sees the tables as of it. */
  readonly checkpoint: ProjectionCheckpoint;
}

/** The projection checkpoint as `db` sees it now (one query; the whole answer when `If-None-Match` matches). */
export async function readCheckpoint(db: Sql, projection = READ_PROJECTION): Promise<ProjectionCheckpoint> {
  const rows = await db.query<{ version: number; checkpoint: string }[]>('SELECT version, checkpoint FROM rm_projection_checkpoint WHERE name = $1', [projection]);
  return { projection, version: rows[0]?.version ?? null, position: rows[0]?.checkpoint ?? START };
}

class OpenSnapshot implements Snapshot {
  constructor(
    private readonly sql: Sql,
    readonly checkpoint: ProjectionCheckpoint,
  ) {}

  query<T = unknown>(sql: string, params?: unknown[]): Promise<T> {
    return this.sql.query<T>(sql, params);
  }
}

/** The parts of a TypeORM QueryRunner the snapshot uses. */
interface Runner extends Sql {
  readonly isTransactionActive: boolean;
  connect(): Promise<unknown>;
  release(): Promise<void>;
}
/** A TypeORM DataSource (a pool). */
interface Pool extends Sql {
  createQueryRunner(): Runner;
}
/** A TypeORM EntityManager: bound to a QueryRunner, or on the pool of its DataSource. */
interface Manager extends Sql {
  readonly queryRunner?: Runner;
  readonly connection: Pool;
}

const isPool = (db: Sql): db is Pool => typeof (db as Partial<Pool>).createQueryRunner === 'function';
const isManager = (db: Sql): db is Manager => typeof (db as Partial<Manager>).connection?.createQueryRunner === 'function';

/** One statement opens the transaction (one round trip instead of TypeORM's three); COMMIT or ROLLBACK closes it. */
async function inTransaction<T>(runner: Runner, fn: (tx: Snapshot) => Promise<T>): Promise<SnapshotAnswer<T>> {
  await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // The first query of the transaction fixes its snapshot: the checkpoint and every table as of the same commit.
    const checkpoint = await readCheckpoint(runner);
    const value = await fn(new OpenSnapshot(runner, checkpoint));
    await runner.query('COMMIT');
    return { checkpoint, value };
  } catch (e) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Runs `fn` in one snapshot of the read models (ADR 0004): one connection, one `REPEATABLE READ READ ONLY`
 * transaction whose first query reads the projection checkpoint. Every query `fn` makes through `tx` sees the tables
 * as the projection committed them at that checkpoint, whatever batches it commits meanwhile, so an answer made of
 * several queries never mixes two checkpoints. The queries run one after the other (one connection); `fn` must not
 * wait on another connection (the embedded database serves one transaction at a time, ADR 0012).
 *
 * `db` may be:
 * - a TypeORM DataSource (or an EntityManager on its pool): a connection is taken from the pool for the snapshot and
 *   released after it;
 * - a `Snapshot` (a nested call): `fn` runs in it, with its checkpoint;
 * - an EntityManager bound to a QueryRunner: the snapshot is opened on that connection, or, when the runner is
 *   already in a transaction, `fn` runs in the caller's transaction (its isolation is the caller's);
 * - any other `Sql`: taken to be one connection in a transaction of the caller's own.
 *
 * @returns the value of `fn` and the checkpoint it reflects. Errors of `fn` are rethrown after the rollback.
 */
export async function readSnapshot<T>(db: Sql, fn: (tx: Snapshot) => Promise<T>): Promise<SnapshotAnswer<T>> {
  if (db instanceof OpenSnapshot) return { checkpoint: db.checkpoint, value: await fn(db) };
  if (isPool(db) || (isManager(db) && !db.queryRunner)) {
    const runner = (isPool(db) ? db : (db as Manager).connection).createQueryRunner();
    try {
      await runner.connect();
      return await inTransaction(runner, fn);
    } finally {
      await runner.release();
    }
  }
  if (isManager(db) && db.queryRunner && !db.queryRunner.isTransactionActive) return inTransaction(db.queryRunner, fn);
  const checkpoint = await readCheckpoint(db);
  return { checkpoint, value: await fn(new OpenSnapshot(db, checkpoint)) };
}
