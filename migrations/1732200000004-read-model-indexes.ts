import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the set-based `bilan` projection and the bilan queries (docs/performance.md):
 * - a correction of an insertion declaration looks up the declaration's first ledger row by `declaration_id`
 *   (a sequential scan of the whole ledger before);
 * - logements livrés by financer join deliveries to the financers that decided a grant on the operation: the
 *   `decided` movements (one in seven ledger rows) with their dates come from a partial index, not a ledger scan.
 */
export class ReadModelIndexes1732200000004 implements MigrationInterface {
  name = 'ReadModelIndexes1732200000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS rm_insertion_ledger_declaration_idx ON rm_insertion_ledger (declaration_id, global_position)`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS rm_grant_ledger_decided_idx ON rm_grant_ledger (operation_id, financer_code) INCLUDE (effective_on, recorded_at) WHERE movement = 'decided'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS rm_grant_ledger_decided_idx`);
    await q.query(`DROP INDEX IF EXISTS rm_insertion_ledger_declaration_idx`);
  }
}
