export * from './shared/as-of';
export * from './shared/scope';
export * from './shared/snapshot';
export * from './shared/labels';
export * from './progress/logements.queries';
export * from './energy/energy.queries';
export * from './operations/operations.queries';
export * from './subsidies/subsidies.queries';
export * from './insertion/insertion.queries';
export * from './bilan/bilan-report';
export * from './bilan/bilan';
export * from './bilan/published';
export * from './figures/catalogue';
export * from './drilldown/figures';
/** The answers read from the roll-ups (same signatures and results as the ledger scans of the `*.queries.ts`). */
export * as rollups from './rollups';
export * from './shared/axes';
