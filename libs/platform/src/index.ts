export * from './config';
export * from './tokens';
export * from './core.module';
export * from './cqrs/execute-command';
export * from './cqrs/queries';
export * from './queue/bullmq-job-queue';
export * from './jobs/report-bilan.job';
