import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisThrottlerStorage } from './auth/redis-throttler-storage';
import type Redis from 'ioredis';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig, CoreModule, REDIS } from '@erbm/platform';
import { AccessGuard } from './auth/access.guard';
import { AuthController } from './auth/auth.controller';
import { ClientThrottlerGuard } from './auth/client-throttler.guard';
import { HealthController } from './health/health.controller';
import { CommandGateway } from './http/command-gateway';
import { InputContract, InputContractGuard } from './http/input-contract';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { validationPipe } from './http/validation';
import { GrantsController } from './funding/grants.controller';
import { InsertionController } from './insertion/insertion.controller';
import { OperationsController } from './operations/operations.controller';
import { ReadModelsController } from './read-models/read-models.controller';
import { ReferenceController } from './reference/reference.controller';
import { ReportJobsController } from './reports/report-jobs.controller';
import { ReportFormatsController } from './reports/report-formats.controller';
import { HistoryController } from './history/history.controller';
import { ImportsController } from './imports/imports.controller';
import { ForecastsController } from './forecasts/forecasts.controller';
import { FiguresController } from './read-models/figures.controller';
import { OpenDataController } from './opendata/opendata.controller';
import { MetricsController, OperationalGauges } from './metrics/metrics.controller';

export const CONTROLLERS = [ReferenceController, OperationsController, GrantsController, InsertionController, ReadModelsController, FiguresController, OpenDataController, ReportJobsController, ReportFormatsController, ImportsController, HistoryController, ForecastsController, HealthController, AuthController, MetricsController];

/** The API's controllers, guards and filters; `AppModule.forRoot(config?)` adds the CoreModule they run on. */
@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'pretty' }),
    // Per-client rate limit, counters in Redis (the app's ioredis connection) shared by every replica; applied by
    // the AccessGuard. Without Redis (in-process mode, a single process) the counters stay in memory.
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (c: AppConfig, redis: Redis) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: c.rateLimitPerMinute }],
        ...(c.jobsMode === 'in-process' ? {} : { storage: new RedisThrottlerStorage(redis) }),
      }),
    }),
  ],
  controllers: CONTROLLERS,
  providers: [
    CommandGateway,
    OperationalGauges,
    ClientThrottlerGuard,
    InputContract,
    { provide: APP_GUARD, useClass: AccessGuard },
    // After authentication and roles: undeclared query parameters and bodies are refused (400), ADR 0017.
    { provide: APP_GUARD, useClass: InputContractGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useValue: validationPipe },
  ],
})
export class AppModule {
  /** The API on `config`, or on the environment's configuration (CoreModule reads it) when none is given. */
  static forRoot(config?: AppConfig): DynamicModule {
    return { module: AppModule, imports: [config ? CoreModule.forRoot(config) : CoreModule] };
  }
}
