import { ApiProperty } from '@nestjs/swagger';
import {
  type Backtest,
  type BacktestOrigin,
  type Forecast,
  type ForecastGroup,
  type ForecastGroupBy,
  type Headline,
  type LateOperation,
  type LogementsForecast,
  type PipelineForecast,
  type SimulatedPoint,
  type TrendForecast,
} from '@erbm/forecasting';
import { CheckpointDto } from '../../http/api-docs';

/*
 * Response DTOs of the forecasts (docs/forecasting.md): GET /forecasts/logements, /forecasts/logements/backtest,
 * /forecasts/late-operations. Each class implements the type libs/forecasting returns.
 */

export class TrendForecastDto implements TrendForecast {
  @ApiProperty({ enum: ['trend'] })
  method!: 'trend';
  @ApiProperty({ description: 'Logements per month over the last 12 months (2 decimals)', example: 185.5 })
  ratePerMonth!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Date the target is reached at that rate (null without target or at rate 0)', example: '2027-05-14' })
  targetReachedOn!: string | null;
  @ApiProperty({ description: 'Logements livrés expected by the end date', example: 21000 })
  expectedByEndDate!: number;
}

export class PipelineForecastDto implements PipelineForecast {
  @ApiProperty({ enum: ['pipeline'] })
  method!: 'pipeline';
  @ApiProperty({ description: 'Median slippage (days) applied to every planned date', example: 35 })
  slippageDays!: number;
  @ApiProperty({ description: 'Observed phase starts behind the median', example: 120 })
  observations!: number;
  @ApiProperty({ description: 'Operations in the pipeline', example: 80 })
  operations!: number;
  @ApiProperty({ description: 'Logements still to deliver in the pipeline', example: 6400 })
  remaining!: number;
  @ApiProperty({ type: String, nullable: true, example: '2027-09-30' })
  targetReachedOn!: string | null;
  @ApiProperty({ example: 22800 })
  expectedByEndDate!: number;
}

export class SimulatedPointDto implements SimulatedPoint {
  @ApiProperty({ description: 'A year-end (or the date asked)', example: '2027-12-31' })
  date!: string;
  @ApiProperty({ description: 'Logements livrés, 10th percentile of the runs', example: 13900 })
  p10!: number;
  @ApiProperty({ description: 'Median', example: 15200 })
  p50!: number;
  @ApiProperty({ description: '90th percentile', example: 16800 })
  p90!: number;
}

export class DateRangeDto {
  @ApiProperty({ type: String, nullable: true, description: 'Earliest date (null when fewer runs than the percentile reach the target by searchedUpTo)', example: '2030-06-30' })
  p10!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2031-03-14' })
  p50!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  p90!: string | null;
}

export class ScenarioDto {
  @ApiProperty({ description: 'Relative change of the programming pace (0.2 = +20 %)', example: 0 })
  programmingPace!: number;
  @ApiProperty({ description: 'Factor on the slippage beyond the planned phase durations (0.5 = halved)', example: 1 })
  slippageFactor!: number;
}

export class HeadlineDto implements Headline {
  @ApiProperty({ enum: ['simulation'] })
  method!: 'simulation';
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;
  @ApiProperty({ example: 2000 })
  runs!: number;
  @ApiProperty({ example: 20170307 })
  seed!: number;
  @ApiProperty({ type: ScenarioDto })
  scenario!: ScenarioDto;
  @ApiProperty({ description: 'Logements livrés on asOf', example: 8245 })
  delivered!: number;
  @ApiProperty({ type: [SimulatedPointDto], description: 'P10 ≤ P50 ≤ P90 of logements livrés at each year-end after asOf up to the end date' })
  horizon!: SimulatedPointDto[];
  @ApiProperty({ type: [SimulatedPointDto], description: 'P10/P50/P90 on extra dates (the backtest)' })
  at!: SimulatedPointDto[];
  @ApiProperty({ type: DateRangeDto, description: 'Date the target is reached; null: not before searchedUpTo' })
  targetReachedOn!: DateRangeDto;
  @ApiProperty({ description: 'Last date searched for the target', example: '2032-12-31' })
  searchedUpTo!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of the runs reaching the target by the end date (0–1)', example: 0.012 })
  probabilityByEndDate!: number | null;
  @ApiProperty({ description: 'P50 of the logements livrés by the end date from operations not yet programmed on asOf', example: 3800 })
  fromNewOperationsP50!: number;
  @ApiProperty({ description: 'The summary sentence, in French', example: 'Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800) ; objectif de 23 000 atteint en mars 2031 (médiane)' })
  summary!: string;
}

export class ForecastDto implements Forecast {
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;
  @ApiProperty({ type: Number, nullable: true, description: "The programme's target; null for a group or a scoped caller", example: 23000 })
  target!: number | null;
  @ApiProperty({ description: 'End date of the programme', example: '2027-12-31' })
  endDate!: string;
  @ApiProperty({ example: 12016 })
  delivered!: number;
  @ApiProperty({ description: 'Logements per month over the last 12 months', example: 185.5 })
  currentRatePerMonth!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Logements per month needed to reach the target on the end date', example: 183.1 })
  requiredRatePerMonth!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'required − current (positive: the programme must speed up)', example: -2.4 })
  gapPerMonth!: number | null;
  @ApiProperty({ type: TrendForecastDto })
  trend!: TrendForecastDto;
  @ApiProperty({ type: PipelineForecastDto })
  pipeline!: PipelineForecastDto;
}

