export { bucketSplit, type BucketSplit } from './buckets';
export { deliveredTotal, deliveredBy, deliveredTimeline, deliveredTimelineBy, energyResults, deliveryFigures } from './logements.rollup';
export { subsidies, bilanSubsidies } from './subsidies.rollup';
export { insertionStats, bilanInsertion } from './insertion.rollup';
export { operationsByPhase } from './operations.rollup';
