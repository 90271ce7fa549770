import { registerAs } from '@nestjs/config';
import { type LogLevel, parseLogLevel } from './observability/logger';

/**
 * Runtime configuration, from the environment:
 * - `DATABASE_URL` PostgreSQL holding the event store and the read models (default: local service, database `erbm`);
 * - `REDIS_URL` Redis for BullMQ jobs (default: local service);
 * - `PORT` HTTP port of the API (default 3000);
 * - `IMPORT_LEASE_MS` / `IMPORT_RESUME_MS` lease of a running import and interval of the sweep that resumes the
 *   imports whose lease expired (defaults 30 000 and 15 000 ms; ADR 0018);
 * - `PROJECTION_POLL_MS` polling interval of the worker's projections when no notification arrives (default 1000);
 * - `REPORTS_DIR` where report jobs keep their files (default `reports/` in the working directory);
 * - `JOB_QUEUE_NAME` the BullMQ queue of the API and the worker (default `erbm-jobs`);
 * - `OIDC_ISSUER`, `OIDC_AUDIENCE`, `OIDC_JWKS_URI` bearer tokens (JWT) accepted from this issuer (disabled when
 *   `OIDC_ISSUER` is unset; the JWKS URI defaults to `<issuer>/.well-known/jwks.json`);
 * - `SCDL_ATTRIBUANT_SIRETS` JSON object financer code → SIRET (14 digits) for the SCDL export's idAttribuant
 *   (our events carry no SIRET; docs/opendata.md). Invalid JSON or SIRET stops the start with an error;
 * - `RATE_LIMIT_PER_MINUTE` requests per API client (IP when unauthenticated) per minute (default 600);
 * - `ERBM_DATABASE` `auto` (default), `postgres` or `embedded`: with `auto`, an unset `DATABASE_URL` and no
 *   PostgreSQL answering on 127.0.0.1:5432 start the embedded PostgreSQL (PGlite, data under `ERBM_DATA_DIR`,
 *   default `.data`); see `runtime/`;
 * - `ERBM_JOBS` `auto` (default), `bullmq` or `in-process`: with `auto`, no Redis answering runs jobs in-process;
 * - `EVENT_STORE` `postgres` (default) or `kurrentdb` (then `EVENTSTORE_URL`, a KurrentDB/EventStoreDB connection
 *   string such as `kurrentdb://127.0.0.1:2113?tls=false`, is required); the read models stay in PostgreSQL;
 * - `READ_MODEL_SCHEMA` PostgreSQL schema of the read models (default `public`; e.g. `rm_green` for a blue/green
 *   rebuild, docs/operations.md); `es_events` and the shared tables (imports, key usage) always stay in `public`;
 * - `LOG_LEVEL` `trace`, `debug`, `info` (default), `warn`, `error`, `fatal` or `silent`: the JSON logs of the API
 *   and the worker (docs/operations.md#observability);
 * - `METRICS_TOKEN` a bearer token (at least 32 characters) accepted on `GET /metrics` besides a délégation
 *   credential, for a Prometheus scraper that should hold no API key (unset: délégation credentials only);
 * - `METRICS_PORT` the worker serves `GET /metrics` on this port, for `METRICS_TOKEN` only (unset: no endpoint;
 *   set without `METRICS_TOKEN`: the start fails);
 * - `OTEL_SERVICE_NAME` the `service` of the log lines and traces (default `erbm`; the API's and the worker's entry
 *   points set `erbm-api` and `erbm-worker` when it is unset). Tracing itself: `startTracing`.
 */
