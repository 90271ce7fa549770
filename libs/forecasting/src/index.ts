export {
  type Delivery as ForecastDelivery,
  type PipelineItem,
  type ForecastInput,
  type TrendForecast,
  type PipelineForecast,
  type Forecast,
  type OperationProgress,
  type LateOperation,
  LATE_TOLERANCE_DAYS,
  forecast,
  trendForecast,
  pipelineForecast,
  lateOperations,
  mulberry32,
  revisePlan,
} from './forecast';
export * from './forecast.queries';
export * from './simulation';
export * from './summary';
export * from './forecast.tables';
