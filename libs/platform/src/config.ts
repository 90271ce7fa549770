import { registerAs } from '@nestjs/config';

/**
 * Runtime configuration, from the environment:
 * - `DATABASE_URL` PostgreSQL holding the event store and the read models (default: local service, database `erbm`);
 * - `REDIS_URL` Redis for BullMQ jobs (default: local service);
 * - `PORT` HTTP port of the API (default 3000);
 * - `PROJECTION_POLL_MS` polling interval of the worker's projections when no notification arrives (default 1000);
 * - `REPORTS_DIR` where report jobs keep their files (default `reports/` in the working directory);
 * - `JOB_QUEUE_NAME` the BullMQ queue of the API and the worker (default `erbm-jobs`).
 */
export interface AppConfig {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  projectionPollMs: number;
  reportsDir: string;
  jobQueueName: string;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/erbm';

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    port,
    projectionPollMs: Number(env.PROJECTION_POLL_MS ?? 1000),
    reportsDir: env.REPORTS_DIR ?? 'reports',
    jobQueueName: env.JOB_QUEUE_NAME ?? 'erbm-jobs',
  };
}

export const appConfig = registerAs('app', () => readConfig());
