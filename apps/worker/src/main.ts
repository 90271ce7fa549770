import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_PROBES, readConfig, resolveModes, startBackgroundWork, startRuntime } from '@erbm/platform';
import { WorkerModule } from './worker.module';

/**
 * The worker: keeps the read models up to date by following the event log (LISTEN/NOTIFY with polling as a
 * fallback), and processes the BullMQ jobs (queue `erbm-jobs`: `report.bilan`, `import.commands`). Several workers may run: each
 * projection batch locks the projection's checkpoint row, so they never apply the same events twice. Stops cleanly
 * on SIGINT/SIGTERM after the batch in progress. Not for the embedded mode, where the API process does this work.
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  // Resolved first, so that a worker never opens the embedded database it would then refuse to serve.
  const modes = await resolveModes(readConfig(), DEFAULT_PROBES);
  if (modes.database === 'embedded' || modes.jobs === 'in-process') {
    throw new Error(
      `No separate worker in this mode (${modes.reasons.database}; ${modes.reasons.jobs}): the embedded database and in-process jobs serve one process, so the API (npm start) follows the projections and runs the jobs itself. Set DATABASE_URL and REDIS_URL to run workers.`,
    );
  }
  const runtime = await startRuntime();
  logger.log(`\n${runtime.describe()}`);
  const ctx = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn', 'log'] });
  const work = await startBackgroundWork(ctx, logger);
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping after the current batch`);
    await work.stop();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await work.done;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
