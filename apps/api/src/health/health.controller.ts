import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProperty, ApiResponse, ApiTags, type SchemaObject, getSchemaPath } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { type EventStore, START } from '@erbm/event-store';
import { APP_CONFIG, type AppConfig, EVENT_STORE, READ_DB, REDIS } from '@erbm/platform';
import type Redis from 'ioredis';
import { type DataSource } from 'typeorm';
import { Public } from '../auth/roles';
import { ProblemDetailsDto } from '../http/api-docs';

/** Each component checked (`postgresql`, `eventStore`, `redis`) → `{ status: up | down, message? }`. */
const COMPONENT: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    message: { type: 'string' },
    responseTime: { type: 'number', description: 'Time the check took (PostgreSQL ping), ms' },
  },
};
const COMPONENTS: SchemaObject = {
  type: 'object',
  additionalProperties: COMPONENT,
  example: { postgresql: { status: 'up' }, eventStore: { status: 'up' }, redis: { status: 'up' } },
};

/** The 503 of GET /health: a problem (HTTP.503) that keeps the state of each component. */
export class HealthProblemDto extends ProblemDetailsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: COMPONENT,
    description: 'State of each component',
    example: { postgresql: { status: 'up' }, eventStore: { status: 'up' }, redis: { status: 'down', message: 'no answer within 2 s' } },
  })
  details!: Record<string, { status: string; message?: string }>;
}

/**
 * GET /health: PostgreSQL (read models), the event store and Redis, each with its own status (503 when one is down);
 * Redis is reported as not used when jobs run in-process.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiExtraModels(HealthProblemDto)
  @ApiResponse({
    status: 200,
    description: 'Every component is up',
    content: { 'application/json': { schema: { type: 'object', required: ['status', 'info', 'error', 'details'], properties: { status: { type: 'string', enum: ['ok'] }, info: COMPONENTS, error: COMPONENTS, details: COMPONENTS } } } },
  })
  @ApiResponse({ status: 503, description: 'A component is down (HTTP.503); `details` gives the state of each', content: { 'application/problem+json': { schema: { $ref: getSchemaPath(HealthProblemDto) } } } })
  @ApiOperation({ summary: 'Liveness of PostgreSQL, the event store and Redis', description: 'Public: no credential (`security: []`).', security: [] })
  check() {
    return this.health.check([
      () => this.typeorm.pingCheck('postgresql', { connection: this.db, timeout: 2000 }),
      async () => {
        const s = this.indicators.check('eventStore');
        try {
          await this.store.readAll(START, 1);
          return s.up();
        } catch (e) {
          return s.down({ message: (e as Error).message });
        }
      },
      async () => {
        const s = this.indicators.check('redis');
        if (this.config.jobsMode === 'in-process') return s.up({ message: 'not used: jobs run in this process (ERBM_JOBS=in-process)' });
        try {
          const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref());
          return (await Promise.race([this.redis.ping(), timeout])) === 'PONG' ? s.up() : s.down({ message: 'unexpected PING reply' });
        } catch (e) {
          return s.down({ message: (e as Error).message });
        }
      },
    ]);
  }
}
