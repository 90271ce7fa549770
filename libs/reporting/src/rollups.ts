export { bucketSplit, type BucketSplit } from './shared/buckets';
export { deliveredTotal, deliveredBy, deliveredWithFinancer, deliveredTimeline, deliveredTimelineBy, energyResults, deliveryFigures } from './progress/logements.rollup';
export { subsidies, bilanSubsidies } from './subsidies/subsidies.rollup';
export { insertionStats, bilanInsertion } from './insertion/insertion.rollup';
export { operationsByPhase } from './operations/operations.rollup';
