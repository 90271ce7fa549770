export * from './event-store.port';
export * from './event-id';
export * from './upcasting';
export * from './postgres/pg-event-store';
export * from './postgres/schema';
export * from './kurrentdb/kurrentdb-event-store';
export * from './copy-events';
