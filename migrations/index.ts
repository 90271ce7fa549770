import { EventStore1732200000000 } from './1732200000000-event-store';
import { ReadModels1732200000001 } from './1732200000001-read-models';

/** Every migration, in order (TypeORM runs the ones not yet recorded in `typeorm_migrations`). */
export const MIGRATIONS = [EventStore1732200000000, ReadModels1732200000001];
