import { ApiProperty } from '@nestjs/swagger';
import {
  type Backtest,
  type BacktestMethod,
  type Forecast,
  type ForecastGroup,
  type ForecastGroupBy,
  type ForecastRange,
  type LateOperation,
  type LogementsForecast,
  type MonteCarloForecast,
  type PipelineForecast,
  type TrendForecast,
} from '@erbm/forecasting';

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

export class CountRangeDto implements ForecastRange<number> {
  @ApiProperty({ example: 21500 })
  p10!: number;
  @ApiProperty({ example: 22400 })
  p50!: number;
  @ApiProperty({ example: 23100 })
  p90!: number;
}

export class DateRangeDto implements ForecastRange<string | null> {
  @ApiProperty({ type: String, nullable: true, description: 'Earliest date (null when fewer runs than the percentile reach the target)', example: '2027-06-30' })
  p10!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-11-15' })
  p50!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  p90!: string | null;
}

export class MonteCarloForecastDto implements MonteCarloForecast {
  @ApiProperty({ enum: ['monteCarlo'] })
  method!: 'monteCarlo';
  @ApiProperty({ example: 2000 })
  runs!: number;
  @ApiProperty({ example: 20170307 })
  seed!: number;
  @ApiProperty({ type: CountRangeDto, description: 'Logements livrés by the end date: P10 ≤ P50 ≤ P90' })
  expectedByEndDate!: CountRangeDto;
  @ApiProperty({ type: DateRangeDto, description: 'Date the target is reached' })
  targetReachedOn!: DateRangeDto;
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
  @ApiProperty({ type: MonteCarloForecastDto })
  monteCarlo!: MonteCarloForecastDto;
}

export class ForecastGroupDto extends ForecastDto implements ForecastGroup {
  @ApiProperty({ example: 'CALL' })
  key!: string;
  @ApiProperty({ example: "Communauté d'agglomération de Lens-Liévin" })
  label!: string;
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

export class LogementsForecastDto extends ForecastDto implements LogementsForecast {
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  knownAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['epci', 'bailleur'] })
  by!: ForecastGroupBy | null;
  @ApiProperty({ type: [ForecastGroupDto], description: 'Per EPCI or bailleur (with `by`); target-related figures are null' })
  groups!: ForecastGroupDto[];
  @ApiProperty({ type: [LateOperationDto] })
  lateOperations!: LateOperationDto[];
}

export class BacktestMethodDto implements BacktestMethod {
  @ApiProperty({ description: 'Logements livrés the method forecast on actualAsOf', example: 15100 })
  forecast!: number;
  @ApiProperty({ description: 'forecast − actual', example: -300 })
  error!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'error / delivered in the interval (4 decimals)', example: -0.0923 })
  relativeError!: number | null;
}

export class BacktestMonteCarloDto extends CountRangeDto {
  @ApiProperty({ example: 2000 })
  runs!: number;
  @ApiProperty({ example: 20170307 })
  seed!: number;
  @ApiProperty({ example: true })
  actualWithinP10P90!: boolean;
}

export class BacktestDto implements Backtest {
  @ApiProperty({ example: '2021-12-31' })
  forecastAsOf!: string;
  @ApiProperty({ format: 'date-time', description: 'What the forecast knew (default: the end of forecastAsOf)' })
  forecastKnownAt!: string;
  @ApiProperty({ example: '2022-12-31' })
  actualAsOf!: string;
  @ApiProperty({ example: 12150 })
  deliveredAtForecast!: number;
  @ApiProperty({ description: 'Logements livrés on actualAsOf', example: 15400 })
  actual!: number;
  @ApiProperty({ description: 'Delivered in (forecastAsOf, actualAsOf]', example: 3250 })
  deliveredInInterval!: number;
  @ApiProperty({ type: BacktestMethodDto })
  trend!: BacktestMethodDto;
  @ApiProperty({ type: BacktestMethodDto })
  pipeline!: BacktestMethodDto;
  @ApiProperty({ type: BacktestMonteCarloDto })
  monteCarlo!: BacktestMonteCarloDto;
}
