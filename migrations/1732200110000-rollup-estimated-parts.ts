import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The estimated part of the last two roll-ups of the bilan (issue 9, ADR 0022, ADR 0021), so that the bilan and
 * `GET /operations-by-phase` read them instead of the ledgers:
 * - `rm_financer_delivery_rollup.logements_estimated`, and rows of the pseudo-financer `*` (logements livrés on
 *   operations with any financer: the distinct total of co-financed logements);
 * - `rm_operation_phase_rollup.operations_estimated`.
 * The partial months of the answers by financer read the deliveries of the operations that changed in them: an
 * index by operation on the delivery ledger. The `bilan` projection's version 5 rebuilds every table from the log.
 */
export class RollupEstimatedParts1732200110000 implements MigrationInterface {
  name = 'RollupEstimatedParts1732200110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rm_financer_delivery_rollup ADD COLUMN logements_estimated bigint NOT NULL DEFAULT 0;
      ALTER TABLE rm_operation_phase_rollup ADD COLUMN operations_estimated bigint NOT NULL DEFAULT 0;
      CREATE INDEX rm_delivery_ledger_op_idx ON rm_delivery_ledger (operation_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS rm_delivery_ledger_op_idx;
      ALTER TABLE rm_operation_phase_rollup DROP COLUMN IF EXISTS operations_estimated;
      ALTER TABLE rm_financer_delivery_rollup DROP COLUMN IF EXISTS logements_estimated;
    `);
  }
}
