import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type ImportFormat, type ImportLine, type JobQueue, parseImportFile } from '@erbm/application';
import { CLOCK, type ImportRowView, ImportStore, type ImportView, JOB_QUEUE, READ_DB, importIdFor, sha256 } from '@erbm/platform';
import { type DataSource } from 'typeorm';
import { type Clock, DomainError, conflict, notFound, unavailable } from '@erbm/shared';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Request, Response } from 'express';
import { ApiAuth, ApiProblem, ApiRead, COPIL_REFUSED } from '../http/api-docs';
import { commandContext } from '../http/command-context';
import { RequestRejected } from '../http/problem-details.filter';
import { ImportRowsPageDto, ImportViewDto, SubmittedImportDto } from './dto/import.dto';

/** Largest accepted import file (raw CSV or JSON Lines body of POST /imports). */
export const IMPORT_BODY_LIMIT = '10mb';
/** Content types of import files, and the format each one means. */
export const IMPORT_CONTENT_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

export class ImportIdParam {
  @ApiProperty({ example: 'imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f' })
  @Matches(/^imp-[0-9a-f]{32}$/, { message: 'importId must be imp-<32 hex digits>' })
  importId!: string;
}

export class ImportRowsQuery {
  @ApiPropertyOptional({ enum: ['accepted', 'duplicate', 'rejected'], example: 'rejected' })
  @IsOptional()
  @IsIn(['accepted', 'duplicate', 'rejected'], { message: 'outcome must be accepted, duplicate or rejected' })
  outcome?: 'accepted' | 'duplicate' | 'rejected';

  @ApiPropertyOptional({ description: 'Rows per page (1–1000, default 100)', example: '100' })
  @IsOptional()
  @Matches(/^(?:[1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  limit?: string;

  @ApiPropertyOptional({ description: 'Rows to skip (default 0)', example: '0' })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'offset must be a non-negative integer' })
  offset?: string;
}

/** The format an import's Content-Type names, or null. */
export function importFormatOf(contentType: string | undefined): ImportFormat | null {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return IMPORT_CONTENT_TYPES[mime] ?? null;
}

/**
 * Bulk imports (docs/import-format.md): the file is stored with its rows' outcomes in PostgreSQL and applied by
 * the worker (BullMQ job `import.commands`). Every row acts as the caller, through channel `import`.
 */
@ApiTags('imports')
@ApiAuth()
@Controller('imports')
export class ImportsController {
  private readonly store: ImportStore;

  constructor(@Inject(READ_DB) db: DataSource, @Inject(JOB_QUEUE) private readonly queue: JobQueue, @Inject(CLOCK) private readonly clock: Clock) {
    this.store = new ImportStore(db);
  }

