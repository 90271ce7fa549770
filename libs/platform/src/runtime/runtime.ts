import { type AppConfig, DEFAULT_DATABASE_URL, readConfig } from '../config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { postgresAnswers, redisAnswers } from './probe';

/** Where the data and the jobs of this process live, once resolved. */
export interface RuntimeModes {
  database: 'postgres' | 'embedded';
  jobs: 'bullmq' | 'in-process';
  /** Why each mode was chosen, in French, for the start-up message. */
  reasons: { database: string; jobs: string };
}

export interface Probes {
  postgres(url: string): Promise<boolean>;
  redis(url: string): Promise<boolean>;
}

/**
 * Chooses the modes from the configuration and, for `auto`, from what answers (docs/operations.md#embedded-mode):
 * - database: `DATABASE_URL` set → that PostgreSQL; else `ERBM_DATABASE=postgres|embedded` as told; else the local
 *   PostgreSQL (`DEFAULT_DATABASE_URL`'s server) when it answers, the embedded PGlite otherwise;
 * - jobs: `ERBM_JOBS=bullmq|in-process` as told; else BullMQ when Redis answers at `REDIS_URL`, in-process
 *   otherwise. The embedded database serves one process only, so it always runs its jobs in-process.
 * @throws Error when `ERBM_DATABASE=embedded` is combined with `DATABASE_URL` or with `ERBM_JOBS=bullmq`.
 */
export async function resolveModes(config: AppConfig, probes: Probes): Promise<RuntimeModes> {
  let database: RuntimeModes['database'];
  let whyDatabase: string;
  if (config.databaseUrlGiven) {
    if (config.databaseMode === 'embedded') throw new Error('ERBM_DATABASE=embedded and DATABASE_URL are both set: unset one of them');
    database = 'postgres';
    whyDatabase = 'DATABASE_URL est défini';
  } else if (config.databaseMode !== 'auto') {
    database = config.databaseMode;
    whyDatabase = `ERBM_DATABASE=${config.databaseMode}`;
  } else if (await probes.postgres(serverUrl(DEFAULT_DATABASE_URL))) {
    database = 'postgres';
    whyDatabase = 'un PostgreSQL local répond sur 127.0.0.1:5432';
  } else {
    database = 'embedded';
    whyDatabase = 'DATABASE_URL n’est pas défini et aucun PostgreSQL ne répond sur 127.0.0.1:5432';
  }

  let jobs: RuntimeModes['jobs'];
  let whyJobs: string;
  if (database === 'embedded') {
    if (config.jobsMode === 'bullmq') throw new Error('ERBM_JOBS=bullmq needs a worker process, which the embedded database (one process) cannot serve: use ERBM_JOBS=in-process or a PostgreSQL server');
    jobs = 'in-process';
    whyJobs = 'la base embarquée sert un seul processus';
  } else if (config.jobsMode !== 'auto') {
    jobs = config.jobsMode;
    whyJobs = `ERBM_JOBS=${config.jobsMode}`;
  } else if (await probes.redis(config.redisUrl)) {
    jobs = 'bullmq';
    whyJobs = `Redis répond sur ${redact(config.redisUrl)}`;
  } else {
    jobs = 'in-process';
    whyJobs = `aucun Redis ne répond sur ${redact(config.redisUrl)}`;
  }
  return { database, jobs, reasons: { database: whyDatabase, jobs: whyJobs } };
}

/** The running modes of this process, with what to stop at exit. */
export interface Runtime extends RuntimeModes {
  /** Connection string of the database in use (the embedded server's when embedded). */
  databaseUrl: string;
  embedded: EmbeddedPostgres | null;
  /** The start-up message, in French: one line per component with the reason of its mode. */
  describe(): string;
  /** Stops the embedded database if any. Idempotent. */
  stop(): Promise<void>;
}

/** Probes of the local services (1.5 s for PostgreSQL, 1 s for Redis). */
export const DEFAULT_PROBES: Probes = { postgres: postgresAnswers, redis: redisAnswers };

let current: Runtime | null = null;

/**
 * Resolves the modes, starts the embedded PostgreSQL when chosen, and records the outcome in `env`
 * (`DATABASE_URL` of the embedded server, `ERBM_JOBS` resolved) so that `readConfig()` — hence CoreModule — sees the
 * resolved configuration. Call once per process, before creating the Nest application; `CoreModule` stops it at
 * shutdown (`stopRuntime`).
 * @throws Error as `resolveModes` and `startEmbeddedPostgres` do (another process holding the embedded database).
 */
export async function startRuntime(env: NodeJS.ProcessEnv = process.env, probes: Probes = DEFAULT_PROBES): Promise<Runtime> {
  if (current) return current;
  const config = readConfig(env);
  const modes = await resolveModes(config, probes);
  const embedded = modes.database === 'embedded' ? await startEmbeddedPostgres(config.dataDir) : null;
  const databaseUrl = embedded?.url ?? config.databaseUrl;
  if (embedded) env.DATABASE_URL = embedded.url;
  env.ERBM_JOBS = modes.jobs;
  const runtime: Runtime = {
    ...modes,
    databaseUrl,
    embedded,
    describe: () =>
      [
        embedded
          ? `Base de données : PostgreSQL embarqué (PGlite, fichiers dans ${embedded.dir}) — ${modes.reasons.database}. Un seul processus à la fois ; pour la production, définir DATABASE_URL.`
          : `Base de données : PostgreSQL ${redact(databaseUrl)} — ${modes.reasons.database}.`,
        modes.jobs === 'bullmq'
          ? `Tâches : BullMQ sur Redis ${redact(config.redisUrl)} — ${modes.reasons.jobs}.`
          : `Tâches : exécutées dans ce processus (sans Redis) — ${modes.reasons.jobs} ; une tâche non terminée à l’arrêt est perdue.`,
        config.eventStore.driver === 'kurrentdb' ? `Journal d’événements : KurrentDB ${redact(config.eventStore.url)}.` : 'Journal d’événements : PostgreSQL (table es_events).',
      ].join('\n'),
    async stop() {
      if (current === runtime) current = null;
      await embedded?.stop();
    },
  };
  current = runtime;
  return runtime;
}

/** Stops the runtime started by `startRuntime` in this process, if any (called by CoreModule at shutdown). */
export async function stopRuntime(): Promise<void> {
  await current?.stop();
}

/** The same server's `postgres` database (always present), to probe without needing the application's one. */
function serverUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
