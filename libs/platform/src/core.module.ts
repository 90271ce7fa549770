import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor, type JobQueue } from '@erbm/application';
import { type EventStore, UpcasterRegistry } from '@erbm/event-store';
import { createEventStore } from './adapters/event-store.factory';
import { openDatabase } from '@erbm/projections';
import { type Clock, systemClock } from '@erbm/shared';
import { type DataSource } from 'typeorm';
import { type AppConfig, appConfig, readConfig } from './config';
import { ExecuteCommandHandler } from './cqrs/execute-command';
import { QUERY_HANDLERS } from './cqrs/queries';
import { API_KEYS, APP_CONFIG, CLOCK, COMMAND_EXECUTOR, EVENT_STORE, JOB_QUEUE, LOGGER, METRICS, OIDC_VERIFIER, READ_DB, REDIS, STREAM_VISIBILITY } from './tokens';
import { createLogger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { type Logger } from 'pino';
import { ApiKeys } from './auth/api-keys';
import { OidcVerifier } from './auth/oidc';
import { StreamVisibility } from './auth/visibility';
import { BullMqJobQueue } from './queue/bullmq-job-queue';
import { InProcessJobQueue } from './queue/in-process-job-queue';
import { stopRuntime } from './runtime/runtime';
import { BackgroundWorkRegistry } from './background';
import Redis from 'ioredis';

/** Upcasters of stored events whose shape changed (none yet: every type is at v1). See docs/events.md. */
export const upcasters = new UpcasterRegistry();

/** The configuration given to `CoreModule.forRoot(config)`, in place of the environment's. */
const GIVEN_CONFIG = Symbol('GivenAppConfig');

/** Closes the queue, Redis, the database pools and the embedded database (if any) when the application stops. */
class Shutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.queue.close();
    } catch {
      // Redis unreachable: nothing to flush; the connection is dropped below anyway.
    } finally {
      this.redis.disconnect();
    }
    await this.store.close();
    if (this.db.isInitialized) await this.db.destroy();
    // Last: the embedded PostgreSQL, once every pool on it is closed.
    await stopRuntime();
  }
}

/**
 * Binds the ports (event store, read-model database, clock) and the CQRS handlers. Used by the API, the worker
 * and the CLI, so every channel runs commands through the same bus and executor.
 *
 * Imported as `CoreModule`, it reads its configuration (`APP_CONFIG`) from the environment when the application is
 * created (`readConfig()`, after `startRuntime` has recorded the resolved modes there). `CoreModule.forRoot(config)`
 * gives it the configuration instead: the e2e tests start each API on its own database, queue and settings that
 * way, without going through `process.env`.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }), CqrsModule.forRoot()],
  providers: [
    { provide: APP_CONFIG, inject: [{ token: GIVEN_CONFIG, optional: true }], useFactory: (given?: AppConfig): AppConfig => given ?? readConfig() },
    { provide: CLOCK, useValue: systemClock },
    { provide: LOGGER, inject: [APP_CONFIG], useFactory: (c: AppConfig): Logger => createLogger({ service: c.serviceName, level: c.logLevel }) },
    { provide: METRICS, useFactory: () => new Metrics() },
    { provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createEventStore(c, upcasters) },
    { provide: READ_DB, inject: [APP_CONFIG], useFactory: (c: AppConfig) => openDatabase(c.databaseUrl, { schema: c.readModelSchema }) },
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      // Fail fast when Redis is down (one retry) so requests answer 503 instead of hanging; lazyConnect so
      // processes that never use Redis do not need it. BullMQ workers open their own blocking connection.
      useFactory: (c: AppConfig) => new Redis(c.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 }),
    },
    {
      provide: JOB_QUEUE,
      inject: [REDIS, APP_CONFIG, LOGGER],
      // ERBM_JOBS is resolved by startRuntime (auto → what answers); `auto` left here means no runtime ran (tests): BullMQ.
      useFactory: (redis: Redis, c: AppConfig, log: Logger): JobQueue =>
        c.jobsMode === 'in-process'
          ? new InProcessJobQueue({ onFailed: (s, e) => log.warn({ context: 'Jobs', job: s.name, jobId: s.id, attempts: s.attempts }, `job ${s.name} ${s.id} failed after ${s.attempts} attempts: ${e.message}`) })
          : new BullMqJobQueue(redis, c.jobQueueName, (e) => log.warn({ context: 'Queue', queue: c.jobQueueName }, e.message)),
    },
    {
      provide: COMMAND_EXECUTOR,
      inject: [EVENT_STORE, CLOCK, METRICS, STREAM_VISIBILITY],
      // Out of scope is not found (ADR 0018): the executor asks the read scope before answering 403 AUTH.NOT_OWNER.
      useFactory: (store: EventStore, clock: Clock, metrics: Metrics, visibility: StreamVisibility) =>
        new CommandExecutor(store, clock, { observer: metrics.observeCommand, canRead: (organisation, ref) => visibility.canWriterSee(organisation, ref) }),
    },
    {
      provide: API_KEYS,
      inject: [EVENT_STORE, READ_DB, COMMAND_EXECUTOR, CLOCK],
      useFactory: (store: EventStore, db: DataSource, executor: CommandExecutor, clock: Clock) => new ApiKeys(store, db, executor, clock),
    },
    { provide: OIDC_VERIFIER, inject: [APP_CONFIG], useFactory: (c: AppConfig) => (c.oidc ? new OidcVerifier(c.oidc) : null) },
    { provide: STREAM_VISIBILITY, inject: [EVENT_STORE, READ_DB], useFactory: (store: EventStore, db: DataSource) => new StreamVisibility(store, db) },
    ExecuteCommandHandler,
    ...QUERY_HANDLERS,
    Shutdown,
    BackgroundWorkRegistry,
  ],
  exports: [BackgroundWorkRegistry, APP_CONFIG, LOGGER, METRICS, CLOCK, EVENT_STORE, READ_DB, REDIS, JOB_QUEUE, COMMAND_EXECUTOR, API_KEYS, OIDC_VERIFIER, STREAM_VISIBILITY, CqrsModule],
})
export class CoreModule {
  /** CoreModule on `config` (used as given, not merged with the environment's). */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CoreModule, providers: [{ provide: GIVEN_CONFIG, useValue: config }] };
  }
}
