import { type MigrationInterface, type QueryRunner } from 'typeorm';

const INSERTION_FIGURES = ['hours', ...['participants', 'recruitments'].flatMap((k) => ['deld', 'rsa', 'jeunes', 'rqth', 'autres'].map((p) => `${k}_${p}`))];

/**
 * The part of every figure that comes from estimated events (`bilan` projection version 3, ADR 0021): ledgers and
 * roll-ups keep, beside each summed column, the same sum over estimated events only (`…_estimated`, same unit), so
 * every answer and every report can say how much of a figure is an estimate. Ledger rows carry amounts rather than a
 * flag because a correction's row is a difference whose parts may differ (an estimated figure replaced by a declared
 * one); `rm_delivery`, `rm_grant.estimated` and `rm_insertion_declaration.estimated` keep whether a delivery, a grant's
 * amount or a declaration is currently estimated, for those differences. `rm_operation_step.estimated`: the phase
 * or status an operation is in comes from an estimated event. The projection's version change rebuilds every table.
 */
export class EstimatedParts1732200070000 implements MigrationInterface {
  name = 'EstimatedParts1732200070000';

  async up(q: QueryRunner): Promise<void> {
    const cols = (names: string[], type: string) => names.map((c) => `ADD COLUMN ${c}_estimated ${type} NOT NULL DEFAULT 0`).join(', ');
    await q.query(`
      ALTER TABLE rm_delivery_ledger ${cols(['logements'], 'integer')};
      CREATE TABLE rm_delivery (delivery_id text PRIMARY KEY, estimated boolean NOT NULL DEFAULT false);
      ALTER TABLE rm_delivery_rollup ${cols(['logements', 'under_goal'], 'bigint')};
      ALTER TABLE rm_delivery_dpe_rollup ${cols(['logements'], 'bigint')};
      ALTER TABLE rm_operation_delivery_rollup ${cols(['logements'], 'bigint')};
      ALTER TABLE rm_grant ADD COLUMN estimated boolean NOT NULL DEFAULT false;
      ALTER TABLE rm_grant_ledger ${cols(['decided_cents', 'paid_cents'], 'bigint')};
      ALTER TABLE rm_grant_rollup ${cols(['decided_cents', 'paid_cents'], 'bigint')};
      ALTER TABLE rm_insertion_ledger ${cols(INSERTION_FIGURES, 'integer')};
      ALTER TABLE rm_insertion_declaration ADD COLUMN estimated boolean NOT NULL DEFAULT false;
      ALTER TABLE rm_insertion_rollup ${cols(INSERTION_FIGURES, 'bigint')};
      ALTER TABLE rm_operation_step ADD COLUMN estimated boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const drop = (names: string[]) => names.map((c) => `DROP COLUMN IF EXISTS ${c}_estimated`).join(', ');
    await q.query(`
      ALTER TABLE rm_operation_step DROP COLUMN IF EXISTS estimated;
      ALTER TABLE rm_insertion_rollup ${drop(INSERTION_FIGURES)};
      ALTER TABLE rm_insertion_declaration DROP COLUMN IF EXISTS estimated;
      ALTER TABLE rm_insertion_ledger ${drop(INSERTION_FIGURES)};
      ALTER TABLE rm_grant_rollup ${drop(['decided_cents', 'paid_cents'])};
      ALTER TABLE rm_grant_ledger ${drop(['decided_cents', 'paid_cents'])};
      ALTER TABLE rm_grant DROP COLUMN IF EXISTS estimated;
      ALTER TABLE rm_operation_delivery_rollup ${drop(['logements'])};
      ALTER TABLE rm_delivery_dpe_rollup ${drop(['logements'])};
      ALTER TABLE rm_delivery_rollup ${drop(['logements', 'under_goal'])};
      DROP TABLE IF EXISTS rm_delivery;
      ALTER TABLE rm_delivery_ledger ${drop(['logements'])};
    `);
  }
}
