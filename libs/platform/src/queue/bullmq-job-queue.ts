import { type JobAttempt, type JobName, type JobProcessors, type JobQueue, type JobState, type JobStatus, type JobTypes, JOB_NAMES } from '@erbm/application';
import { type Job, type JobType, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { inJobSpan } from '../observability/tracing';

export const QUEUE_NAME = 'erbm-jobs';

/** Retries of every job driver: 3 attempts, exponential back-off from 1 s (1 s then 2 s). */
export const JOB_RETRY = { attempts: 3, backoffMs: 1000 } as const;

/** Retries with exponential back-off (JOB_RETRY); completed jobs kept 7 days, failed ones 30 days. */
const DEFAULT_JOB_OPTIONS = {
  attempts: JOB_RETRY.attempts,
  backoff: { type: 'exponential', delay: JOB_RETRY.backoffMs },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

const STATES: Record<string, JobState> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
  delayed: 'delayed',
};

/** BullMQ adapter of the JobQueue port (queue `erbm-jobs` on Redis). */
export class BullMqJobQueue implements JobQueue {
  private readonly queue: Queue;

  constructor(connection: Redis, name = QUEUE_NAME, onError: (e: Error) => void = (e) => console.warn(`[queue ${name}] ${e.message}`)) {
    this.queue = new Queue(name, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Connection errors surface as 503 on the calls that need Redis; here they are only logged, not thrown.
    let last = '';
    this.queue.on('error', (e: Error) => {
      if (e.message !== last) onError(e);
      last = e.message;
    });
  }

  async enqueue<N extends JobName>(name: N, payload: JobTypes[N]['payload'], opts: { jobId?: string } = {}): Promise<{ jobId: string }> {
    if (opts.jobId) {
      // A job id deduplicates waiting, running and completed jobs; a failed one is queued again.
      const existing = await this.queue.getJob(opts.jobId);
      if (existing && (await existing.isFailed())) await existing.remove();
    }
    const job = await this.queue.add(name, payload, opts.jobId ? { jobId: opts.jobId } : {});
    return { jobId: job.id as string };
  }

  async status(jobId: string): Promise<JobStatus | null> {
    // State first, then the job: a job read before it completes and a state read after would say "completed"
    // with no result yet.
    const state = await this.queue.getJobState(jobId);
    const job = await this.queue.getJob(jobId);
    if (!job) return null;
    return {
      id: job.id as string,
      name: job.name as JobName,
      state: STATES[state] ?? 'unknown',
      progress: typeof job.progress === 'number' ? job.progress : 0,
      payload: job.data as JobTypes[JobName]['payload'],
      result: (job.returnvalue as JobTypes[JobName]['result'] | undefined) ?? null,
      error: job.failedReason ?? null,
      attempts: job.attemptsMade,
    };
  }

  /** BullMQ's `getJobCounts`, its states folded into the port's (prioritized and waiting-children are waiting). */
  async counts(): Promise<Record<Exclude<JobState, 'unknown'>, number>> {
    const raw = await this.queue.getJobCounts(...(Object.keys(STATES) as JobType[]));
    const out = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
    for (const [state, n] of Object.entries(raw)) {
      const s = STATES[state];
      if (s && s !== 'unknown') out[s] += n;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** @throws Error listing the job names without a processor and the processors of unknown job names. */
export function checkProcessors(processors: JobProcessors): void {
  const given = Object.keys(processors);
  const missing = JOB_NAMES.filter((n) => !given.includes(n));
  const extra = given.filter((n) => !(JOB_NAMES as string[]).includes(n));
  if (missing.length || extra.length) throw new Error(`Job processors mismatch: missing [${missing.join(', ')}], unknown [${extra.join(', ')}]`);
}

/**
 * Starts a BullMQ worker for every job name, each job in a span `job <name>` (`inJobSpan`). Fails at start-up when a job name has no processor, or a processor
 * names no known job (immich's discipline).
 */
export function startJobWorker(connection: Redis, processors: JobProcessors, name = QUEUE_NAME, concurrency = 2): Worker {
  checkProcessors(processors);
  return new Worker(
    name,
    async (job: Job) => {
      const processor = processors[job.name as JobName] as (payload: unknown, progress: (p: number) => Promise<void>, attempt: JobAttempt) => Promise<unknown>;
      return inJobSpan({ name: job.name, id: String(job.id), attempt: job.attemptsMade + 1 }, () =>
        processor(job.data, (p) => job.updateProgress(Math.max(0, Math.min(100, Math.round(p)))), {
          attempt: job.attemptsMade + 1,
          attempts: job.opts.attempts ?? 1,
        }),
      );
    },
    { connection, concurrency },
  );
}
