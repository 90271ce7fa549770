import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bulk imports (POST /imports, job `import.commands`): the submitted file and its status in `imports`, the outcome
 * of each applied row in `import_rows` (a retried job skips the rows already recorded there).
 *
 * Not read models: the uploaded files and the row outcomes cannot be rebuilt from events. So both tables always
 * live in `public`, shared by every read-model schema (`READ_MODEL_SCHEMA`): a data source of another schema
 * records this migration but creates nothing (docs/operations.md, blue/green rebuild).
 */
export class Imports1732200000003 implements MigrationInterface {
  name = 'Imports1732200000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS public.imports (
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
      CREATE INDEX IF NOT EXISTS imports_organisation_idx ON public.imports (organisation, created_at);
      CREATE TABLE IF NOT EXISTS public.import_rows (
        import_id   text NOT NULL REFERENCES public.imports (import_id) ON DELETE CASCADE,
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
      CREATE INDEX IF NOT EXISTS import_rows_outcome_idx ON public.import_rows (import_id, outcome, line);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query('SELECT current_schema() AS schema');
    if (schema === 'public') await q.query('DROP TABLE public.import_rows; DROP TABLE public.imports;');
  }
}
