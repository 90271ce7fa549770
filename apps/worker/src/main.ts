import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type EventStore } from '@erbm/event-store';
import { CommandBus } from '@nestjs/cqrs';
import { type CommandResult } from '@erbm/application';
import { APP_CONFIG, type AppConfig, CLOCK, EVENT_STORE, ExecuteCommand, READ_DB, REDIS, importCommandsProcessor, reportBilanProcessor, startJobWorker } from '@erbm/platform';
import { type Clock } from '@erbm/shared';
import type Redis from 'ioredis';
import { ProjectionRunner, bilanProjection, identityProjection } from '@erbm/read-models';
import { type DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

/**
 * The worker: keeps the read models up to date by following the event log (LISTEN/NOTIFY with polling as a
 * fallback), and processes the BullMQ jobs (queue `erbm-jobs`: `report.bilan`, `import.commands`). Several workers may run: each
 * projection batch locks the projection's checkpoint row, so they never apply the same events twice. Stops cleanly
 * on SIGINT/SIGTERM after the batch in progress.
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const ctx = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn', 'log'] });
  const config = ctx.get<AppConfig>(APP_CONFIG);
  const runner = new ProjectionRunner(ctx.get<DataSource>(READ_DB), ctx.get<EventStore>(EVENT_STORE), bilanProjection);
  logger.log(`Projection ${bilanProjection.name} v${bilanProjection.version}: ${await runner.prepare()}`);
  const subscription = await runner.follow(config.projectionPollMs, (p) => logger.log(`${p.events} events projected (checkpoint ${p.checkpoint})`));
  const identity = new ProjectionRunner(ctx.get<DataSource>(READ_DB), ctx.get<EventStore>(EVENT_STORE), identityProjection);
  logger.log(`Projection ${identityProjection.name} v${identityProjection.version}: ${await identity.prepare()}`);
  const identitySubscription = await identity.follow(config.projectionPollMs);
  logger.log('Following the event log.');
  const db = ctx.get<DataSource>(READ_DB);
  const clock = ctx.get<Clock>(CLOCK);
  const bus = ctx.get(CommandBus);
  const jobs = startJobWorker(
    ctx.get<Redis>(REDIS).duplicate({ maxRetriesPerRequest: null }),
    {
      'report.bilan': reportBilanProcessor(db, config.reportsDir, () => clock.now()),
      'import.commands': importCommandsProcessor(db, (e) => bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e)), () => clock.now()),
    },
    config.jobQueueName,
  );
  jobs.on('failed', (job, err) => logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  jobs.on('completed', (job) => logger.log(`job ${job.name} ${job.id} completed`));
  logger.log(`Processing jobs of queue ${config.jobQueueName}.`);
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping after the current batch`);
    await jobs.close();
    await subscription.stop();
    await identitySubscription.stop();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await subscription.done;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
