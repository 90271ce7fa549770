import { createHash } from 'node:crypto';
import { type ImportFormat, type ImportOutcome, type ImportRowOutcome } from '@erbm/application';
import { type Actor } from '@erbm/event-store';
import { type Sql } from '@erbm/reporting';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

/** An import as GET /imports/{importId} shows it; the counts come from the rows recorded so far. */
export interface ImportView {
  importId: string;
  organisation: string;
  status: ImportStatus;
  format: ImportFormat;
  total: number;
  done: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Last failure of the job (a retry may still be pending while status is `queued`). */
  error: string | null;
  attempts: number;
  createdAt: string;
  finishedAt: string | null;
}

/** What the job needs to apply an import. */
export interface StoredImport {
  importId: string;
  organisation: string;
  actor: Actor;
  correlationId: string;
  format: ImportFormat;
  content: string;
  contentSha256: string;
  total: number;
  status: ImportStatus;
}

/** A stored row of an import's report: the outcome the row processing produced. */
export type ImportRowView = ImportRowOutcome;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The id of an import: from the `Idempotency-Key` when given, else from the file's content; both scoped to the
 * submitting organisation, so two organisations never share an import.
 */
export function importIdFor(organisation: string, content: string, idempotencyKey?: string): string {
  const basis = idempotencyKey !== undefined ? `key\n${organisation}\n${idempotencyKey}` : `content\n${organisation}\n${content}`;
  return `imp-${sha256(basis).slice(0, 32)}`;
}

interface ImportRecord {
  import_id: string;
  organisation: string;
  actor: Actor;
  correlation_id: string;
  format: ImportFormat;
  content: string;
  content_sha256: string;
  total: number;
  status: ImportStatus;
  error: string | null;
  attempts: number;
  created_at: Date;
  finished_at: Date | null;
}

/** PostgreSQL tables `imports` and `import_rows` (migration 1732200000003). */
export class ImportStore {
  constructor(private readonly db: Sql) {}

  /** Stores a new import; when the id exists already, returns the stored one untouched (`created: false`). */
  async create(i: Omit<StoredImport, 'status'>, now: string): Promise<{ created: boolean; stored: StoredImport }> {
    const inserted = await this.db.query<unknown[]>(
      `INSERT INTO imports (import_id, organisation, actor, correlation_id, format, content, content_sha256, total, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (import_id) DO NOTHING RETURNING import_id`,
      [i.importId, i.organisation, JSON.stringify(i.actor), i.correlationId, i.format, i.content, i.contentSha256, i.total, now],
    );
    const stored = await this.load(i.importId);
    return { created: inserted.length > 0, stored: stored! };
  }

  async load(importId: string): Promise<StoredImport | null> {
    const rows = await this.db.query<ImportRecord[]>('SELECT * FROM imports WHERE import_id = $1', [importId]);
    if (!rows.length) return null;
    const r = rows[0];
    return {
      importId: r.import_id,
      organisation: r.organisation,
      actor: r.actor,
      correlationId: r.correlation_id,
      format: r.format,
      content: r.content,
      contentSha256: r.content_sha256,
      total: r.total,
      status: r.status,
    };
  }

  async view(importId: string): Promise<ImportView | null> {
    const rows = await this.db.query<(ImportRecord & { done: number; accepted: number; rejected: number; duplicates: number })[]>(
      `SELECT i.import_id, i.organisation, i.status, i.format, i.total, i.error, i.attempts, i.created_at, i.finished_at,
              count(r.line)::int AS done,
              count(r.line) FILTER (WHERE r.outcome = 'accepted')::int AS accepted,
              count(r.line) FILTER (WHERE r.outcome = 'rejected')::int AS rejected,
              count(r.line) FILTER (WHERE r.outcome = 'duplicate')::int AS duplicates
         FROM imports i LEFT JOIN import_rows r ON r.import_id = i.import_id
        WHERE i.import_id = $1
        GROUP BY i.import_id`,
      [importId],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      importId: r.import_id,
      organisation: r.organisation,
      status: r.status,
      format: r.format,
      total: r.total,
      done: r.done,
      accepted: r.accepted,
      rejected: r.rejected,
      duplicates: r.duplicates,
      error: r.error,
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    };
  }

  /** Rows of the queued or running imports not yet applied (`total - done`), for the `erbm_import_rows_pending` gauge. */
  async pendingRows(): Promise<number> {
    const rows = await this.db.query<{ n: string | null }[]>(`SELECT sum(total - done) AS n FROM imports WHERE status IN ('queued', 'running')`);
    return Number(rows[0]?.n ?? 0);
  }

