import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { GetBilan, GetEnergy, GetInsertion, GetLogementsProgress, GetOperationsByPhase, GetSubsidies, CLOCK, READ_DB, type LogementsProgress } from '@erbm/platform';
import {
  type BilanReport,
  type EnergyResults,
  INSERTION_DIMENSIONS,
  type InsertionDimension,
  type InsertionRow,
  PROGRESS_DIMENSIONS,
  type PhaseCount,
  type ProgressDimension,
  type ReadScope,
  SUBSIDY_DIMENSIONS,
  type SnapshotAnswer,
  type SubsidyDimension,
  type SubsidyRow,
} from '@erbm/reporting';
import { type Clock } from '@erbm/shared';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { RequestInvalid } from '../http/problem-details.filter';
import { Request, Response } from 'express';
import { type DataSource } from 'typeorm';
import { AGGREGATE_READERS, Roles, scopeOf } from '../auth/roles';
import { BilanReportDto, EnergyAnswerDto, InsertionRowDto, LogementsProgressDto, PhaseCountDto, SubsidyRowDto } from './dto/read-models.dto';
import { sendConditionalJson } from './snapshot-etag';

export class ProgressQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: PROGRESS_DIMENSIONS, default: 'epci', example: 'epci' })
  @IsOptional()
  @IsIn(PROGRESS_DIMENSIONS as unknown as string[])
  by?: ProgressDimension;
}

const GROUP_BY = /^[A-Za-z]+(,[A-Za-z]+){0,6}$/;
const GROUP_BY_MESSAGE = 'groupBy must be a comma-separated list of dimensions';

export class GroupByQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: `Comma-separated dimensions among ${SUBSIDY_DIMENSIONS.join(', ')}`, example: 'financer,year' })
  @IsOptional()
  @Matches(GROUP_BY, { message: GROUP_BY_MESSAGE })
  groupBy?: string;
}

export class InsertionGroupByQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: `Comma-separated dimensions among ${INSERTION_DIMENSIONS.join(', ')}`, example: 'epci,year' })
  @IsOptional()
  @Matches(GROUP_BY, { message: GROUP_BY_MESSAGE })
  groupBy?: string;
}

function dimensions<T extends string>(raw: string | undefined, allowed: readonly T[]): T[] {
  const list = (raw ?? '').split(',').filter(Boolean);
  const bad = list.filter((d) => !allowed.includes(d as T));
  if (bad.length) throw new RequestInvalid([{ field: 'query:groupBy', rule: 'isIn', message: `unknown dimension(s) ${bad.join(', ')}; use ${allowed.join(', ')}` }]);
  return [...new Set(list)] as T[];
}

/**
 * Read models, all answerable as of a business date (`asOf`) and as known at a time (`knownAt`). Each answer is read
 * in one snapshot of the read models; object answers state its projection checkpoint (`checkpoint`), and every
 * answer carries it as a weak ETag (with the normalized query and the reader's scope): `If-None-Match` with the
 * current tag answers 304 without running the queries.
 */
@ApiTags('read models')
@ApiAuth()
@Roles(...AGGREGATE_READERS)
@Controller()
export class ReadModelsController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_DB) private readonly db: DataSource,
  ) {}

  /**
   * Runs a read-model query conditionally and sends its JSON body (`sendConditionalJson`: 304, or the answer kept for
   * the checkpoint, serialized once).
   */
  private send<T>(req: Request, res: Response, query: Record<string, unknown>, run: (scope: ReadScope) => Promise<SnapshotAnswer<T>>, body: (a: SnapshotAnswer<T>) => unknown): Promise<void> {
    const scope = scopeOf(req);
    return sendConditionalJson(this.db, req, res, { path: req.path, query, scope }, () => run(scope), body);
  }

  @Get('progress/logements')
  @ApiRead({ summary: 'Progress toward the 23 000 logements target, by EPCI, bailleur, cité, financer, axis, financing or year, with the monthly cumulative timeline', type: LogementsProgressDto, snapshot: true })
  async progress(@Query() q: ProgressQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    const by = q.by ?? 'epci';
    return this.send(req, res, { ...at, by }, (scope) => this.queries.execute<GetLogementsProgress, SnapshotAnswer<LogementsProgress>>(new GetLogementsProgress(at, by, scope)), (a) => ({ ...a.value, checkpoint: a.checkpoint }));
  }

  @Get('operations-by-phase')
  @ApiRead({ summary: 'Operations by kind, financing and phase (or suspendue / abandonnee) on asOf', type: [PhaseCountDto], snapshot: true })
  async phases(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    return this.send(req, res, { ...at }, (scope) => this.queries.execute<GetOperationsByPhase, SnapshotAnswer<PhaseCount[]>>(new GetOperationsByPhase(at, scope)), (a) => a.value);
  }

  @Get('subsidies')
  @ApiRead({ summary: `Subsidies decided and paid (integer cents), grouped by ${SUBSIDY_DIMENSIONS.join(', ')}`, type: [SubsidyRowDto], badRequest: 'unknown dimension in groupBy', snapshot: true })
  async subsidies(@Query() q: GroupByQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    const groupBy = dimensions<SubsidyDimension>(q.groupBy, SUBSIDY_DIMENSIONS);
    return this.send(req, res, { ...at, groupBy }, (scope) => this.queries.execute<GetSubsidies, SnapshotAnswer<SubsidyRow[]>>(new GetSubsidies(at, groupBy, scope)), (a) => a.value);
  }

  @Get('insertion')
  @ApiRead({ summary: `Heures d'insertion, participants and recruitments by public, grouped by ${INSERTION_DIMENSIONS.join(', ')}`, type: [InsertionRowDto], badRequest: 'unknown dimension in groupBy', snapshot: true })
  async insertion(@Query() q: InsertionGroupByQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    const groupBy = dimensions<InsertionDimension>(q.groupBy, INSERTION_DIMENSIONS);
    return this.send(req, res, { ...at, groupBy }, (scope) => this.queries.execute<GetInsertion, SnapshotAnswer<InsertionRow[]>>(new GetInsertion(at, groupBy, scope)), (a) => a.value);
  }

  @Get('energy')
  @ApiRead({ summary: 'Energy results of logements livrés: averages before/after (kWhEP/m².an), share under the goal, DPE classes', type: EnergyAnswerDto, snapshot: true })
  async energy(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    return this.send(req, res, { ...at }, (scope) => this.queries.execute<GetEnergy, SnapshotAnswer<EnergyResults>>(new GetEnergy(at, scope)), (a) => ({ ...a.value, checkpoint: a.checkpoint }));
  }

  @Get('reports/bilan')
  @ApiRead({ summary: 'The mid-term report (bilan) as of a date, as JSON', type: BilanReportDto, snapshot: true })
  async bilan(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    return this.send(req, res, { ...at }, (scope) => this.queries.execute<GetBilan, SnapshotAnswer<BilanReport>>(new GetBilan(at, scope)), (a) => ({ ...a.value, checkpoint: a.checkpoint }));
  }
}
