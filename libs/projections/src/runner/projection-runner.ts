import { SpanStatusCode, trace } from '@opentelemetry/api';
import { type Checkpoint, type EventStore, type ReadAllBatch, START, type Subscription } from '@erbm/event-store';
import { type DataSource } from 'typeorm';
import { type Projection } from './projection';

/** OpenTelemetry tracer of the read side: one span `projection.batch` per batch applied. */
const tracer = trace.getTracer('erbm.read-models');

export interface CatchUpProgress {
  events: number;
  checkpoint: Checkpoint;
}

/**
 * Runs a projection over the global log. Each batch is read after the stored checkpoint, then applied in one
 * transaction that locks the projection's checkpoint row (`FOR UPDATE`), checks the checkpoint did not move, applies
 * the events and stores the new checkpoint: a crash never double-counts, and two runners of the same projection
 * serialise instead of both applying a batch. Projections with a set-based `applyBatch` get the whole batch at once
 * (default batch size: the projection's `preferredBatchSize`, else 1 000 events).
 */
export class ProjectionRunner {
  /** Events read and applied per transaction. */
  readonly batchSize: number;
  /** The batch read ahead while the previous one was applied, and the checkpoint it was read after. */
  private prefetched: { after: Checkpoint; batch: Promise<ReadAllBatch> } | null = null;
  /** Reads shared with the other runners of `catchUpTogether`, by checkpoint and batch size, and the ones used this round. */
  private shared: { reads: Map<string, Promise<ReadAllBatch>>; used: Set<string> } | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly projection: Projection,
    batchSize?: number,
  ) {
    this.batchSize = batchSize ?? projection.preferredBatchSize ?? 1000;
  }

  /** Creates the checkpoint row, or rebuilds the projection from the start when its stored version differs. */
  async prepare(): Promise<'fresh' | 'resumed' | 'rebuilt'> {
    const { name, version, tables } = this.projection;
    return this.db.transaction(async (m) => {
      const rows: { version: number }[] = await m.query('SELECT version FROM rm_projection_checkpoint WHERE name = $1 FOR UPDATE', [name]);
      if (rows.length === 0) {
        await m.query('INSERT INTO rm_projection_checkpoint (name, version, checkpoint) VALUES ($1, $2, $3)', [name, version, START]);
        return 'fresh';
      }
      if (rows[0].version === version) return 'resumed';
      await m.query(`TRUNCATE ${tables.join(', ')}`);
      await m.query('UPDATE rm_projection_checkpoint SET version = $2, checkpoint = $3, events = 0, updated_at = now() WHERE name = $1', [name, version, START]);
      return 'rebuilt';
    });
  }

  /**
   * Applies one batch; returns how many events it applied (0 when caught up). The batch is read from the store
   * before the transaction opens, so no transaction ever waits on the event store (the embedded database runs one
   * transaction at a time and would wait forever; on a server it keeps transactions short). The transaction then
   * locks the checkpoint row and applies the batch only if the checkpoint is still the one the batch was read
   * from; when another runner moved it first, this one reads again.
   * Each non-empty batch is traced as a span `projection.batch` (from the read to the commit; attributes
   * `erbm.projection.name`, `erbm.projection.version`, `erbm.events.count`, `erbm.checkpoint.from`/`.to`); an empty
   * read (caught up) makes no span.
   * @throws Error when the projection is not prepared.
   */
  async runBatch(): Promise<number> {
    for (;;) {
      const readStart = Date.now();
      const from = await this.storedCheckpoint(this.db);
      const batch = await this.read(from);
      if (batch.events.length === 0) return 0;
      // Read the next batch while this one is applied (a full batch suggests more): PostgreSQL and Node overlap.
      if (batch.events.length === this.batchSize) this.prefetch(batch.checkpoint);
      const span = tracer.startSpan('projection.batch', {
        startTime: readStart,
        attributes: {
          'erbm.projection.name': this.projection.name,
          'erbm.projection.version': this.projection.version,
          'erbm.events.count': batch.events.length,
          'erbm.checkpoint.from': from,
          'erbm.checkpoint.to': batch.checkpoint,
        },
      });
      let applied: number | null;
      try {
        applied = await this.apply(from, batch);
        span.setAttribute('erbm.projection.applied', applied !== null);
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        throw e;
      } finally {
        span.end();
      }
      if (applied !== null) return applied;
    }
  }

  /** Applies `batch` read after `from` in one transaction; null when another runner moved the checkpoint first. */
  private apply(from: Checkpoint, batch: ReadAllBatch): Promise<number | null> {
    return this.db.transaction(async (m) => {
      const rows: { checkpoint: string }[] = await m.query('SELECT checkpoint FROM rm_projection_checkpoint WHERE name = $1 FOR UPDATE', [this.projection.name]);
      if (rows[0]?.checkpoint !== from) return null;
      if (this.projection.applyBatch) await this.projection.applyBatch(m, batch.events);
      else for (const event of batch.events) await this.projection.apply(m, event);
      await m.query('UPDATE rm_projection_checkpoint SET checkpoint = $2, events = events + $3, updated_at = now() WHERE name = $1', [
        this.projection.name,
        batch.checkpoint,
        batch.events.length,
      ]);
      return batch.events.length;
    });
  }

  private async storedCheckpoint(db: DataSource): Promise<Checkpoint> {
    const rows: { checkpoint: string }[] = await db.query('SELECT checkpoint FROM rm_projection_checkpoint WHERE name = $1', [this.projection.name]);
    if (rows.length === 0) throw new Error(`Projection ${this.projection.name} is not prepared`);
    return rows[0].checkpoint;
  }

  /**
   * The batch after `checkpoint`: the prefetched one when it was read after that same checkpoint (a gap-safe read
   * is valid whenever it is used: it is a prefix of the log after the checkpoint), else a fresh read. An empty
   * prefetched read is read again, so that catching up never stops early on a stale answer.
   */
  private async read(checkpoint: Checkpoint): Promise<ReadAllBatch> {
    const key = `${checkpoint}|${this.batchSize}`;
    this.shared?.used.add(key);
    const shared = this.shared?.reads.get(key);
    if (shared) {
      const batch = await shared;
      if (batch.events.length > 0) return batch;
    }
    const p = this.prefetched;
    this.prefetched = null;
    if (p && p.after === checkpoint) {
      const batch = await p.batch;
      if (batch.events.length > 0) return batch;
    }
    const batch = this.store.readAll(checkpoint, this.batchSize);
    this.shared?.reads.set(key, batch);
    return batch;
  }

  private prefetch(after: Checkpoint): void {
    const key = `${after}|${this.batchSize}`;
    const batch = this.shared?.reads.get(key) ?? this.store.readAll(after, this.batchSize);
    batch.catch(() => undefined); // a failed prefetch is read again, unprefetched, by the next batch
    this.prefetched = { after, batch };
    this.shared?.reads.set(key, batch);
  }

  /**
   * Catches up several projections side by side, in rounds of one batch each, reading each batch of the log once
   * for all the runners at the same checkpoint with the same batch size: rebuilding every read model from START
   * reads (and parses) the log once instead of once per projection. Each runner still applies its batches in its
   * own transactions under its own checkpoint lock, exactly as `catchUp`. Returns the events applied by each runner
   * (`onRound` gets the running totals after each round, for a progress bar).
   */
  static async catchUpTogether(runners: ProjectionRunner[], onRound?: (applied: number[]) => void): Promise<number[]> {
    const shared = { reads: new Map<string, Promise<ReadAllBatch>>(), used: new Set<string>() };
    for (const r of runners) r.shared = shared;
    const totals = runners.map(() => 0);
    try {
      let active = runners.map((_, i) => i);
      while (active.length > 0) {
        const applied = await Promise.all(active.map((i) => runners[i].runBatch()));
        applied.forEach((n, k) => (totals[active[k]] += n));
        onRound?.([...totals]);
        active = active.filter((_, k) => applied[k] > 0);
        // Drop the batches read this round; keep the ones read ahead for the next.
        for (const key of shared.used) shared.reads.delete(key);
        shared.used.clear();
      }
    } finally {
      for (const r of runners) r.shared = null;
    }
    return totals;
  }

  /** Applies batches until the log has nothing more to give; `onProgress` after each batch. */
  async catchUp(onProgress?: (p: CatchUpProgress) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runBatch();
      if (n === 0) return total;
      total += n;
      onProgress?.({ events: total, checkpoint: await this.checkpoint() });
    }
  }

  async checkpoint(): Promise<Checkpoint> {
    const rows: { checkpoint: string }[] = await this.db.query('SELECT checkpoint FROM rm_projection_checkpoint WHERE name = $1', [this.projection.name]);
    return rows[0]?.checkpoint ?? START;
  }

  /**
   * Follows the log continuously (worker). The subscription, started at the projection's checkpoint, signals that
   * events arrived; the batches themselves are read and applied under the checkpoint lock by `catchUp`.
   */
  async follow(pollIntervalMs = 1000, onProgress?: (p: CatchUpProgress) => void): Promise<Subscription> {
    await this.catchUp(onProgress);
    return this.store.subscribe({
      from: await this.checkpoint(),
      pollIntervalMs,
      batchSize: this.batchSize,
      handler: async () => {
        await this.catchUp(onProgress);
      },
    });
  }
}
