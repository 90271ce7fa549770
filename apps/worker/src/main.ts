import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type EventStore } from '@erbm/event-store';
import { APP_CONFIG, type AppConfig, EVENT_STORE, READ_DB } from '@erbm/platform';
import { ProjectionRunner, bilanProjection } from '@erbm/read-models';
import { type DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

/**
 * The worker: keeps the read models up to date by following the event log (LISTEN/NOTIFY with polling as a
 * fallback). Several workers may run: each batch locks the projection's checkpoint row, so they never apply the
 * same events twice. Stops cleanly on SIGINT/SIGTERM after the batch in progress.
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const ctx = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn', 'log'] });
  const config = ctx.get<AppConfig>(APP_CONFIG);
  const runner = new ProjectionRunner(ctx.get<DataSource>(READ_DB), ctx.get<EventStore>(EVENT_STORE), bilanProjection);
  logger.log(`Projection ${bilanProjection.name} v${bilanProjection.version}: ${await runner.prepare()}`);
  const subscription = await runner.follow(config.projectionPollMs, (p) => logger.log(`${p.events} events projected (checkpoint ${p.checkpoint})`));
  logger.log('Following the event log.');
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping after the current batch`);
    await subscription.stop();
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
