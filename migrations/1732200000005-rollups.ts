import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Roll-ups of the `bilan` projection (version 2, ADR 0014): running sums by business month, knowledge month and the
 * dimensions the answers group and filter by, so that an answer "as of" a date and "as known at" a time reads a
 * number of rows that depends on the programme (months × EPCI × bailleurs × cités…), not on the number of events.
 * An answer adds the roll-up rows of the whole months before both dates and the ledger rows of the two partial
 * months, found through the business-date indexes and the new knowledge-time indexes below (BRIN: ledger rows are
 * appended in knowledge-time order, so a block range summary is small, nearly free to maintain, and selective).
 * Also: `rm_insertion_declaration` (what a correction is counted under, looked up by key instead of the ledger's
 * first row) and `rm_grant.bailleur_code` (the operation's bailleur, for the grant roll-up). The projection's
 * version change rebuilds every table from the log.
 */
export class Rollups1732200000005 implements MigrationInterface {
  name = 'Rollups1732200000005';

  async up(q: QueryRunner): Promise<void> {
    const figures = ['hours', ...['participants', 'recruitments'].flatMap((k) => ['deld', 'rsa', 'jeunes', 'rqth', 'autres'].map((p) => `${k}_${p}`))]
      .map((c) => `${c} bigint NOT NULL DEFAULT 0`)
      .join(', ');
    await q.query(`
      CREATE TABLE rm_delivery_rollup (
        month date NOT NULL, known_month date NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL, cite_id text NOT NULL,
        financing text NOT NULL, axis_code text NOT NULL,
        logements bigint NOT NULL DEFAULT 0, energy_before bigint NOT NULL DEFAULT 0, energy_after bigint NOT NULL DEFAULT 0, under_goal bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, known_month, epci_code, bailleur_code, cite_id, financing, axis_code)
      );
      CREATE TABLE rm_delivery_dpe_rollup (
        month date NOT NULL, known_month date NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL, dpe_before text NOT NULL, dpe_after text NOT NULL,
        logements bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, known_month, epci_code, bailleur_code, dpe_before, dpe_after)
      );
      CREATE TABLE rm_operation_delivery_rollup (
        operation_id text NOT NULL, month date NOT NULL, known_month date NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL,
        logements bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (operation_id, month, known_month, epci_code, bailleur_code)
      );
      CREATE TABLE rm_grant_rollup (
        month date NOT NULL, known_month date NOT NULL, financer_code text NOT NULL, financer_category text NOT NULL, epci_code text NOT NULL,
        bailleur_code text NOT NULL, axis_code text NOT NULL, dispositif text NOT NULL, operation_kind text NOT NULL,
        decided_cents bigint NOT NULL DEFAULT 0, paid_cents bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, known_month, financer_code, financer_category, epci_code, bailleur_code, axis_code, dispositif, operation_kind)
      );
      CREATE TABLE rm_insertion_rollup (
        month date NOT NULL, known_month date NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL, operation_kind text NOT NULL, ${figures},
        PRIMARY KEY (month, known_month, epci_code, bailleur_code, operation_kind)
      );
      CREATE TABLE rm_insertion_declaration (
        declaration_id text PRIMARY KEY, operation_id text, operation_kind text, epci_code text NOT NULL, bailleur_code text, marche_ref text NOT NULL,
        period_start date NOT NULL, period_end date NOT NULL
      );
      ALTER TABLE rm_grant ADD COLUMN bailleur_code text;
      CREATE INDEX rm_delivery_ledger_recorded_idx ON rm_delivery_ledger USING brin (recorded_at);
      CREATE INDEX rm_grant_ledger_recorded_idx ON rm_grant_ledger USING brin (recorded_at);
      CREATE INDEX rm_insertion_ledger_recorded_idx ON rm_insertion_ledger USING brin (recorded_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS rm_insertion_ledger_recorded_idx, rm_grant_ledger_recorded_idx, rm_delivery_ledger_recorded_idx;
      ALTER TABLE rm_grant DROP COLUMN IF EXISTS bailleur_code;
      DROP TABLE IF EXISTS rm_insertion_declaration, rm_insertion_rollup, rm_grant_rollup, rm_operation_delivery_rollup,
        rm_delivery_dpe_rollup, rm_delivery_rollup;
    `);
  }
}
