import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CLOCK, GetForecastBacktest, GetLateOperations, GetLogementsForecast } from '@erbm/platform';
import { BACKTEST_ORIGINS, type Backtest, type ForecastGroupBy, type LogementsForecast, type Scenario, backtestTable, forecastTables, tablesCsv } from '@erbm/forecasting';
import { type Clock, isIsoDate } from '@erbm/shared';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Request, Response } from 'express';
import { AGGREGATE_READERS, Roles, scopeOf } from '../auth/roles';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { RequestInvalid } from '../http/problem-details.filter';
import { BacktestDto, LateOperationDto, LogementsForecastDto } from './dto/forecast.dto';

const BY: ForecastGroupBy[] = ['epci', 'bailleur'];
/** Simulation bounds: at least 100 runs for stable percentiles, at most 20 000 to keep a request short. */
const MIN_RUNS = 100;
const MAX_RUNS = 20_000;

class SimulationQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'Seed of the simulation (integer 0–4294967295); the same inputs and seed give the same answer.', example: '20170307' })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'seed must be an integer between 0 and 4294967295' })
  seed?: string;

  @ApiPropertyOptional({ description: `Simulation runs (${MIN_RUNS}–${MAX_RUNS}, default 2000)`, example: '2000' })
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: `runs must be an integer between ${MIN_RUNS} and ${MAX_RUNS}` })
  runs?: string;
}

export class ForecastQuery extends SimulationQuery {
  @ApiPropertyOptional({ enum: BY, description: 'Also forecast per EPCI or per bailleur', example: 'epci' })
  @IsOptional()
  @IsIn(BY)
  by?: ForecastGroupBy;
}

export class ScenarioQuery extends ForecastQuery {
  @ApiPropertyOptional({ description: 'Scenario: change of the programming pace in percent (-90 to 500), e.g. 20 for 20 % faster; answered in `scenario` beside the headline', example: '20' })
  @IsOptional()
  @Matches(/^-?\d{1,3}(\.\d+)?$/, { message: 'programmingPace must be a number of percent between -90 and 500' })
  programmingPace?: string;

  @ApiPropertyOptional({ description: 'Scenario: factor on the slippage beyond the planned phase durations (0–5), e.g. 0.5 for halved', example: '0.5' })
  @IsOptional()
  @Matches(/^\d(\.\d+)?$/, { message: 'slippageFactor must be a number between 0 and 5' })
  slippageFactor?: string;
}

export class BacktestQuery {
  @ApiPropertyOptional({ description: `Origins of the backtest, comma-separated dates (default ${BACKTEST_ORIGINS.join(',')})`, example: BACKTEST_ORIGINS.join(',') })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2}){0,11}$/, { message: 'origins must be 1 to 12 comma-separated dates YYYY-MM-DD' })
  origins?: string;

  @ApiPropertyOptional({ description: 'Seed of the simulation (integer 0–4294967295).', example: '20170307' })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'seed must be an integer between 0 and 4294967295' })
  seed?: string;

  @ApiPropertyOptional({ description: `Simulation runs (${MIN_RUNS}–${MAX_RUNS}, default 2000)`, example: '2000' })
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: `runs must be an integer between ${MIN_RUNS} and ${MAX_RUNS}` })
  runs?: string;
}

/** The scenario of the query (percent → fraction), checked. */
function scenarioOf(q: ScenarioQuery): Scenario | undefined {
  const pace = q.programmingPace === undefined ? undefined : Number(q.programmingPace);
  const slip = q.slippageFactor === undefined ? undefined : Number(q.slippageFactor);
  if (pace !== undefined && (pace < -90 || pace > 500)) throw new RequestInvalid([{ field: 'query:programmingPace', rule: 'range', message: 'programmingPace must be between -90 and 500 (percent)' }]);
  if (slip !== undefined && slip > 5) throw new RequestInvalid([{ field: 'query:slippageFactor', rule: 'range', message: 'slippageFactor must be between 0 and 5' }]);
  if (pace === undefined && slip === undefined) return undefined;
  return { programmingPace: pace === undefined ? undefined : pace / 100, slippageFactor: slip };
}

/** Whether the client asked for CSV (Accept: text/csv before application/json). */
const wantsCsv = (req: Request): boolean => req.accepts(['application/json', 'text/csv']) === 'text/csv';

function sendCsv(res: Response, name: string, body: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.send(body);
}

/** Parses `seed` and `runs` (already shaped by the DTO) and checks their ranges. */
function simulationOptions(q: { seed?: string; runs?: string }): { seed?: number; runs?: number } {
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
    summary: 'The headline forecast of logements livrés (simulation: P10/P50/P90 at each year-end, date the target is reached), its French summary and assumptions, the trend baseline, a scenario, by EPCI or bailleur, and the operations late against their plan; JSON or CSV (Accept: text/csv)',
    type: LogementsForecastDto,
    alsoFile: 'text/csv',
    badRequest: 'seed, runs, programmingPace or slippageFactor out of range',
  })
  async logements(@Query() q: ScenarioQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const f = await this.queries.execute<GetLogementsForecast, LogementsForecast>(
      new GetLogementsForecast(resolveAsOf(q, this.clock.now()), { by: q.by, ...simulationOptions(q), scenario: scenarioOf(q) }, scopeOf(req)),
    );
    if (!wantsCsv(req)) return f;
    sendCsv(res, `prevision-${f.asOf}`, tablesCsv(forecastTables(f)));
    return undefined;
  }

  @Get('logements/backtest')
  @ApiRead({
    summary: 'Calibration of the headline forecast: from each origin (default every half-year 2019-12-31…2021-12-31), with what was known then, P10/P50/P90 one year later against the logements realised; coverage of P10–P90, MAE of the P50 and of the trend; JSON or CSV',
    type: BacktestDto,
    alsoFile: 'text/csv',
    badRequest: 'an origin not a real date, seed or runs out of range',
  })
  async backtest(@Query() q: BacktestQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const origins = q.origins === undefined ? undefined : q.origins.split(',').map((d) => realDate(d, 'origins'));
    const b = await this.queries.execute<GetForecastBacktest, Backtest>(new GetForecastBacktest({ origins }, simulationOptions(q), scopeOf(req)));
    if (!wantsCsv(req)) return b;
    sendCsv(res, 'calibration', tablesCsv([backtestTable(b)]));
    return undefined;
  }

  @Get('late-operations')
  @ApiRead({ summary: 'Operations late against their planned dates on asOf (current phase started late, or next phase overdue), with days late', type: [LateOperationDto] })
  late(@Query() q: AsOfQuery, @Req() req: Request) {
    return this.queries.execute(new GetLateOperations(resolveAsOf(q, this.clock.now()), scopeOf(req)));
  }
}
