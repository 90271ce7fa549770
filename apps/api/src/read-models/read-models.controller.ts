import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { GetBilan, GetEnergy, GetInsertion, GetLogementsProgress, GetOperationsByPhase, GetSubsidies, CLOCK } from '@erbm/platform';
import { INSERTION_DIMENSIONS, type InsertionDimension, PROGRESS_DIMENSIONS, type ProgressDimension, SUBSIDY_DIMENSIONS, type SubsidyDimension } from '@erbm/read-models';
import { type Clock } from '@erbm/shared';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { RequestInvalid } from '../http/problem-details.filter';
import { Request } from 'express';
import { AGGREGATE_READERS, Roles, scopeOf } from '../auth/roles';
import { BilanReportDto, EnergyResultsDto, InsertionRowDto, LogementsProgressDto, PhaseCountDto, SubsidyRowDto } from './dto/read-models.dto';

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

/** Read models, all answerable as of a business date (`asOf`) and as known at a time (`knownAt`). */
@ApiTags('read models')
@ApiAuth()
@Roles(...AGGREGATE_READERS)
@Controller()
export class ReadModelsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus, @Inject(CLOCK) private readonly clock: Clock) {}

  @Get('progress/logements')
  @ApiRead({ summary: 'Progress toward the 23 000 logements target, by EPCI, bailleur, cité, financer, axis, financing or year, with the monthly cumulative timeline', type: LogementsProgressDto })
  progress(@Query() q: ProgressQuery, @Req() req: Request) {
    return this.queries.execute(new GetLogementsProgress(resolveAsOf(q, this.clock.now()), q.by ?? 'epci', scopeOf(req)));
  }

  @Get('operations-by-phase')
  @ApiRead({ summary: 'Operations by kind, financing and phase (or suspendue / abandonnee) on asOf', type: [PhaseCountDto] })
  phases(@Query() q: AsOfQuery, @Req() req: Request) {
    return this.queries.execute(new GetOperationsByPhase(resolveAsOf(q, this.clock.now()), scopeOf(req)));
  }

  @Get('subsidies')
  @ApiRead({ summary: `Subsidies decided and paid (integer cents), grouped by ${SUBSIDY_DIMENSIONS.join(', ')}`, type: [SubsidyRowDto], badRequest: 'unknown dimension in groupBy' })
  subsidies(@Query() q: GroupByQuery, @Req() req: Request) {
    return this.queries.execute(new GetSubsidies(resolveAsOf(q, this.clock.now()), dimensions<SubsidyDimension>(q.groupBy, SUBSIDY_DIMENSIONS), scopeOf(req)));
  }

  @Get('insertion')
  @ApiRead({ summary: `Heures d'insertion, participants and recruitments by public, grouped by ${INSERTION_DIMENSIONS.join(', ')}`, type: [InsertionRowDto], badRequest: 'unknown dimension in groupBy' })
  insertion(@Query() q: InsertionGroupByQuery, @Req() req: Request) {
    return this.queries.execute(new GetInsertion(resolveAsOf(q, this.clock.now()), dimensions<InsertionDimension>(q.groupBy, INSERTION_DIMENSIONS), scopeOf(req)));
  }

  @Get('energy')
  @ApiRead({ summary: 'Energy results of logements livrés: averages before/after (kWhEP/m².an), share under the goal, DPE classes', type: EnergyResultsDto })
  energy(@Query() q: AsOfQuery, @Req() req: Request) {
    return this.queries.execute(new GetEnergy(resolveAsOf(q, this.clock.now()), scopeOf(req)));
  }

  @Get('reports/bilan')
  @ApiRead({ summary: 'The mid-term report (bilan) as of a date, as JSON', type: BilanReportDto })
  bilan(@Query() q: AsOfQuery, @Req() req: Request) {
    return this.queries.execute(new GetBilan(resolveAsOf(q, this.clock.now()), scopeOf(req)));
  }
}
