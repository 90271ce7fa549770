import { type Checkpoint, type EventStore } from '@erbm/event-store';
import { type DataSource } from 'typeorm';

/**
 * Blue/green rebuild of the read models (docs/operations.md): a second read-model schema (`READ_MODEL_SCHEMA`,
 * e.g. `rm_green`) is built from the start of the log while the current one keeps serving; the API switches once
 * the new schema has caught up; the old one is dropped later. These helpers make each step checkable.
 */

/** The schema that holds the event store (`es_events`) and the shared tables, whatever the read-model schema. */
export const SHARED_SCHEMA = 'public';

/** @throws Error when `schema` is not a plain lower-case PostgreSQL identifier (it is used unquoted in `search_path`). */
export function checkReadModelSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema) || schema.startsWith('pg_')) {
    throw new Error(`READ_MODEL_SCHEMA must be a lower-case identifier (a-z, 0-9, _; not pg_*), got "${schema}"`);
  }
  return schema;
}

/**
 * Tables of `public` that are not read models: the event store, the files and row outcomes of bulk imports, the
 * API keys' last use, and the migrations record. They are shared by every read-model schema and never dropped.
 */
export const SHARED_TABLES: readonly string[] = ['es_events', 'imports', 'import_rows', 'auth_api_key_usage', 'typeorm_migrations'];

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: Checkpoint;
  /** Events applied since the projection was (re)built from the start. */
  events: number;
  updatedAt: Date;
  /** True when the event store has no visible event after the checkpoint. */
  caughtUp: boolean;
}

/** The read-model schema this data source works in (the first schema of its search_path). */
export async function currentReadModelSchema(db: DataSource): Promise<string> {
  const [{ schema }] = await db.query<{ schema: string }[]>('SELECT current_schema() AS schema');
  return schema;
}

/** The projections of this data source's schema, their checkpoints, and whether each one has reached the head of the log. */
export async function projectionStatus(db: DataSource, store: EventStore): Promise<ProjectionStatus[]> {
  const rows = await db.query<{ name: string; version: number; checkpoint: string; events: string; updated_at: Date }[]>(
    'SELECT name, version, checkpoint, events, updated_at FROM rm_projection_checkpoint ORDER BY name',
  );
  const status: ProjectionStatus[] = [];
  for (const r of rows) {
    const next = await store.readAll(r.checkpoint, 1);
    status.push({ name: r.name, version: r.version, checkpoint: r.checkpoint, events: Number(r.events), updatedAt: r.updated_at, caughtUp: next.events.length === 0 });
  }
  return status;
}

/** True when every projection in `names` exists in this data source's schema and has reached the head of the log. */
export async function readModelsCaughtUp(db: DataSource, store: EventStore, names: readonly string[]): Promise<boolean> {
  const status = await projectionStatus(db, store);
  return names.every((n) => status.find((s) => s.name === n)?.caughtUp === true);
}

/**
 * Drops the read models of `schema`, from a data source that works in another (the new) schema. For a schema other
 * than `public`: `DROP SCHEMA … CASCADE`. For `public`, which also holds the shared tables: drops every other
 * table of `public` and empties `public.typeorm_migrations`, so that a later `READ_MODEL_SCHEMA=public` recreates
 * its read models (every migration is re-runnable: shared objects are created `IF NOT EXISTS` in `public`).
 * @returns the tables dropped (for `public`) or the schema dropped; [] when the schema does not exist.
 * @throws Error when `schema` is this data source's own schema, or holds the event store.
 */
export async function dropReadModelSchema(db: DataSource, schema: string): Promise<string[]> {
  checkReadModelSchema(schema);
  const current = await currentReadModelSchema(db);
  if (schema === current) throw new Error(`Refusing to drop ${schema}: it is the read-model schema of this connection (switch READ_MODEL_SCHEMA first)`);
  if (schema === SHARED_SCHEMA) {
    const tables = await db.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1::text[])) ORDER BY c.relname`,
      [SHARED_TABLES],
    );
    const names = tables.map((t) => t.name);
    await db.transaction(async (m) => {
      if (names.length > 0) await m.query(`DROP TABLE ${names.map((n) => `public."${n.replace(/"/g, '""')}"`).join(', ')}`);
      if ((await m.query(`SELECT to_regclass('public.typeorm_migrations') AS t`))[0].t) await m.query('DELETE FROM public.typeorm_migrations');
    });
    return names;
  }
  const [{ exists, events }] = await db.query<{ exists: boolean; events: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists, to_regclass($2) IS NOT NULL AS events`,
    [schema, `${schema}.es_events`],
  );
  if (!exists) return [];
  if (events) throw new Error(`Refusing to drop ${schema}: it holds an es_events table`);
  await db.query(`DROP SCHEMA ${schema} CASCADE`);
  return [schema];
}
