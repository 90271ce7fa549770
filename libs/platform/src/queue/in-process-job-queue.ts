import { randomUUID } from 'node:crypto';
import { type JobName, type JobProcessors, type JobQueue, type JobState, type JobStatus, type JobTypes } from '@erbm/application';
import { JOB_RETRY, checkProcessors } from './bullmq-job-queue';
import { inJobSpan } from '../observability/tracing';

interface Entry {
  status: JobStatus;
  /** When the entry left the queue (completed or failed for good), for pruning. */
  finishedAt: number | null;
}

export interface InProcessJobQueueOptions {
  /** Attempts per job (default 3, as BullMQ's). */
  attempts?: number;
  /** First retry delay in ms, doubled at each retry (default 1 000, as BullMQ's). */
  backoffMs?: number;
  /** Jobs run at once (default 2, as the worker's). */
  concurrency?: number;
  /** Finished jobs kept for `status` (default 1 000, the oldest dropped first). */
  keepFinished?: number;
  onFailed?: (status: JobStatus, error: Error) => void;
}

/**
 * In-process adapter of the JobQueue port, for the embedded mode (no Redis, docs/operations.md): jobs run in the
 * process that queued them, with BullMQ's semantics — job ids deduplicate (a failed job is queued again), retries
 * with exponential back-off, progress, failed jobs visible with their error. Nothing survives a restart: a job
 * queued and not finished when the process stops is lost (BullMQ keeps it in Redis), which is why this driver is for
 * trying the product, not for production.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: string[] = [];
  private readonly active = new Set<Promise<void>>();
  private processors: JobProcessors | null = null;
  private closed = false;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly concurrency: number;
  private readonly keepFinished: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: InProcessJobQueueOptions = {}) {
    this.attempts = options.attempts ?? JOB_RETRY.attempts;
    this.backoffMs = options.backoffMs ?? JOB_RETRY.backoffMs;
    this.concurrency = options.concurrency ?? 2;
    this.keepFinished = options.keepFinished ?? 1000;
  }

  /**
   * Starts processing with one processor per job name (jobs queued before wait until then).
   * @throws Error when a job name has no processor, a processor names no known job, or processing already started.
   */
  process(processors: JobProcessors): void {
    checkProcessors(processors);
    if (this.processors) throw new Error('The in-process job queue is already processing');
    this.processors = processors;
    this.pump();
  }

  enqueue<N extends JobName>(name: N, payload: JobTypes[N]['payload'], opts: { jobId?: string } = {}): Promise<{ jobId: string }> {
    if (this.closed) return Promise.reject(new Error('The in-process job queue is closed'));
    const id = opts.jobId ?? randomUUID();
    const existing = this.entries.get(id);
    if (existing && existing.status.state !== 'failed') return Promise.resolve({ jobId: id });
    this.entries.delete(id);
    this.entries.set(id, {
      status: { id, name, state: 'waiting', progress: 0, payload, result: null, error: null, attempts: 0 },
      finishedAt: null,
    });
    this.waiting.push(id);
    this.pump();
    return Promise.resolve({ jobId: id });
  }

  status(jobId: string): Promise<JobStatus | null> {
    const e = this.entries.get(jobId);
    return Promise.resolve(e ? { ...e.status } : null);
  }

  /** Jobs known to this process by state (finished ones as long as they are kept for `status`). */
  counts(): Promise<Record<Exclude<JobState, 'unknown'>, number>> {
    const out = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
    for (const e of this.entries.values()) if (e.status.state !== 'unknown') out[e.status.state] += 1;
    return Promise.resolve(out);
  }

  /** Stops taking jobs and waits for the running ones; waiting and delayed jobs are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiting.length = 0;
    await Promise.allSettled([...this.active]);
  }

  private pump(): void {
    while (!this.closed && this.processors && this.active.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      const run = this.run(id).finally(() => {
        this.active.delete(run);
        this.pump();
      });
      this.active.add(run);
    }
  }

  private async run(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || !this.processors) return;
    const s = entry.status;
    const processor = this.processors[s.name] as (payload: unknown, progress: (p: number) => Promise<void>, attempt: { attempt: number; attempts: number }) => Promise<unknown>;
    s.state = 'active';
    try {
      const result = await inJobSpan({ name: s.name, id: s.id, attempt: s.attempts + 1 }, () =>
        processor(
          s.payload,
          (p) => {
            s.progress = Math.max(0, Math.min(100, Math.round(p)));
            return Promise.resolve();
          },
          { attempt: s.attempts + 1, attempts: this.attempts },
        ),
      );
      s.attempts += 1;
      s.result = result as JobStatus['result'];
      this.finish(entry, 'completed');
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      s.attempts += 1;
      s.error = error.message;
      if (s.attempts < this.attempts && !this.closed) {
        s.state = 'delayed';
        const t = setTimeout(() => {
          this.timers.delete(t);
          s.state = 'waiting';
          this.waiting.push(id);
          this.pump();
        }, this.backoffMs * 2 ** (s.attempts - 1));
        this.timers.add(t);
      } else {
        this.finish(entry, 'failed');
        this.options.onFailed?.({ ...s }, error);
      }
    }
  }

  private finish(entry: Entry, state: JobState): void {
    entry.status.state = state;
    entry.finishedAt = Date.now();
    const finished = [...this.entries.values()].filter((e) => e.finishedAt !== null);
    for (const old of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.entries.delete(old.status.id);
  }
}
