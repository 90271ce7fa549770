/**
 * Queue port for background jobs (BullMQ adapter in libs/platform; an in-process adapter can sit behind the same
 * port). Each job name has a typed payload and result; a processor must exist for every name (checked at start).
 */
export interface JobTypes {
  /** Builds the bilan as of `asOf` (ISO date) as known at `knownAt` (ISO date-time, default now) and keeps the file. */
  'report.bilan': {
    /** `formats`: files to write (default all: json, csv, zip — one CSV per table —, xlsx, html, pdf). */
    payload: { asOf: string; knownAt?: string; formats?: ('json' | 'csv' | 'zip' | 'xlsx' | 'html' | 'pdf')[] };
    /** `file`: the first file written (the JSON one by default); `files`: every file written, one per format. */
    result: { file: string; files: { format: string; file: string; bytes: number; sha256: string }[]; delivered: number; target: number | null };
  };
  /** Applies the rows of a stored import (table `imports`) through the command executor, recording each row's outcome. */
  'import.commands': { payload: { importId: string }; result: { total: number; accepted: number; duplicates: number; rejected: number } };
}

export type JobName = keyof JobTypes;
export const JOB_NAMES: JobName[] = ['report.bilan', 'import.commands'];

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'unknown';

export interface JobStatus<N extends JobName = JobName> {
  id: string;
  name: N;
  state: JobState;
  /** 0–100. */
  progress: number;
  payload: JobTypes[N]['payload'];
  result: JobTypes[N]['result'] | null;
  /** Reason of the last failure (a job that failed every attempt stays visible in state `failed`). */
  error: string | null;
  attempts: number;
}

export interface JobQueue {
  /** Queues a job; a given `jobId` deduplicates (queuing the same id again returns the existing job). */
  enqueue<N extends JobName>(name: N, payload: JobTypes[N]['payload'], opts?: { jobId?: string }): Promise<{ jobId: string }>;
  /** Null when no job has that id. */
  status(jobId: string): Promise<JobStatus | null>;
  /** Jobs in the queue by state (the `unknown` state is not counted); for the `erbm_job_queue_jobs` gauge. */
  counts(): Promise<Record<Exclude<JobState, 'unknown'>, number>>;
  close(): Promise<void>;
}

/** Which attempt of a job is running (1-based) out of how many: the last one may record a permanent failure. */
export interface JobAttempt {
  attempt: number;
  attempts: number;
}

/** A job's handler: gets the payload, a progress callback (0–100) and the attempt, returns the result. */
export type JobProcessor<N extends JobName> = (payload: JobTypes[N]['payload'], progress: (percent: number) => Promise<void>, attempt: JobAttempt) => Promise<JobTypes[N]['result']>;
export type JobProcessors = { [N in JobName]: JobProcessor<N> };
