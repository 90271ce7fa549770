import { type AppendOptions, type EventStore, type LoadStreamOptions, type RecordedEvent } from '@erbm/event-store';
import { type Aggregate, type DomainEvent } from '@erbm/shared';
import { LRUCache } from 'lru-cache';

/** How the application keeps aggregate states between commands (docs/adr/0016). */
export interface AggregateStatesOptions {
  /**
   * Store a snapshot of the state with an append once at least this many events were appended since the latest
   * snapshot (default 100); 0 disables snapshots (every stream is folded from its first event, or from the cache).
   */
  snapshotEvery?: number;
  /** States kept in this process, most recently used first (default 1 000); 0 disables the cache. */
  cacheSize?: number;
}

/** A stream's state as a command needs it. */
export interface LoadedState<S> {
  state: S;
  /** The stream's version the state is at (the expected version of the next append). */
  version: number;
  /** Version of the latest stored snapshot of this aggregate (0: none). */
  snapshotVersion: number;
  /** The stored event with the id looked up (`load`'s `eventId`), in any stream; null when absent. */
  storedEvent: RecordedEvent | null;
  /** With `keyed`: the stream's latest event (at `version`) whose data field has the value, else null. */
  keyedEvent: RecordedEvent | null;
}

interface Kept {
  name: string;
  aggregateVersion: number;
  streamVersion: number;
  state: unknown;
}

/**
 * Loads aggregate states for commands at a cost that does not grow with the stream: from a state kept in this
 * process (checked against the stream: only the events after it are read), else from the latest snapshot stored
 * beside the stream under the aggregate's (name, version), plus the events after it — one round trip
 * (`EventStore.loadStream`). A state is always the fold of the stream's events: a snapshot is the JSON of a state
 * at a version, taken with the events that lead to it, and the decider's version keys it.
 */
export class AggregateStates {
  private readonly snapshotEvery: number;
  private readonly kept: LRUCache<string, Kept> | null;

  constructor(private readonly store: EventStore, options: AggregateStatesOptions = {}) {
    this.snapshotEvery = options.snapshotEvery ?? 100;
    const size = options.cacheSize ?? 1000;
    this.kept = size > 0 ? new LRUCache<string, Kept>({ max: size }) : null;
  }

  /**
   * The state of `streamId` folded with `aggregate`, and where `eventId` (else `fallbackEventId`) is stored when given
   * (idempotency), and the stream's latest event of the entity `keyed` names (in the same read, so at `version`).
   * A kept state ahead of the stream (the log was emptied, in tests) is dropped and the stream read again.
   */
  async load<S>(
    streamId: string,
    aggregate: Aggregate<S, DomainEvent>,
    eventId?: string,
    fallbackEventId?: string,
    keyed?: LoadStreamOptions['keyed'],
  ): Promise<LoadedState<S>> {
    let kept = this.kept?.get(streamId);
    if (kept && (kept.name !== aggregate.name || kept.aggregateVersion !== aggregate.version)) kept = undefined;
    const loaded = await this.store.loadStream(streamId, {
      snapshot: this.snapshotEvery > 0 ? { name: aggregate.name, version: aggregate.version } : undefined,
      knownVersion: kept?.streamVersion,
      eventId,
      fallbackEventId,
      keyed,
    });
    if (kept && loaded.version < kept.streamVersion) {
      this.kept?.delete(streamId);
      return this.load(streamId, aggregate, eventId, fallbackEventId, keyed);
    }
    const base = loaded.snapshot ? (loaded.snapshot.state as S) : kept ? (kept.state as S) : aggregate.initialState();
    const state = loaded.events.reduce((s, e) => aggregate.evolve(s, { type: e.type, data: e.data }), base);
    this.keep(streamId, aggregate, loaded.version, state);
    return { state, version: loaded.version, snapshotVersion: loaded.snapshotVersion, storedEvent: loaded.storedEvent, keyedEvent: loaded.keyedEvent };
  }

  /**
   * The state after `decided` (each event's data as it will read back: JSON), and the snapshot to store with the
   * append when it is due (`snapshotEvery` events since the latest one at the version the append reaches).
   */
  next<S>(aggregate: Aggregate<S, DomainEvent>, loaded: LoadedState<S>, decided: readonly DomainEvent[]): { state: S; snapshot: AppendOptions['snapshot'] } {
    const state = decided.reduce((s, e) => aggregate.evolve(s, { type: e.type, data: JSON.parse(JSON.stringify(e.data)) as object }), loaded.state);
    const after = loaded.version + decided.length;
    const due = this.snapshotEvery > 0 && after - loaded.snapshotVersion >= this.snapshotEvery;
    return { state, snapshot: due ? { key: { name: aggregate.name, version: aggregate.version }, state } : undefined };
  }

  /** Keeps the state of `streamId` at `streamVersion` (after a load or an append) for the next command. */
  keep<S>(streamId: string, aggregate: Aggregate<S, DomainEvent>, streamVersion: number, state: S): void {
    if (!this.kept) return;
    const current = this.kept.get(streamId);
    if (current && current.name === aggregate.name && current.aggregateVersion === aggregate.version && current.streamVersion > streamVersion) return;
    this.kept.set(streamId, { name: aggregate.name, aggregateVersion: aggregate.version, streamVersion, state });
  }
}
