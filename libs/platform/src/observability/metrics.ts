import { type CommandObservation, type JobQueue } from '@erbm/application';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Buckets of the HTTP latency histogram, in seconds (5 ms to 10 s). */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one application (one registry per application, so that several in a process — the
 * e2e tests — never share counters). Names, units and labels: docs/operations.md#observability.
 * - `erbm_http_request_duration_seconds{method,route,status_code}` histogram; `route` is the route template
 *   (`/operations/:operationId/deliveries`), `unmatched` when no route matched;
 * - `erbm_commands_total{type,outcome,code}` counter; outcome `accepted` | `duplicate` | `rejected`, code the
 *   DomainError code of a rejection (`none` otherwise, `INTERNAL` for an unexpected error);
 * - the Node.js process metrics of prom-client (`process_*`, `nodejs_*`).
 * The operational gauges (projection lag, imports, job queue) are added by `registerOperationalGauges`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly commands: Counter<'type' | 'outcome' | 'code'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'erbm_http_request_duration_seconds',
      help: 'Duration of HTTP requests, in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.commands = new Counter({
      name: 'erbm_commands_total',
      help: 'Commands executed, by command type and outcome (accepted, duplicate, rejected with its error code)',
      labelNames: ['type', 'outcome', 'code'],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** The CommandExecutor's observer: counts each command by type and outcome. */
  readonly observeCommand = (o: CommandObservation): void => {
    this.commands.inc({ type: o.type, outcome: o.outcome, code: o.code ?? 'none' });
  };
}

/** One projection's lag behind the event log (see `projectionLags` in @erbm/projections). */
export interface LagReading {
  projection: string;
  events: number;
  seconds: number;
}

/** Where the operational gauges read their values at each scrape. */
export interface OperationalSources {
  projectionLags(): Promise<LagReading[]>;
  /** Rows of queued or running imports not yet applied. */
  importRowsPending(): Promise<number>;
  queue: Pick<JobQueue, 'counts'>;
  /** Called when a source fails: its gauges are then left out of that scrape (no 5xx for the scraper). */
  onError(source: string, e: Error): void;
}

/**
 * Shares one reading between the gauges of a scrape: prom-client collects every metric at once, so the calls made
 * while a reading is in flight get that reading; the next scrape reads again.
 */
function shared<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= fn().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

/**
 * Adds the gauges read from the database and the queue at each scrape:
 * - `erbm_projection_lag_events{projection}`: events of the log not yet applied by the projection;
 * - `erbm_projection_lag_seconds{projection}`: how long the oldest of those has waited (0 when caught up);
 * - `erbm_import_rows_pending`: rows of queued or running imports not yet applied;
 * - `erbm_job_queue_jobs{state}`: jobs of the queue by state (waiting, active, delayed, failed, completed).
 */
export function registerOperationalGauges(metrics: Metrics, sources: OperationalSources): void {
  const registers = [metrics.registry];
  const guard = <T>(source: string, fn: () => Promise<T>) =>
    shared(async (): Promise<T | null> => {
      try {
        return await fn();
      } catch (e) {
        sources.onError(source, e instanceof Error ? e : new Error(String(e)));
        return null;
      }
    });
  const lags = guard('projection lag', () => sources.projectionLags());
  const pending = guard('imports', () => sources.importRowsPending());
  const counts = guard('job queue', () => sources.queue.counts());

  new Gauge({
    name: 'erbm_projection_lag_events',
    help: 'Events of the log not yet applied by the projection',
    labelNames: ['projection'],
    registers,
    async collect() {
      this.reset();
      for (const l of (await lags()) ?? []) this.set({ projection: l.projection }, l.events);
    },
  });
  new Gauge({
    name: 'erbm_projection_lag_seconds',
    help: 'Seconds the oldest event not yet applied by the projection has waited (0 when caught up)',
    labelNames: ['projection'],
    registers,
    async collect() {
      this.reset();
      for (const l of (await lags()) ?? []) this.set({ projection: l.projection }, l.seconds);
    },
  });
  new Gauge({
    name: 'erbm_import_rows_pending',
    help: 'Rows of queued or running imports not yet applied',
    registers,
    async collect() {
      this.reset();
      const n = await pending();
      if (n !== null) this.set(n);
    },
  });
  new Gauge({
    name: 'erbm_job_queue_jobs',
    help: 'Jobs of the job queue, by state',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      for (const [state, n] of Object.entries((await counts()) ?? {})) this.set({ state }, n);
    },
  });
}
