import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLogger, readConfig, startBackgroundWork, startRuntime, startTracing } from '@erbm/platform';
import { createApi } from './bootstrap';

/**
 * The API. In the embedded or in-process mode (no PostgreSQL or no Redis, docs/operations.md) there is no separate
 * worker: this process also follows the projections and runs the jobs. Logs are JSON lines on standard output
 * (`LOG_LEVEL`); traces are exported when `OTEL_TRACES_EXPORTER=otlp` (docs/operations.md#observability).
 */
async function main(): Promise<void> {
  process.env.OTEL_SERVICE_NAME ||= 'erbm-api';
  const tracing = startTracing('erbm-api');
  const runtime = await startRuntime();
  const config = readConfig();
  const app = await createApi();
  Logger.log(runtime.describe(), 'ERBM');
  if (tracing) {
    Logger.log(`Traces exported over OTLP/HTTP to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318'}`, 'ERBM');
    process.once('beforeExit', () => void tracing.shutdown());
  }
  // Stopped before the pools close by CoreModule's BackgroundWorkRegistry.
  if (runtime.jobs === 'in-process') await startBackgroundWork(app, new Logger('Background'));
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`API on http://localhost:${config.port} — OpenAPI at /docs — database ${new URL(config.databaseUrl).pathname.slice(1)}`, 'ERBM');
}

main().catch((e: unknown) => {
  createLogger({ service: process.env.OTEL_SERVICE_NAME || 'erbm-api', level: 'info' }).fatal({ err: e }, `the API did not start: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
