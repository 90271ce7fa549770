import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CLOCK, GetForecastBacktest, GetLateOperations, GetLogementsForecast } from '@erbm/platform';
import { type ForecastGroupBy } from '@erbm/forecasting';
import { type Clock, isIsoDate } from '@erbm/shared';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { type Request } from 'express';
import { AGGREGATE_READERS, Roles, scopeOf } from '../auth/roles';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { RequestInvalid } from '../http/problem-details.filter';
import { BacktestDto, LateOperationDto, LogementsForecastDto } from './dto/forecast.dto';

const DATE = /^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const BY: ForecastGroupBy[] = ['epci', 'bailleur'];
/** Monte Carlo bounds: at least 100 runs for stable percentiles, at most 20 000 to keep a request short. */
const MIN_RUNS = 100;
const MAX_RUNS = 20_000;

class MonteCarloQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'Seed of the Monte Carlo PRNG (integer 0–4294967295); the same seed gives the same range.', example: '20170307' })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'seed must be an integer between 0 and 4294967295' })
  seed?: string;

  @ApiPropertyOptional({ description: `Monte Carlo runs (${MIN_RUNS}–${MAX_RUNS}, default 2000)`, example: '2000' })
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: `runs must be an integer between ${MIN_RUNS} and ${MAX_RUNS}` })
  runs?: string;
}

export class ForecastQuery extends MonteCarloQuery {
  @ApiPropertyOptional({ enum: BY, description: 'Also forecast per EPCI or per bailleur', example: 'epci' })
  @IsOptional()
  @IsIn(BY)
  by?: ForecastGroupBy;
}

export class BacktestQuery {
  @ApiProperty({ description: 'Date of the forecast (YYYY-MM-DD): the forecast is made as of that date with what was known by its end.', example: '2021-12-31' })
  @Matches(DATE, { message: 'forecastAsOf must be a date YYYY-MM-DD' })
  forecastAsOf!: string;

  @ApiProperty({ description: 'Date of the actual figure (YYYY-MM-DD), after forecastAsOf.', example: '2022-12-31' })
  @Matches(DATE, { message: 'actualAsOf must be a date YYYY-MM-DD' })
  actualAsOf!: string;

  @ApiPropertyOptional({ description: 'Knowledge time of the forecast (default: the end of forecastAsOf).', example: '2022-01-16T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'forecastKnownAt must be an ISO 8601 date-time' })
  forecastKnownAt?: string;

  @ApiPropertyOptional({ description: 'Seed of the Monte Carlo PRNG (integer 0–4294967295).', example: '20170307' })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'seed must be an integer between 0 and 4294967295' })
  seed?: string;

  @ApiPropertyOptional({ description: `Monte Carlo runs (${MIN_RUNS}–${MAX_RUNS}, default 2000)`, example: '2000' })
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: `runs must be an integer between ${MIN_RUNS} and ${MAX_RUNS}` })
  runs?: string;
}

/** Parses `seed` and `runs` (already shaped by the DTO) and checks their ranges. */
function monteCarlo(q: { seed?: string; runs?: string }): { seed?: number; runs?: number } {
  const seed = q.seed === undefined ? undefined : Number(q.seed);
  const runs = q.runs === undefined ? undefined : Number(q.runs);
  if (seed !== undefined && seed > 0xffffffff) throw new RequestInvalid([{ field: 'query:seed', rule: 'max', message: 'seed must be at most 4294967295' }]);
  if (runs !== undefined && (runs < MIN_RUNS || runs > MAX_RUNS)) {
    throw new RequestInvalid([{ field: 'query:runs', rule: 'range', message: `runs must be between ${MIN_RUNS} and ${MAX_RUNS}` }]);
  }
  return { seed, runs };
}

const realDate = (v: string, field: string): string => {
  if (!isIsoDate(v)) throw new RequestInvalid([{ field: `query:${field}`, rule: 'isIsoDate', message: 'must be a real calendar date YYYY-MM-DD' }]);
  return v;
};

/** Projections for the comité de pilotage (docs/forecasting.md), scoped like every read model. */
@ApiTags('forecasts')
@ApiAuth()
@Roles(...AGGREGATE_READERS)
@Controller('forecasts')
export class ForecastsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus, @Inject(CLOCK) private readonly clock: Clock) {}

  @Get('logements')
  @ApiRead({
    summary: 'When the target is reached and how many logements by its end date: trend, pipeline and Monte Carlo P10/P50/P90, required and current monthly rates, late operations',
    type: LogementsForecastDto,
    badRequest: 'seed or runs out of range',
  })
  logements(@Query() q: ForecastQuery, @Req() req: Request) {
    return this.queries.execute(new GetLogementsForecast(resolveAsOf(q, this.clock.now()), { by: q.by, ...monteCarlo(q) }, scopeOf(req)));
  }

  @Get('logements/backtest')
  @ApiRead({
    summary: 'What each method forecast as of forecastAsOf for actualAsOf, against the logements actually delivered',
    type: BacktestDto,
    badRequest: 'forecastAsOf or actualAsOf missing or not a date, actualAsOf not after forecastAsOf, seed or runs out of range',
  })
  backtest(@Query() q: BacktestQuery, @Req() req: Request) {
    const forecastAsOf = realDate(q.forecastAsOf, 'forecastAsOf');
    const actualAsOf = realDate(q.actualAsOf, 'actualAsOf');
    if (actualAsOf <= forecastAsOf) throw new RequestInvalid([{ field: 'query:actualAsOf', rule: 'after', message: 'must be after forecastAsOf' }]);
    const forecastKnownAt = q.forecastKnownAt === undefined ? undefined : new Date(q.forecastKnownAt).toISOString();
    return this.queries.execute(new GetForecastBacktest({ forecastAsOf, actualAsOf, forecastKnownAt }, monteCarlo(q), scopeOf(req)));
  }

  @Get('late-operations')
  @ApiRead({ summary: 'Operations late against their planned dates on asOf (current phase started late, or next phase overdue), with days late', type: [LateOperationDto] })
  late(@Query() q: AsOfQuery, @Req() req: Request) {
    return this.queries.execute(new GetLateOperations(resolveAsOf(q, this.clock.now()), scopeOf(req)));
  }
}
