import { EventStore1732200000000 } from './1732200000000-event-store';
import { ReadModels1732200000001 } from './1732200000001-read-models';
import { Identity1732200000002 } from './1732200000002-identity';
import { Imports1732200000003 } from './1732200000003-imports';
import { ReadModelIndexes1732200000004 } from './1732200000004-read-model-indexes';
import { Rollups1732200000005 } from './1732200000005-rollups';
import { EventStoreAppend1732200020000 } from './1732200020000-event-store-append';
import { ImportLeases1732200040000 } from './1732200040000-import-leases';
import { EstimatedParts1732200070000 } from './1732200070000-estimated-parts';
import { FinancerAndPhaseRollups1732200080000 } from './1732200080000-financer-and-phase-rollups';
import { EventStoreKeys1732200090000 } from './1732200090000-event-store-keys';
import { RollupEstimatedParts1732200110000 } from './1732200110000-rollup-estimated-parts';

/** Every migration, in order (TypeORM runs the ones not yet recorded in `typeorm_migrations`). */
export const MIGRATIONS = [
  EventStore1732200000000, ReadModels1732200000001, Identity1732200000002, Imports1732200000003, ReadModelIndexes1732200000004, Rollups1732200000005, EventStoreAppend1732200020000,
  ImportLeases1732200040000, EstimatedParts1732200070000, FinancerAndPhaseRollups1732200080000, EventStoreKeys1732200090000, RollupEstimatedParts1732200110000,
];