export class ForecastGroupDto extends ForecastDto implements ForecastGroup {
  @ApiProperty({ example: 'CALL' })
  key!: string;
  @ApiProperty({ example: "Communauté d'agglomération de Lens-Liévin" })
  label!: string;
  @ApiProperty({ type: HeadlineDto, description: "The simulation on the group's own operations (no target)" })
  headline!: HeadlineDto;
}

/** One reason an operation is late. */
export class LateFlagDto {
  @ApiProperty({ enum: ['current-phase-started-late', 'next-phase-overdue'] })
  reason!: 'current-phase-started-late' | 'next-phase-overdue';
  @ApiProperty({ example: 'travaux' })
  phase!: string;
  @ApiProperty({ example: '2020-06-01' })
  plannedOn!: string;
  @ApiProperty({ required: false, description: 'current-phase-started-late only', example: '2020-09-15' })
  startedOn?: string;
  @ApiProperty({ example: 106 })
  daysLate!: number;
}

export class LateOperationDto implements LateOperation {
  @ApiProperty({ example: 'op-darcy-t1' })
  operationId!: string;
  @ApiProperty({ example: 'Cité Darcy – tranche 1' })
  title!: string;
  @ApiProperty({ example: 'logements' })
  kind!: string;
  @ApiProperty({ example: 'CALL' })
  epciCode!: string;
  @ApiProperty({ type: String, nullable: true, example: 'SIA_HABITAT' })
  bailleurCode!: string | null;
  @ApiProperty({ example: 'travaux' })
  phase!: string;
  @ApiProperty({ enum: ['active', 'suspendue'] })
  status!: 'active' | 'suspendue';
  @ApiProperty({ type: [LateFlagDto] })
  flags!: LateOperation['flags'];
  @ApiProperty({ description: 'The largest delay of the flags', example: 106 })
  daysLate!: number;
}

export class HistoryPointDto {
  @ApiProperty({ example: '2021-12-31' })
  date!: string;
  @ApiProperty({ example: 6146 })
  delivered!: number;
}

export class LogementsForecastDto extends ForecastDto implements LogementsForecast {
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  knownAt!: string | null;
  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint every input was read at' })
  checkpoint!: CheckpointDto;
  @ApiProperty({ type: HeadlineDto, description: 'The headline forecast: the simulation over the pipeline and the logements not yet programmed' })
  headline!: HeadlineDto;
  @ApiProperty({ description: 'The summary sentence, in French', example: 'Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800) ; objectif de 23 000 atteint en mars 2031 (médiane)' })
  summary!: string;
  @ApiProperty({ type: [String], description: 'The assumptions, written out in French' })
  assumptions!: string[];
  @ApiProperty({ type: HeadlineDto, nullable: true, description: 'The scenario asked for (programmingPace, slippageFactor), beside the headline' })
  scenario!: HeadlineDto | null;
  @ApiProperty({ type: String, nullable: true, enum: ['epci', 'bailleur'] })
  by!: ForecastGroupBy | null;
  @ApiProperty({ type: [ForecastGroupDto], description: 'Per EPCI or bailleur (with `by`); target-related figures are null' })
  groups!: ForecastGroupDto[];
  @ApiProperty({ type: [LateOperationDto], description: 'The operations that carry the risk: late against their own plan (revisions included) by more than 90 days' })
  lateOperations!: LateOperationDto[];
  @ApiProperty({ type: [HistoryPointDto], description: 'Logements livrés at each year-end before asOf since the first delivery, then on asOf' })
  history!: HistoryPointDto[];
}

export class BacktestOriginDto implements BacktestOrigin {
  @ApiProperty({ example: '2021-12-31' })
  asOf!: string;
  @ApiProperty({ format: 'date-time', description: 'What the forecast knew: the end of asOf' })
  knownAt!: string;
  @ApiProperty({ description: 'One year later: the date the forecast is scored on', example: '2022-12-31' })
  realisedOn!: string;
  @ApiProperty({ example: 6146 })
  deliveredAtOrigin!: number;
  @ApiProperty({ description: 'Logements livrés on realisedOn, as known now', example: 8245 })
  realised!: number;
  @ApiProperty({ example: 7600 })
  p10!: number;
  @ApiProperty({ example: 8100 })
  p50!: number;
  @ApiProperty({ example: 8700 })
  p90!: number;
  @ApiProperty({ description: 'realised within [P10, P90]' })
  covered!: boolean;
  @ApiProperty({ description: 'P50 − realised', example: -145 })
  errorP50!: number;
  @ApiProperty({ description: 'The trend baseline for realisedOn', example: 8435 })
  trend!: number;
  @ApiProperty({ description: 'trend − realised', example: 190 })
  errorTrend!: number;
}

export class BacktestDto implements Backtest {
  @ApiProperty({ type: [BacktestOriginDto] })
  origins!: BacktestOriginDto[];
  @ApiProperty({ description: 'Share of the origins whose realised value lies in [P10, P90] (0–1)', example: 0.8 })
  coverage!: number;
  @ApiProperty({ description: 'The goal of the coverage', example: 0.6 })
  coverageGoal!: number;
  @ApiProperty({ description: 'Mean absolute error of the P50 (logements)', example: 310.4 })
  maeP50!: number;
  @ApiProperty({ description: 'Mean absolute error of the trend baseline (logements)', example: 420.2 })
  maeTrend!: number;
  @ApiProperty({ example: 12 })
  horizonMonths!: number;
  @ApiProperty({ example: 2000 })
  runs!: number;
  @ApiProperty({ example: 20170307 })
  seed!: number;
}
