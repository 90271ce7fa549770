import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bulk imports (POST /imports, job `import.commands`): the submitted file and its status in `imports`, the outcome
 * of each applied row in `import_rows` (a retried job skips the rows already recorded there).
 */
export class Imports1732200000003 implements MigrationInterface {
  name = 'Imports1732200000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        import_id       text PRIMARY KEY,
        organisation    text NOT NULL,
        actor           jsonb NOT NULL,
        correlation_id  text NOT NULL,
        format          text NOT NULL CHECK (format IN ('csv', 'jsonl')),
        content         text NOT NULL,
        content_sha256  text NOT NULL,
        total           integer NOT NULL CHECK (total >= 0),
        status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        done            integer NOT NULL DEFAULT 0,
        attempts        integer NOT NULL DEFAULT 0,
        error           text,
        created_at      timestamptz NOT NULL,
        started_at      timestamptz,
        finished_at     timestamptz
      );
      CREATE INDEX imports_organisation_idx ON imports (organisation, created_at);
      CREATE TABLE import_rows (
        import_id   text NOT NULL REFERENCES imports (import_id) ON DELETE CASCADE,
        line        integer NOT NULL,
        command_id  text,
        type        text,
        outcome     text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected')),
        code        text,
        message     text,
        violations  jsonb NOT NULL DEFAULT '[]',
        events      integer NOT NULL DEFAULT 0,
        PRIMARY KEY (import_id, line)
      );
      CREATE INDEX import_rows_outcome_idx ON import_rows (import_id, outcome, line);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_rows; DROP TABLE imports;');
  }
}
