import { projectionOf } from '../runner/batch-writer';
import { deliveriesReadModel } from './deliveries.projection';
import { grantsReadModel } from './grants.projection';
import { insertionReadModel } from './insertion.projection';
import { operationsReadModel } from './operations.projection';
import { referenceDataReadModel } from './reference-data.projection';

/** Events per transaction when the runner is given no batch size (measured in bench/rebuild.ts). */
export const BILAN_BATCH_SIZE = 5000;

/** The read models of the `bilan` projection, one module each (`projection/bilan/*.projection.ts`). */
export const BILAN_READ_MODELS = [referenceDataReadModel, operationsReadModel, deliveriesReadModel, grantsReadModel, insertionReadModel];

/** Every table of the `bilan` projection (emptied on rebuild). */
export const BILAN_TABLES = BILAN_READ_MODELS.flatMap((r) => r.tables.map((t) => t.name));

/**
 * The `bilan` projection: every read model of the mid-term report, from the global log, in one checkpoint (ADR
 * 0004). Each read model is written once, as per-event row changes (`row-changes.ts`); `apply` and `applyBatch` run
 * them through the same generic writer (`batch-writer.ts`). Ledger rows are keyed by the event's global position,
 * and an event whose ledger row is there already changes nothing (replay); current-state tables are inserts,
 * upserts and updates; roll-ups are increments (ADR 0014). Rows keep the business date of the fact and the event's
 * knowledge time (`recorded_at`). Version 2: roll-ups, `rm_insertion_declaration`, `rm_grant.bailleur_code`; version 3:
 * logements livrés by financer and operations by phase (`rm_financer_delivery_rollup`, `rm_operation_financing`,
 * `rm_operation_phase_rollup`, `rm_operation_phases`; ADR 0022); version 4: the part of every ledger and roll-up
 * figure that comes from estimated events (`…_estimated`), `rm_delivery` (ADR 0021); version 5: the estimated part
 * of the financer and phase roll-ups, and the financer roll-up's rows for any financer (`ANY_FINANCER`).
 */
export const bilanProjection = projectionOf({ name: 'bilan', version: 5, models: BILAN_READ_MODELS, preferredBatchSize: BILAN_BATCH_SIZE, asynchronousCommit: true });
