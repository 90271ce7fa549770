export * from './command-executor';
export * from './contention-retry';
export * from './facts';
export * from './registry';
export * from './import-format';
export * from './job-queue';
export * from './import-rows';
