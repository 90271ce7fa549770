import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Import leases (ADR 0018, docs/import-format.md "No import left behind"): the runner of an import holds
 * `lease_owner` until `lease_until`, renews it while it progresses, and the resumer queues again every queued or
 * running import whose lease expired (its runner died). Like `imports` itself, lives in `public` whatever the
 * read-model schema.
 */
export class ImportLeases1732200040000 implements MigrationInterface {
  name = 'ImportLeases1732200040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE public.imports ADD COLUMN IF NOT EXISTS lease_owner text;
      ALTER TABLE public.imports ADD COLUMN IF NOT EXISTS lease_until timestamptz;
      CREATE INDEX IF NOT EXISTS imports_unfinished_idx ON public.imports (lease_until) WHERE status IN ('queued', 'running');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS public.imports_unfinished_idx;
      ALTER TABLE public.imports DROP COLUMN IF EXISTS lease_until;
      ALTER TABLE public.imports DROP COLUMN IF EXISTS lease_owner;
    `);
  }
}
