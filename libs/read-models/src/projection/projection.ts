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
}
