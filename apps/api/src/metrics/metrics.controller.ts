import { Controller, Get, Inject, Injectable, Logger, type OnModuleInit, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type JobQueue } from '@erbm/application';
import { type EventStore } from '@erbm/event-store';
import { APP_CONFIG, type AppConfig, EVENT_STORE, ImportStore, JOB_QUEUE, METRICS, type Metrics, READ_DB, registerOperationalGauges } from '@erbm/platform';
import { projectionLags } from '@erbm/projections';
import { type Response } from 'express';
import { type DataSource } from 'typeorm';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { MetricsScrape, Roles } from '../auth/roles';

/**
 * Adds the gauges read at each scrape (projection lag, pending import rows, job queue) to the application's metrics:
 * lag from `rm_projection_checkpoint` and the event store, imports from `imports`, jobs from the JobQueue port.
 */
@Injectable()
export class OperationalGauges implements OnModuleInit {
  private readonly log = new Logger('Metrics');

  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const imports = new ImportStore(this.db);
    registerOperationalGauges(this.metrics, {
      projectionLags: () => projectionLags(this.db, this.store, { eventsInDatabase: this.config.eventStore.driver === 'postgres' }),
      importRowsPending: () => imports.pendingRows(),
      queue: this.queue,
      onError: (source, e) => this.log.warn(`${source} left out of the metrics: ${e.message}`),
    });
  }
}

/**
 * GET /metrics: the Prometheus metrics of this API process (text exposition format 0.0.4). For the délégation's
 * credentials or the `METRICS_TOKEN` bearer token (docs/operations.md#observability); 401 problem+json otherwise.
 */
@ApiTags('health')
@ApiAuth()
@Roles('delegation')
@MetricsScrape()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  @ApiRead({
    summary: 'Prometheus metrics',
    description: 'HTTP latency, commands by type and outcome, projection lag, pending import rows, job queue depth (docs/operations.md#observability). Délégation or METRICS_TOKEN (as a bearer token).',
    file: 'text/plain',
    returns: 'Prometheus text exposition format 0.0.4',
    headers: { 'Cache-Control': '`no-store`' },
    forbidden: 'every organisation but the délégation',
  })
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.registry.metrics();
  }
}
