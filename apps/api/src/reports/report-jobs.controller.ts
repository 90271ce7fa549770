import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type JobQueue, type JobStatus } from '@erbm/application';
import { CLOCK, JOB_QUEUE } from '@erbm/platform';
import { type Clock, conflict, isIsoDate, notFound, unavailable } from '@erbm/shared';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { REPORT_FORMATS, type ReportFormat } from '@erbm/report-rendering';
import { Request } from 'express';
import { ApiAuth, ApiProblem, ApiRead } from '../http/api-docs';
import { commandContext } from '../http/command-context';
import { RequestInvalid } from '../http/problem-details.filter';
import { Roles } from '../auth/roles';
import { JobStatusDto, QueuedJobDto } from './dto/report-job.dto';

export class BilanJobDto {
  @ApiProperty({ description: 'Business date of the report (ISO date)', example: '2022-12-31' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf!: string;

  @ApiPropertyOptional({ description: 'Knowledge time (ISO date-time); default: when the job runs. Same asOf and knownAt → same job, same file.', example: '2023-01-16T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;

  @ApiPropertyOptional({ description: 'Files to write (default all)', isArray: true, enum: REPORT_FORMATS, example: ['pdf', 'xlsx'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_FORMATS.length)
  @IsIn(REPORT_FORMATS, { each: true, message: `formats must be among ${REPORT_FORMATS.join(', ')}` })
  formats?: ReportFormat[];
}

export class JobIdParam {
  @ApiProperty({ example: 'bilan-2022-12-31-known-2023-01-16T00-00-00-000Z' })
  @Matches(/^[A-Za-z0-9-]{1,120}$/, { message: 'jobId must be [A-Za-z0-9-], at most 120 characters' })
  jobId!: string;
}

const REPORT_JOBS_ROLES = 'report jobs are for the délégation and the comité de pilotage';

/** Report generation as BullMQ jobs, run by the worker; the file is kept (REPORTS_DIR). */
@ApiTags('reports')
@ApiAuth()
@Roles('delegation', 'copil')
@Controller('reports')
export class ReportJobsController {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue, @Inject(CLOCK) private readonly clock: Clock) {}

  /** Runs a queue call; a queue that cannot be reached (Redis down) answers 503 QUEUE.UNAVAILABLE. */
  private async onQueue<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw unavailable('QUEUE.UNAVAILABLE', `The job queue cannot be reached (${(e as Error).message}); retry later`);
    }
  }

  @Post('bilan/jobs')
  @HttpCode(202)
  @ApiRead({
    summary: 'Queue the generation of the bilan files (json, csv, xlsx, html, pdf) as of a date (and as known at a time)',
    status: 202,
    type: QueuedJobDto,
    returns: 'Queued (or the job already queued for the same request)',
    badRequest: 'invalid body (asOf, knownAt in the future, formats)',
    forbidden: REPORT_JOBS_ROLES,
    jsonBody: true,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key maps to the same job' })
  @ApiProblem(409, 'JOB.KEY_REUSED: the Idempotency-Key was used for another report')
  @ApiProblem(503, 'QUEUE.UNAVAILABLE: the job queue cannot be reached')
  async enqueue(@Body() body: BilanJobDto, @Req() req: Request): Promise<{ jobId: string; statusUrl: string }> {
    if (!isIsoDate(body.asOf)) throw new RequestInvalid([{ field: 'asOf', rule: 'isIsoDate', message: 'must be a real calendar date YYYY-MM-DD' }]);
    const parsed = body.knownAt === undefined ? undefined : Date.parse(body.knownAt);
    if (parsed !== undefined && (Number.isNaN(parsed) || parsed > Date.parse(this.clock.now()))) {
      throw new RequestInvalid([{ field: 'knownAt', rule: 'isPastDateTime', message: 'must be an ISO 8601 date-time (YYYY-MM-DDTHH:mm:ssZ) not in the future' }]);
    }
    const knownAt = parsed === undefined ? undefined : new Date(parsed).toISOString();
    // Formats in canonical order, without duplicates; all formats = the default (no suffix in the job id).
    const formats = body.formats && body.formats.length ? REPORT_FORMATS.filter((f) => body.formats!.includes(f)) : undefined;
    const formatsSuffix = formats && formats.length < REPORT_FORMATS.length ? `-${formats.join('-')}` : '';
    // An Idempotency-Key maps a retried request to its first job; without one, a fixed knowledge time makes the
    // report reproducible, so the same request maps to the same job.
    const idempotencyKey = req.header('idempotency-key');
    const jobId = idempotencyKey
      ? `bilan-key-${createHash('sha256').update(commandContext(req).actor.organisation).update('\n').update(idempotencyKey).digest('hex').slice(0, 32)}`
      : knownAt
        ? `bilan-${body.asOf}-known-${knownAt.replace(/[:.]/g, '-')}${formatsSuffix}`
        : undefined;
    if (idempotencyKey && jobId) {
      const existing = await this.onQueue(() => this.queue.status(jobId));
      const payload = existing?.payload as { asOf?: string; knownAt?: string; formats?: string[] } | undefined;
      if (existing && (payload?.asOf !== body.asOf || payload?.knownAt !== knownAt || (payload?.formats ?? []).join() !== (formats ?? []).join())) {
        throw conflict('JOB.KEY_REUSED', 'This Idempotency-Key was already used for another report job; use a new one');
      }
    }
    const r = await this.onQueue(() => this.queue.enqueue('report.bilan', { asOf: body.asOf, knownAt, ...(formats ? { formats } : {}) }, { jobId }));
    return { jobId: r.jobId, statusUrl: `/reports/jobs/${r.jobId}` };
  }

  @Get('jobs/:jobId')
  @ApiRead({ summary: 'Status, progress (0–100) and, when completed, the result (file) of a report job', type: JobStatusDto, forbidden: REPORT_JOBS_ROLES, notFound: 'JOB.NOT_FOUND' })
  @ApiProblem(503, 'QUEUE.UNAVAILABLE: the job queue cannot be reached')
  async status(@Param() p: JobIdParam): Promise<JobStatus> {
    const s = await this.onQueue(() => this.queue.status(p.jobId));
    if (!s) throw notFound('JOB.NOT_FOUND', `No job ${p.jobId}`, 'jobId');
    return s;
  }
}
