import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@erbm/migrations';
import { READ_MODEL_ENTITIES } from './schema/entities';

/** TypeORM data source for the read models and migrations (same PostgreSQL database as the event store). */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: false,
    extra: { max: 10 },
  });
}

/** Initialises the data source and applies pending migrations. */
export async function openDatabase(url: string): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