  /** The rows recorded so far, in file order, optionally of one outcome. */
  async rows(importId: string, q: { outcome?: ImportOutcome; limit: number; offset: number }): Promise<{ total: number; rows: ImportRowView[] }> {
    const filter = q.outcome ? ' AND outcome = $2' : '';
    const params: unknown[] = q.outcome ? [importId, q.outcome] : [importId];
    const count = await this.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1${filter}`, params);
    const rows = await this.db.query<(Omit<ImportRowView, 'commandId'> & { command_id: string | null })[]>(
      `SELECT line, command_id, type, outcome, code, message, violations, events FROM import_rows WHERE import_id = $1${filter}
        ORDER BY line LIMIT ${Number(q.limit)} OFFSET ${Number(q.offset)}`,
      params,
    );
    return {
      total: count[0].n,
      rows: rows.map((r) => ({ line: r.line, commandId: r.command_id, type: r.type, outcome: r.outcome, code: r.code, message: r.message, violations: r.violations, events: r.events })),
    };
  }

  /** Lines whose outcome is recorded (a retried job skips them). */
  async recordedLines(importId: string): Promise<Set<number>> {
    const rows = await this.db.query<{ line: number }[]>('SELECT line FROM import_rows WHERE import_id = $1', [importId]);
    return new Set(rows.map((r) => r.line));
  }

  async recordRow(importId: string, row: ImportRowOutcome): Promise<void> {
    await this.db.query(
      `INSERT INTO import_rows (import_id, line, command_id, type, outcome, code, message, violations, events)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (import_id, line) DO NOTHING`,
      [importId, row.line, row.commandId, row.type, row.outcome, row.code, row.message, JSON.stringify(row.violations), row.events],
    );
  }

  /** Queued again (re-submitted after a failure, or a retry pending). */
  async requeue(importId: string, error: string | null = null): Promise<void> {
    await this.db.query(`UPDATE imports SET status = 'queued', error = $2, finished_at = NULL, lease_owner = NULL, lease_until = NULL WHERE import_id = $1`, [importId, error]);
  }

  /**
   * Takes the import's lease for `owner` until `leaseMs` from now (database time), marking it `running`: only when
   * it is queued or running and its lease is free, expired or already `owner`'s. False when another runner holds a
   * live lease, or the import is finished (completed or failed): the caller must not apply anything.
   */
  async acquire(importId: string, owner: string, attempt: number, leaseMs: number, now: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      // Through a CTE: TypeORM answers an UPDATE with [rows, count], a SELECT with its rows.
      `WITH taken AS (UPDATE imports SET status = 'running', attempts = $3, started_at = coalesce(started_at, $4), lease_owner = $2,
              lease_until = clock_timestamp() + make_interval(secs => $5::double precision / 1000)
        WHERE import_id = $1 AND status IN ('queued', 'running')
          AND (lease_until IS NULL OR lease_until < clock_timestamp() OR lease_owner = $2)
        RETURNING import_id) SELECT import_id FROM taken`,
      [importId, owner, attempt, now, leaseMs],
    );
    return rows.length > 0;
  }

  /**
   * Renews `owner`'s lease for `leaseMs` and records the progress (`done` rows). False when the lease was lost (it
   * expired and another runner took the import over): the caller must stop at once.
   */
  async renew(importId: string, owner: string, leaseMs: number, done: number): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `WITH renewed AS (UPDATE imports SET done = greatest(done, $4), lease_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
        WHERE import_id = $1 AND lease_owner = $2 AND status = 'running'
        RETURNING import_id) SELECT import_id FROM renewed`,
      [importId, owner, leaseMs, done],
    );
    return rows.length > 0;
  }

  /**
   * Imports left behind: queued or running, whose lease is absent or expired (their runner died, or their job was
   * lost with the process that held it), oldest first. `leaseOwner` is the dead runner's, null if it never started.
   */
  async leftBehind(limit = 100): Promise<{ importId: string; leaseOwner: string | null }[]> {
    const rows = await this.db.query<{ import_id: string; lease_owner: string | null }[]>(
      `SELECT import_id, lease_owner FROM imports
        WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < clock_timestamp())
        ORDER BY created_at LIMIT ${Number(limit)}`,
    );
    return rows.map((r) => ({ importId: r.import_id, leaseOwner: r.lease_owner }));
  }

  /** Removes an import that was just stored and could not be queued (503 QUEUE.UNAVAILABLE: nothing is kept). */
  async discard(importId: string): Promise<void> {
    await this.db.query(`DELETE FROM imports WHERE import_id = $1 AND status = 'queued' AND lease_owner IS NULL AND NOT EXISTS (SELECT 1 FROM import_rows WHERE import_id = $1)`, [importId]);
  }

  async progress(importId: string, done: number): Promise<void> {
    await this.db.query('UPDATE imports SET done = $2 WHERE import_id = $1', [importId, done]);
  }

  async completed(importId: string, now: string): Promise<void> {
    await this.db.query(`UPDATE imports SET status = 'completed', done = total, error = NULL, finished_at = $2, lease_owner = NULL, lease_until = NULL WHERE import_id = $1`, [importId, now]);
  }

  async failed(importId: string, error: string, now: string): Promise<void> {
    await this.db.query(`UPDATE imports SET status = 'failed', error = $2, finished_at = $3, lease_owner = NULL, lease_until = NULL WHERE import_id = $1`, [importId, error, now]);
  }
}