  @Post()
  @ApiRead({
    summary: 'Submit a file of commands (CSV or JSON Lines); it is applied in the background',
    status: 202,
    type: SubmittedImportDto,
    returns: 'Accepted: stored and queued',
    headers: { Location: '/imports/{importId}' },
    badRequest: 'IMPORT.UNREADABLE_FILE (CSV quoting or header), IMPORT.EMPTY_FILE',
    forbidden: COPIL_REFUSED,
  })
  @ApiConsumes('text/csv', 'application/x-ndjson', 'application/jsonl')
  @ApiBody({ description: 'The file itself (at most 10 MB), see docs/import-format.md', schema: { type: 'string', example: 'commandId,type,knownAt,source,estimated,data\n…' } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key (or, without one, the same file) from the same organisation → the same import; nothing is applied twice' })
  @ApiProblem(409, 'IMPORT.KEY_REUSED: the Idempotency-Key was used for another file')
  @ApiProblem(413, 'REQUEST.TOO_LARGE: the file is over 10 MB')
  @ApiProblem(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE: not text/csv or application/x-ndjson')
  @ApiProblem(503, 'QUEUE.UNAVAILABLE: the job queue cannot be reached')
  async submit(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ importId: string; statusUrl: string; rowsUrl: string; resubmitted: boolean }> {
    const ctx = commandContext(req);
    const format = importFormatOf(req.headers['content-type']);
    if (format === null || typeof req.body !== 'string') {
      throw new RequestRejected(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `An import is a text/csv or application/x-ndjson body (got ${req.headers['content-type'] ?? 'none'})`);
    }
    const content = req.body;
    const actor = { ...ctx.actor, channel: 'import' as const };
    // Read once here so a broken file is refused at once (400) and the total is known.
    let lines: ImportLine[];
    try {
      lines = parseImportFile(content, format, { channel: 'import', correlationId: ctx.correlationId, actor });
    } catch (e) {
      if (e instanceof DomainError) throw new RequestRejected(400, e.code, e.message);
      throw e;
    }
    if (lines.length === 0) throw new RequestRejected(400, 'IMPORT.EMPTY_FILE', 'The file has no row to import');
    const key = req.header('idempotency-key');
    const importId = importIdFor(actor.organisation, content, key);
    const contentSha256 = sha256(content);
    const { created, stored } = await this.store.create(
      { importId, organisation: actor.organisation, actor, correlationId: ctx.correlationId, format, content, contentSha256, total: lines.length },
      this.clock.now(),
    );
    if (!created && stored.contentSha256 !== contentSha256) {
      throw conflict('IMPORT.KEY_REUSED', `Idempotency-Key "${key}" was already used for another file (import ${importId}); use a new one`);
    }
    if (stored.status !== 'completed') {
      // A failed import submitted again resumes after its recorded rows.
      if (stored.status === 'failed') await this.store.requeue(importId);
      try {
        await this.queue.enqueue('import.commands', { importId }, { jobId: importId });
      } catch (e) {
        // One rule (ADR 0018): a submission refused with 503 stores nothing. An import stored by an earlier, accepted
        // submission stays, and the resumer queues it again once the queue answers.
        if (created) await this.store.discard(importId);
        throw unavailable('QUEUE.UNAVAILABLE', `The job queue cannot be reached (${(e as Error).message}); nothing was stored, submit the file again later`);
      }
    }
    res.status(202).setHeader('Location', `/imports/${importId}`);
    return { importId, statusUrl: `/imports/${importId}`, rowsUrl: `/imports/${importId}/rows`, resubmitted: !created };
  }

  /** The import, if the caller may see it: its submitter or the délégation (anyone else: 404, as if absent). */
  private async visible(req: Request, importId: string): Promise<ImportView> {
    const { organisation } = commandContext(req).actor;
    const view = await this.store.view(importId);
    if (!view || (organisation !== 'delegation' && organisation !== view.organisation)) throw notFound('IMPORT.NOT_FOUND', `No import ${importId}`, 'importId');
    return view;
  }

  @Get(':importId')
  @ApiRead({
    summary: 'Status and progress of an import: queued, running, completed or failed; counts of accepted, rejected and duplicate rows',
    type: ImportViewDto,
    forbidden: COPIL_REFUSED,
    notFound: 'IMPORT.NOT_FOUND, also for an import of another organisation',
  })
  async status(@Param() p: ImportIdParam, @Req() req: Request): Promise<ImportView> {
    return this.visible(req, p.importId);
  }

  @Get(':importId/rows')
  @ApiRead({ summary: 'Per-row report of an import, in file order (filter by outcome; paginated)', type: ImportRowsPageDto, forbidden: COPIL_REFUSED, notFound: 'IMPORT.NOT_FOUND' })
  async rows(@Param() p: ImportIdParam, @Query() q: ImportRowsQuery, @Req() req: Request): Promise<{ importId: string; total: number; limit: number; offset: number; rows: ImportRowView[] }> {
    await this.visible(req, p.importId);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const page = await this.store.rows(p.importId, { outcome: q.outcome, limit, offset });
    return { importId: p.importId, total: page.total, limit, offset, rows: page.rows };
  }
}
