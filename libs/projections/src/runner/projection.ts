import { type RecordedEvent } from '@erbm/event-store';
import { type EntityManager } from 'typeorm';

/**
 * A projection from the global log into read-model tables. `apply` runs inside the batch's transaction (the
 * manager given) and must be idempotent under replay; events of types it does not handle are ignored.
 * Bump `version` when the projection's logic or tables change: the runner then rebuilds it from the start.
 */
export interface Projection {
  name: string;
  version: number;
  /** Tables owned (emptied on rebuild). */
  tables: string[];
  apply(manager: EntityManager, event: RecordedEvent): Promise<void>;
  /**
   * Optional set-based path: applies a whole batch (in log order, inside the batch's transaction) with the same
   * result as calling `apply` on each event in turn. The runner uses it when present. Implementations must fall
   * back to `this.apply` per event when `apply` was overridden (a projection derived with `{ ...p, apply }`).
   */
  applyBatch?(manager: EntityManager, events: RecordedEvent[]): Promise<void>;
  /** Events per batch the runner reads and applies in one transaction when none is given (default 1 000). */
  preferredBatchSize?: number;
}
