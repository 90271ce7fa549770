export * from './data-source';
export * from './schema/entities';
export * from './projection/projection';
export * from './projection/projection-runner';
export * from './projection/projection-lag';
export * from './projection/bilan.projection';
export * from './projection/identity.projection';
export * from './queries/scope';
export * from './queries/as-of';
export * from './queries/snapshot';
export * from './queries/logements.queries';
export * from './queries/operations.queries';
export * from './queries/subsidies.queries';
export * from './queries/insertion.queries';
export * from './report/bilan';
export * from './report/bilan.text';
export * from './report/published';
export * from './history/history';
export * from './drilldown/figures';
export * from './opendata/scdl';
export {
  type Delivery as ForecastDelivery,
  type PipelineItem,
  type ForecastInput,
  type TrendForecast,
  type PipelineForecast,
  type Forecast,
  type OperationProgress,
  type LateOperation,
  forecast,
  trendForecast,
  pipelineForecast,
  lateOperations,
  mulberry32,
  revisePlan,
} from './forecast/forecast';
export * from './forecast/simulation';
export * from './forecast/summary';
export * from './forecast/forecast.queries';
export * from './opendata/scdl.queries';
export * from './report/labels';
export * from './report/formats';
export * from './projection/row-changes';
export { applyEvents, projectionOf, type ProjectionDefinition } from './projection/batch-writer';
/** The answers read from the roll-ups (same signatures and results as the ledger scans of `queries/*.queries.ts`). */
export * as rollups from './queries/rollup/index';
export { ROLLUP_ENERGY_GOAL_KWH } from './projection/bilan/buckets';
export * from './forecast/forecast.tables';
