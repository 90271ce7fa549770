import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_PROBES, LOGGER, METRICS, type Metrics, NestPinoLogger, createLogger, readConfig, resolveModes, serveMetrics, startBackgroundWork, startRuntime, startTracing } from '@erbm/platform';
import { type Logger as Pino } from 'pino';
import { WorkerModule } from './worker.module';

/**
 * The worker: keeps the read models up to date by following the event log (LISTEN/NOTIFY with polling as a
 * fallback), and processes the BullMQ jobs (queue `erbm-jobs`: `report.bilan`, `import.commands`). Several workers may run: each
 * projection batch locks the projection's checkpoint row, so they never apply the same events twice. Stops cleanly
 * on SIGINT/SIGTERM after the batch in progress. Not for the embedded mode, where the API process does this work.
 * Logs are JSON lines on standard output (`LOG_LEVEL`); each projection batch is traced when
 * `OTEL_TRACES_EXPORTER=otlp`; with `METRICS_PORT` and `METRICS_TOKEN`, its metrics are served on that port
 * (docs/operations.md#observability).
 */
async function main(): Promise<void> {
  process.env.OTEL_SERVICE_NAME ||= 'erbm-worker';
  const tracing = startTracing('erbm-worker');
  const config = readConfig();
  // JSON from the first line: Nest's static Logger writes through pino until the context's own logger takes over.
  Logger.overrideLogger(new NestPinoLogger(createLogger({ service: config.serviceName, level: config.logLevel })));
  const logger = new Logger('Worker');
  // Resolved first, so that a worker never opens the embedded database it would then refuse to serve.
  const modes = await resolveModes(config, DEFAULT_PROBES);
  if (modes.database === 'embedded' || modes.jobs === 'in-process') {
    throw new Error(
      `No separate worker in this mode (${modes.reasons.database}; ${modes.reasons.jobs}): the embedded database and in-process jobs serve one process, so the API (npm start) follows the projections and runs the jobs itself. Set DATABASE_URL and REDIS_URL to run workers.`,
    );
  }
  const runtime = await startRuntime();
  logger.log(runtime.describe());
  const ctx = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  ctx.useLogger(new NestPinoLogger(ctx.get<Pino>(LOGGER)));
  const work = await startBackgroundWork(ctx, logger);
  // The commands of the jobs this worker runs (imports) are counted here, not in the API.
  const metricsServer = config.metricsPort ? await serveMetrics(ctx.get<Metrics>(METRICS), { port: config.metricsPort, token: config.metricsToken as string }) : null;
  if (metricsServer) logger.log(`Metrics on http://localhost:${config.metricsPort}/metrics (METRICS_TOKEN)`);
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping after the current batch`);
    await work.stop();
    metricsServer?.close();
    await ctx.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await work.done;
}

main().catch((e: unknown) => {
  createLogger({ service: process.env.OTEL_SERVICE_NAME || 'erbm-worker', level: 'info' }).fatal(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
