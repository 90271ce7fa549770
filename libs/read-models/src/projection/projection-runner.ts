import { type Checkpoint, type EventStore, START, type Subscription } from '@erbm/event-store';
import { type DataSource } from 'typeorm';
import { type Projection } from './projection';

export interface CatchUpProgress {
  events: number;
  checkpoint: Checkpoint;
}

/**
 * Runs a projection over the global log. Each batch is applied in one transaction that first locks the
 * projection's checkpoint row (`FOR UPDATE`), re-reads the checkpoint, reads the events after it, applies them and
 * stores the new checkpoint: a crash never double-counts, and two runners of the same projection serialise
 * instead of both applying a batch.
 */
export class ProjectionRunner {
  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly batchSize = 1000,
  ) {}

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

  /** Applies one batch; returns how many events it applied (0 when caught up). */
  async runBatch(): Promise<number> {
    return this.db.transaction(async (m) => {
      const rows: { checkpoint: string }[] = await m.query('SELECT checkpoint FROM rm_projection_checkpoint WHERE name = $1 FOR UPDATE', [this.projection.name]);
      if (rows.length === 0) throw new Error(`Projection ${this.projection.name} is not prepared`);
      const batch = await this.store.readAll(rows[0].checkpoint, this.batchSize);
      if (batch.events.length === 0) return 0;
      for (const event of batch.events) await this.projection.apply(m, event);
      await m.query('UPDATE rm_projection_checkpoint SET checkpoint = $2, events = events + $3, updated_at = now() WHERE name = $1', [
        this.projection.name,
        batch.checkpoint,
        batch.events.length,
      ]);
      return batch.events.length;
    });
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
