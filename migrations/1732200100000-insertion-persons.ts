import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Insertion persons and contracts (`bilan` projection version 5, ADR 0024): `rm_insertion_person_ledger` (one row per
 * person a declaration lists or a correction withdraws, `delta` ±1; pseudonymous `participant_id`, non-exclusive
 * `publics`) and `rm_insertion_contract_ledger` (same for insertion contracts), both keyed by global position and
 * ordinal in the event. Distinct persons and contracts are counted from them with `count(DISTINCT …)` (not additive:
 * no roll-up). The projection's version change rebuilds every table.
 */
export class InsertionPersons1732200100000 implements MigrationInterface {
  name = 'InsertionPersons1732200100000';

  async up(q: QueryRunner): Promise<void> {
    const keys = `declaration_id text NOT NULL, operation_id text, operation_kind text, epci_code text NOT NULL, bailleur_code text,
        marche_ref text NOT NULL, period_end date NOT NULL`;
    await q.query(`
      CREATE TABLE rm_insertion_person_ledger (
        global_position bigint NOT NULL, ordinal integer NOT NULL, ${keys},
        participant_id text NOT NULL, publics text[] NOT NULL, recruited boolean NOT NULL, anonymous boolean NOT NULL,
        delta smallint NOT NULL, estimated boolean NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (global_position, ordinal)
      );
      CREATE INDEX rm_insertion_person_ledger_date_idx ON rm_insertion_person_ledger (period_end);
      CREATE INDEX rm_insertion_person_ledger_participant_idx ON rm_insertion_person_ledger (participant_id);
      CREATE TABLE rm_insertion_contract_ledger (
        global_position bigint NOT NULL, ordinal integer NOT NULL, ${keys},
        contract_id text NOT NULL, participant_id text NOT NULL, kind text NOT NULL, start_date date NOT NULL, publics text[] NOT NULL,
        delta smallint NOT NULL, estimated boolean NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (global_position, ordinal)
      );
      CREATE INDEX rm_insertion_contract_ledger_date_idx ON rm_insertion_contract_ledger (period_end);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS rm_insertion_contract_ledger, rm_insertion_person_ledger');
  }
}
