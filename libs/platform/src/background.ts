import { type BeforeApplicationShutdown, type INestApplicationContext, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type CommandResult, type JobProcessors, type JobQueue } from '@erbm/application';
import { type EventStore, type Subscription } from '@erbm/event-store';
import { ProjectionRunner, bilanProjection, identityProjection } from '@erbm/projections';
import { type Clock } from '@erbm/shared';
import type Redis from 'ioredis';
import { type DataSource } from 'typeorm';
import { type AppConfig } from './config';
import { ExecuteCommand } from './cqrs/execute-command';
import { importCommandsProcessor } from './jobs/import-commands.job';
import { startImportResumer } from './imports/import-resumer';
import { reportBilanProcessor } from './jobs/report-bilan.job';
import { startJobWorker } from './queue/bullmq-job-queue';
import { InProcessJobQueue } from './queue/in-process-job-queue';
import { APP_CONFIG, CLOCK, EVENT_STORE, JOB_QUEUE, READ_DB, REDIS } from './tokens';

/** What a worker does besides answering requests. */
export interface BackgroundWork {
  /** Stops taking jobs and following the log, after the batch and jobs in progress. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the first projection subscription stops (on `stop()`, or rejects with a handler's error). */
  readonly done: Promise<void>;
}

/**
 * Stops the background work started in an application before its pools close (`beforeApplicationShutdown`), so a
 * SIGTERM to the API in the embedded mode finishes the batch in progress and closes the database cleanly.
 */
@Injectable()
export class BackgroundWorkRegistry implements BeforeApplicationShutdown {
  private readonly works: BackgroundWork[] = [];
  add(work: BackgroundWork): void {
    this.works.push(work);
  }
  async beforeApplicationShutdown(): Promise<void> {
    for (const w of this.works.splice(0)) await w.stop();
  }
}

/** The processors of every job type, on the application's database, command bus and clock. */
export function jobProcessors(ctx: INestApplicationContext): JobProcessors {
  const db = ctx.get<DataSource>(READ_DB);
  const clock = ctx.get<Clock>(CLOCK);
  const bus = ctx.get(CommandBus);
  const config = ctx.get<AppConfig>(APP_CONFIG);
  return {
    'report.bilan': reportBilanProcessor(db, config.reportsDir, () => clock.now()),
    'import.commands': importCommandsProcessor(db, (e) => bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e)), () => clock.now(), { leaseMs: config.importLeaseMs }),
  };
}

/**
 * Starts the background work of the worker — or of the API itself in the embedded / in-process mode
 * (docs/operations.md): follows the log with the `bilan` and `identity` projections (LISTEN/NOTIFY with polling as
 * a fallback; each batch locks its projection's checkpoint row, so several followers never apply a batch twice) and
 * processes the jobs, through BullMQ (`ERBM_JOBS=bullmq`) or in this process (`in-process`); and resumes, at once and
 * periodically, the imports whose runner died (expired lease, ADR 0018).
 */
export async function startBackgroundWork(ctx: INestApplicationContext, logger = new Logger('Background')): Promise<BackgroundWork> {
  const config = ctx.get<AppConfig>(APP_CONFIG);
  const db = ctx.get<DataSource>(READ_DB);
  const store = ctx.get<EventStore>(EVENT_STORE);
  const subscriptions: Subscription[] = [];
  for (const projection of [bilanProjection, identityProjection]) {
    const runner = new ProjectionRunner(db, store, projection);
    logger.log(`Projection ${projection.name} v${projection.version}: ${await runner.prepare()}`);
    subscriptions.push(
      await runner.follow(config.projectionPollMs, projection === bilanProjection ? (p) => logger.log(`${p.events} events projected (checkpoint ${p.checkpoint})`) : undefined),
    );
  }
  logger.log('Following the event log.');

  const queue = ctx.get<JobQueue>(JOB_QUEUE);
  let stopJobs: () => Promise<void>;
  if (queue instanceof InProcessJobQueue) {
    queue.process(jobProcessors(ctx));
    stopJobs = () => queue.close();
    logger.log('Processing jobs in this process (no Redis).');
  } else {
    const connection = ctx.get<Redis>(REDIS).duplicate({ maxRetriesPerRequest: null });
    const worker = startJobWorker(connection, jobProcessors(ctx), config.jobQueueName);
    worker.on('failed', (job, err) => logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
    worker.on('completed', (job) => logger.log(`job ${job.name} ${job.id} completed`));
    stopJobs = async () => {
      await worker.close();
      connection.disconnect();
    };
    logger.log(`Processing jobs of queue ${config.jobQueueName}.`);
  }
  // No import left behind (ADR 0018): at start-up and every IMPORT_RESUME_MS, imports whose lease expired are queued again.
  const resumer = startImportResumer(db, queue, config.importResumeMs, logger);
  let stopping: Promise<void> | null = null;
  const work: BackgroundWork = {
    done: Promise.race(subscriptions.map((s) => s.done)),
    stop() {
      stopping ??= (async () => {
        await resumer.stop();
        await stopJobs();
        for (const s of subscriptions) await s.stop();
      })();
      return stopping;
    },
  };
  ctx.get(BackgroundWorkRegistry).add(work);
  return work;
}
