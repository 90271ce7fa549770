import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Read models of the `bilan` projection (libs/projections). Ledgers are append-only, keyed by the event's global
 * position (and a sequence number when one event yields several rows), and carry the business date of the fact
 * and its knowledge time, so every figure can be asked "as of" a date and "as known at" a time.
 */
export class ReadModels1732200000001 implements MigrationInterface {
  name = 'ReadModels1732200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rm_projection_checkpoint (
        name        text PRIMARY KEY,
        version     integer NOT NULL,
        checkpoint  text NOT NULL,
        events      bigint NOT NULL DEFAULT 0,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE rm_epci (epci_code text PRIMARY KEY, name text NOT NULL, communes integer);
      CREATE TABLE rm_financer (financer_code text PRIMARY KEY, name text NOT NULL, category text NOT NULL, epci_code text);
      CREATE TABLE rm_bailleur (bailleur_code text PRIMARY KEY, name text NOT NULL);
      CREATE TABLE rm_cite (
        cite_id text PRIMARY KEY, name text NOT NULL, communes text[] NOT NULL, epci_code text NOT NULL,
        bailleur_code text, logements integer, unesco boolean NOT NULL, priority boolean NOT NULL
      );
      CREATE TABLE rm_programme_target (
        programme_id text NOT NULL, target_version integer NOT NULL, logements integer NOT NULL,
        energy_goal_kwh integer NOT NULL, target_date date NOT NULL, effective_from date NOT NULL, source text,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (programme_id, target_version)
      );
      CREATE TABLE rm_axis (
        axis_set_version text NOT NULL, code text NOT NULL, label text NOT NULL, parent_code text,
        effective_from date NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (axis_set_version, code)
      );
      CREATE TABLE rm_operation (
        operation_id text PRIMARY KEY, kind text NOT NULL, cite_id text NOT NULL, epci_code text NOT NULL,
        bailleur_code text, financing text, axis_code text NOT NULL, title text NOT NULL, lead_kind text, lead_name text,
        planned_logements integer NOT NULL DEFAULT 0, programmed_on date NOT NULL, planned_dates jsonb NOT NULL,
        recorded_at timestamptz NOT NULL
      );
      CREATE TABLE rm_operation_step (
        global_position bigint PRIMARY KEY, operation_id text NOT NULL, step text NOT NULL, phase text,
        effective_on date NOT NULL, planned_on date, recorded_at timestamptz NOT NULL
      );
      CREATE INDEX rm_operation_step_op_idx ON rm_operation_step (operation_id, effective_on);
      CREATE TABLE rm_delivery_ledger (
        global_position bigint NOT NULL, seq smallint NOT NULL, delivery_id text NOT NULL, operation_id text NOT NULL,
        cite_id text NOT NULL, epci_code text NOT NULL, bailleur_code text NOT NULL, financing text NOT NULL,
        axis_code text NOT NULL, delivered_on date NOT NULL, logements integer NOT NULL,
        energy_before_kwh integer NOT NULL, energy_after_kwh integer NOT NULL, dpe_before text NOT NULL,
        dpe_after text NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (global_position, seq)
      );
      CREATE INDEX rm_delivery_ledger_date_idx ON rm_delivery_ledger (delivered_on);
      CREATE TABLE rm_grant (
        grant_id text PRIMARY KEY, financer_code text NOT NULL, financer_category text NOT NULL,
        operation_id text NOT NULL, operation_kind text NOT NULL, epci_code text NOT NULL, axis_code text NOT NULL,
        dispositif text NOT NULL, beneficiary_kind text NOT NULL, beneficiary_code text, beneficiary_name text NOT NULL,
        convention_date date NOT NULL, decision_ref text, amount_cents bigint NOT NULL, paid_cents bigint NOT NULL DEFAULT 0,
        status text NOT NULL, recorded_at timestamptz NOT NULL
      );
      CREATE TABLE rm_grant_ledger (
        global_position bigint PRIMARY KEY, grant_id text NOT NULL, movement text NOT NULL, effective_on date NOT NULL,
        financer_code text NOT NULL, financer_category text NOT NULL, operation_id text NOT NULL, operation_kind text NOT NULL,
        epci_code text NOT NULL, axis_code text NOT NULL, dispositif text NOT NULL,
        decided_cents bigint NOT NULL, paid_cents bigint NOT NULL, recorded_at timestamptz NOT NULL
      );
      CREATE INDEX rm_grant_ledger_date_idx ON rm_grant_ledger (effective_on);
      CREATE TABLE rm_insertion_ledger (
        global_position bigint PRIMARY KEY, declaration_id text NOT NULL, operation_id text, operation_kind text,
        epci_code text NOT NULL, bailleur_code text, marche_ref text NOT NULL, period_start date NOT NULL, period_end date NOT NULL,
        hours integer NOT NULL,
        participants_deld integer NOT NULL, participants_rsa integer NOT NULL, participants_jeunes integer NOT NULL,
        participants_rqth integer NOT NULL, participants_autres integer NOT NULL,
        recruitments_deld integer NOT NULL, recruitments_rsa integer NOT NULL, recruitments_jeunes integer NOT NULL,
        recruitments_rqth integer NOT NULL, recruitments_autres integer NOT NULL,
        recorded_at timestamptz NOT NULL
      );
      CREATE INDEX rm_insertion_ledger_date_idx ON rm_insertion_ledger (period_end);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rm_insertion_ledger, rm_grant_ledger, rm_grant, rm_delivery_ledger, rm_operation_step,
      rm_operation, rm_axis, rm_programme_target, rm_cite, rm_bailleur, rm_financer, rm_epci, rm_projection_checkpoint`);
  }
}
