import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@erbm/migrations';
import { READ_MODEL_ENTITIES } from './schema/entities';
import { SHARED_SCHEMA, checkReadModelSchema } from './blue-green';

// The blue/green helpers are part of this module's public surface (the library index re-exports this file).
export * from './blue-green';

export interface ReadModelDatabaseOptions {
  /**
   * PostgreSQL schema of the read models (`READ_MODEL_SCHEMA`, default `public`). Another schema gets its own read
   * models and `typeorm_migrations`; the event store and the shared tables stay in `public` (blue/green rebuild,
   * docs/operations.md).
   */
  schema?: string;
}

/**
 * TypeORM data source for the read models and migrations (same PostgreSQL database as the event store). With a
 * `schema` other than `public`, every connection starts with `search_path = <schema>, public`: the read-model
 * tables resolve to `<schema>`, the event store and the shared tables (`es_events`, `imports`, `import_rows`,
 * `auth_api_key_usage`) to `public`, where they alone exist.
 */
export function createDataSource(url: string, opts: ReadModelDatabaseOptions = {}): DataSource {
  const schema = checkReadModelSchema(opts.schema ?? SHARED_SCHEMA);
  return new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: false,
    extra: schema === SHARED_SCHEMA ? { max: 10 } : { max: 10, options: `-c search_path=${schema},${SHARED_SCHEMA}` },
  });
}

/**
 * Initialises the data source, creates its read-model schema when missing, and applies the pending migrations
 * (recorded in `<schema>.typeorm_migrations`).
 */
export async function openDatabase(url: string, opts: ReadModelDatabaseOptions = {}): Promise<DataSource> {
  const schema = checkReadModelSchema(opts.schema ?? SHARED_SCHEMA);
  // Before TypeORM connects: it reads current_schema() once, at initialisation, as its default schema.
  if (schema !== SHARED_SCHEMA) await createSchemaIfMissing(url, schema);
  const ds = createDataSource(url, { schema });
  await ds.initialize();
  try {
    const [{ current }] = await ds.query<{ current: string | null }[]>('SELECT current_schema() AS current');
    if (current !== schema) throw new Error(`read-model schema ${schema} is not the connection's current schema (got ${current}): check the search_path`);
    await ds.runMigrations({ transaction: 'each' });
  } catch (e) {
    await ds.destroy();
    throw e;
  }
  return ds;
}

async function createSchemaIfMissing(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (e) {
    // Two processes starting at once: the other one created it between the check and the insert.
    if (!['42P06', '23505'].includes((e as { code?: string }).code ?? '')) throw e;
  } finally {
    await client.end();
  }
}
