import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The last two answers of the bilan pre-aggregated by the `bilan` projection (version 3, issue 9, ADR 0022), so
 * that they read rows that grow with months and the programme's dimensions, not with operations or events:
 * - `rm_financer_delivery_rollup`: each delivery counted for every financer that decided a grant on its operation,
 *   at the later of the two months in each time (business month, knowledge month), by financer, EPCI and bailleur;
 *   `rm_operation_financing` keeps, per operation, the financers' decision months and the logements livrés by month,
 *   so that a grant decided after deliveries adds them;
 * - `rm_operation_phase_rollup`: operations and planned logements by phase as signed corners in (business month,
 *   knowledge month); `rm_operation_phases` keeps, per operation, what its phase is computed from (its steps).
 * The partial months are read from the step ledger: by business date (new index) and knowledge time (BRIN: steps are
 * appended in knowledge-time order), and operations by knowledge time (BRIN). The projection's version change
 * rebuilds every table from the log.
 */
export class FinancerAndPhaseRollups1732200080000 implements MigrationInterface {
  name = 'FinancerAndPhaseRollups1732200080000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rm_operation_financing (
        operation_id text PRIMARY KEY, epci_code text, bailleur_code text,
        decisions jsonb NOT NULL DEFAULT '{}', delivered jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE rm_financer_delivery_rollup (
        month date NOT NULL, known_month date NOT NULL, financer_code text NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL,
        logements bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, known_month, financer_code, epci_code, bailleur_code)
      );
      CREATE TABLE rm_operation_phases (
        operation_id text PRIMARY KEY, kind text, financing text, epci_code text, bailleur_code text, planned_logements integer, known_month date,
        steps jsonb NOT NULL DEFAULT '[]'
      );
      CREATE TABLE rm_operation_phase_rollup (
        month date NOT NULL, known_month date NOT NULL, kind text NOT NULL, financing text NOT NULL, phase text NOT NULL, epci_code text NOT NULL,
        bailleur_code text NOT NULL, operations bigint NOT NULL DEFAULT 0, planned bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, known_month, kind, financing, phase, epci_code, bailleur_code)
      );
      CREATE INDEX rm_operation_step_date_idx ON rm_operation_step (effective_on);
      CREATE INDEX rm_operation_step_recorded_idx ON rm_operation_step USING brin (recorded_at);
      CREATE INDEX rm_operation_recorded_idx ON rm_operation USING brin (recorded_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS rm_operation_recorded_idx, rm_operation_step_recorded_idx, rm_operation_step_date_idx;
      DROP TABLE IF EXISTS rm_operation_phase_rollup, rm_operation_phases, rm_financer_delivery_rollup, rm_operation_financing;
    `);
  }
}