export interface AppConfig {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  projectionPollMs: number;
  reportsDir: string;
  jobQueueName: string;
  oidc: { issuer: string; audience: string; jwksUri: string } | null;
  rateLimitPerMinute: number;
  /** Financer code → SIRET (14 digits), for the SCDL export. */
  attribuantSirets: Record<string, string>;
  /** True when `DATABASE_URL` was given (no probing, no embedded database). */
  databaseUrlGiven: boolean;
  databaseMode: 'auto' | 'postgres' | 'embedded';
  jobsMode: 'auto' | 'bullmq' | 'in-process';
  /** Folder of the embedded database and other local state (default `.data`). */
  dataDir: string;
  /** Which adapter of the EventStore port holds the events. */
  eventStore: { driver: 'postgres' } | { driver: 'kurrentdb'; url: string };
  /** PostgreSQL schema of the read models (`READ_MODEL_SCHEMA`, default `public`). */
  readModelSchema: string;
  logLevel: LogLevel;
  /** `METRICS_TOKEN`, or null. */
  metricsToken: string | null;
  /** `METRICS_PORT` (worker), or null. */
  metricsPort: number | null;
  /** `service` field of the logs (`OTEL_SERVICE_NAME`, default `erbm`). */
  serviceName: string;
  /** Lease of a running import, renewed as it progresses (`IMPORT_LEASE_MS`, default 30 000 ms; ADR 0018). */
  importLeaseMs: number;
  /** Interval of the sweep that resumes imports whose lease expired (`IMPORT_RESUME_MS`, default 15 000 ms). */
  importResumeMs: number;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/erbm';

/** @throws Error naming the variable when `SCDL_ATTRIBUANT_SIRETS` is not a JSON object of 14-digit SIRETs. */
export function parseAttribuantSirets(raw: string | undefined): Record<string, string> {
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('SCDL_ATTRIBUANT_SIRETS must be a JSON object such as {"ETAT":"11000201100044"}');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('SCDL_ATTRIBUANT_SIRETS must be a JSON object of financer code → SIRET');
  for (const [code, siret] of Object.entries(value)) {
    if (typeof siret !== 'string' || !/^\d{14}$/.test(siret)) throw new Error(`SCDL_ATTRIBUANT_SIRETS: the SIRET of ${code} must be 14 digits`);
  }
  return value as Record<string, string>;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    port,
    projectionPollMs: Number(env.PROJECTION_POLL_MS ?? 1000),
    importLeaseMs: positiveInt(env.IMPORT_LEASE_MS, 30_000, 'IMPORT_LEASE_MS'),
    importResumeMs: positiveInt(env.IMPORT_RESUME_MS, 15_000, 'IMPORT_RESUME_MS'),
    reportsDir: env.REPORTS_DIR ?? 'reports',
    jobQueueName: env.JOB_QUEUE_NAME ?? 'erbm-jobs',
    oidc: env.OIDC_ISSUER
      ? { issuer: env.OIDC_ISSUER, audience: env.OIDC_AUDIENCE ?? 'erbm-api', jwksUri: env.OIDC_JWKS_URI ?? `${env.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json` }
      : null,
    rateLimitPerMinute: positiveInt(env.RATE_LIMIT_PER_MINUTE, 600, 'RATE_LIMIT_PER_MINUTE'),
    attribuantSirets: parseAttribuantSirets(env.SCDL_ATTRIBUANT_SIRETS),
    databaseUrlGiven: env.DATABASE_URL !== undefined && env.DATABASE_URL !== '',
    databaseMode: oneOf(env.ERBM_DATABASE, ['auto', 'postgres', 'embedded'], 'ERBM_DATABASE'),
    jobsMode: oneOf(env.ERBM_JOBS, ['auto', 'bullmq', 'in-process'], 'ERBM_JOBS'),
    dataDir: env.ERBM_DATA_DIR || '.data',
    eventStore: eventStoreConfig(env),
    readModelSchema: readModelSchema(env.READ_MODEL_SCHEMA),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    metricsPort: metricsPort(env),
    serviceName: env.OTEL_SERVICE_NAME || 'erbm',
  };
}

/** @throws Error naming the variable when its value is not one of `allowed` (the first is the default). */
function oneOf<T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T {
  if (raw === undefined || raw === '') return allowed[0];
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function eventStoreConfig(env: NodeJS.ProcessEnv): AppConfig['eventStore'] {
  const driver = oneOf(env.EVENT_STORE, ['postgres', 'kurrentdb'], 'EVENT_STORE');
  if (driver === 'postgres') return { driver };
  if (!env.EVENTSTORE_URL) throw new Error('EVENT_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false)');
  return { driver, url: env.EVENTSTORE_URL };
}

/** @throws Error when `READ_MODEL_SCHEMA` is not a plain lower-case identifier (it goes unquoted into `search_path`). */
function readModelSchema(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw) || raw.startsWith('pg_')) throw new Error(`READ_MODEL_SCHEMA must be a lower-case identifier (a-z, 0-9, _; not pg_*), got "${raw}"`);
  return raw;
}

/** @throws Error when `METRICS_TOKEN` is set but shorter than 32 characters or not printable ASCII without spaces. */
function metricsToken(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[\x21-\x7e]{32,512}$/.test(raw)) throw new Error('METRICS_TOKEN must be 32 to 512 printable characters without spaces (e.g. openssl rand -hex 32)');
  return raw;
}

/** @throws Error when `METRICS_PORT` is not a TCP port, or is set without `METRICS_TOKEN`. */
function metricsPort(env: NodeJS.ProcessEnv): number | null {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT === '') return null;
  const port = Number(env.METRICS_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`METRICS_PORT must be a TCP port, got "${env.METRICS_PORT}"`);
  if (!env.METRICS_TOKEN) throw new Error('METRICS_PORT needs METRICS_TOKEN: the worker serves its metrics to that bearer token only');
  return port;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export const appConfig = registerAs('app', () => readConfig());
