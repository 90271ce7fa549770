export * from './runtime';
export * from './probe';
export * from './embedded-postgres';
