/**
 * The EventStore port. Adapters: PostgreSQL (default, `postgres/`; also on the embedded PGlite) and KurrentDB /
 * EventStoreDB (scale-out, `kurrentdb/`, `EVENT_STORE=kurrentdb`).
 * Every adapter must pass the contract suite in `testing/event-store.contract.ts`.
 *
 * Stream versions count events: a new stream has version 0, its first event has streamPosition 1.
 */

/** Expected version of a stream for an append: an exact version, "the stream must not exist", or no check. */
export type ExpectedVersion = { exact: number } | 'no-stream' | 'any';

/** Channel through which a command reached the system. */
export type Channel = 'api' | 'import' | 'cli' | 'system';

/** Who acted: organisation id (`delegation`, `bailleur:MAISONS_ET_CITES`…), user or API client, and channel. */
export interface Actor {
  organisation: string;
  user: string;
  channel: Channel;
  clientId?: string | null;
}

/** Metadata stored with every event. */
export interface EventMetadata {
  /** Id of the command (the idempotency key) that produced the event. */
  commandId: string;
  /** SHA-256 of the command's type and parsed data: a retry must carry the same command, not just the same id. */
  commandHash?: string;
  /** Correlation id of the request or import that started the work. */
  correlationId: string;
  /** Id of the event or command that caused this one (the command id for direct writes). */
  causationId: string | null;
  actor: Actor;
  /** Where the figure comes from (document and section), for reconstructed or imported data. */
  source?: string | null;
  /** True when the figure is an estimate (a plausible split of a published total), not a published value. */
  estimated?: boolean;
}

/** An event to append. `recordedAt` (ISO date-time) is the knowledge time; adapters default it to now. */
export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt?: string;
}

/** An event as stored. */
export interface RecordedEvent {
  eventId: string;
  streamId: string;
  /** 1-based position in its stream. */
  streamPosition: number;
  /** Opaque, totally ordered position in the global log (compare with `compareCheckpoints`). */
  checkpoint: Checkpoint;
  /** Monotonic number of the event in the global log, for display and drill-down (not the ordering key). */
  globalPosition: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** Knowledge time: when the system learnt the fact (ISO date-time, UTC). */
  recordedAt: string;
}

export interface AppendResult {
  /** The stream's version after the append (pass it as `{ exact }` to the next append). */
  nextExpectedVersion: number;
  /** True when every event id was already stored in this stream: nothing was appended. */
  idempotentReplay: boolean;
}

/**
 * Position in the global log, opaque to callers. For PostgreSQL it is `"<xid8>/<global_position>"`;
 * for EventStoreDB `"<commit>/<prepare>"`. `START` reads from the beginning.
 */
export type Checkpoint = string;
export const START: Checkpoint = '0/0';

export const parseCheckpoint = (c: Checkpoint): [bigint, bigint] => {
  const m = /^(\d+)\/(\d+)$/.exec(c);
  if (!m) throw new Error(`Invalid checkpoint "${c}"`);
  return [BigInt(m[1]), BigInt(m[2])];
};

/** -1, 0 or 1 as `a` is before, equal to, or after `b`. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const [a1, a2] = parseCheckpoint(a);
  const [b1, b2] = parseCheckpoint(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  return 0;
};

export interface ReadStreamOptions {
  /** Read events up to and including this stream version. */
  toVersion?: number;
  /** Read only the events recorded at or before this ISO date-time ("what did we know then"). */
  knownAt?: string;
}

export interface StreamRead {
  /** Version of the stream as read (number of events returned). */
  version: number;
  events: RecordedEvent[];
}

/**
 * Names a snapshot of aggregate state: the decider (aggregate) name and its version. A snapshot stored under another
 * version is ignored, so bumping the decider's version invalidates every snapshot taken with the previous `evolve`.
 */
export interface SnapshotKey {
  name: string;
  version: number;
}

/** Options of an append. */
export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /**
   * State of the stream's aggregate *after* these events (plain JSON), stored beside the stream in the same
   * transaction, at the version the append reaches; ignored when nothing is appended. Adapters without snapshot
   * storage ignore it.
   */
  snapshot?: { key: SnapshotKey; state: unknown };
}

/** What a command reads of its stream (`loadStream`). */
export interface LoadStreamOptions {
  /** Start from the latest snapshot stored under this key, if any. */
  snapshot?: SnapshotKey;
  /**
   * The caller already holds the stream's state at this version (a cache): the events after it are enough, and a
   * snapshot is returned only when it is newer.
   */
  knownVersion?: number;
  /** Also look up where the event with this id is stored, in any stream (a command's idempotency check). */
  eventId?: string;
  /**
   * A second id looked up when no event has `eventId` (the command's first event id in the v1 derivation, for
   * commands recorded before ADR 0018); `storedEvent` is then the event with this id, if any.
   */
  fallbackEventId?: string;
  /**
   * Also read the stream's latest event whose `data[field]` is `value` (an entity inside the aggregate, e.g. one
   * delivery of an operation), in the same read as the head: `keyedEvent`. `field` must be one of `KEYED_FIELDS`
   * (indexed per stream, so the lookup does not grow with the stream; docs/adr/0023).
   */
  keyed?: { field: KeyedField; value: string };
}

/**
 * The event data fields `loadStream` can look an event up by, within a stream (`LoadStreamOptions.keyed`). Each has
 * a partial index on `(stream_id, data->>field, stream_position)` (`EVENT_STORE_KEYS_DDL`).
 */
export const KEYED_FIELDS = ['deliveryId'] as const;
export type KeyedField = (typeof KEYED_FIELDS)[number];

/** The answer of `loadStream`. */
export interface LoadedStream {
  /** The stream's current version (0 for an unknown stream). */
  version: number;
  /** The stored snapshot under the key, when it is newer than `knownVersion`; else null. */
  snapshot: { version: number; state: unknown } | null;
  /** Version at which the latest snapshot under the key was taken, returned or not (0: none). */
  snapshotVersion: number;
  /** The events after the snapshot returned, else after `knownVersion`, else all of them, in stream order. */
  events: RecordedEvent[];
  /**
   * The stored event whose id is `eventId`, or null. Adapters that cannot look an id up across streams
   * (`loadStreamByReading`) only find it in this stream; an append of the same ids elsewhere still fails.
   */
  storedEvent: RecordedEvent | null;
  /** With `keyed`: the stream's latest event (at `version`) whose `data[field]` is the value, or null. */
  keyedEvent: RecordedEvent | null;
}

export interface ReadAllBatch {
  events: RecordedEvent[];
  /** Checkpoint after the last event returned (unchanged when the batch is empty). */
  checkpoint: Checkpoint;
}

export interface Subscription {
  /** Stops the subscription; resolves when the current batch has been handled. */
  stop(): Promise<void>;
  /** Resolves when the subscription stopped after a handler error (with that error), or on stop(). */
  readonly done: Promise<void>;
}

export interface SubscribeOptions {
  from: Checkpoint;
  batchSize?: number;
  /** Polling interval when no notification arrives, in milliseconds. */
  pollIntervalMs?: number;
  /** Called with each non-empty batch, in log order; the next batch is read only after it resolves. */
  handler: (batch: ReadAllBatch) => Promise<void>;
}

export interface EventStore {
  /**
   * Appends events to a stream atomically.
   * @throws WrongExpectedVersionError when the stream's version differs from `expectedVersion`.
   * @throws DuplicateEventError when some (not all) event ids already exist, or exist in another stream.
   * Appending events whose ids are all already stored in that stream appends nothing and succeeds.
   */
  appendToStream(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /** Reads a stream in order; an unknown stream reads as version 0 with no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamRead>;

  /**
   * Reads what a command needs of its stream, in one round trip where the adapter can: the latest snapshot (see
   * `AppendOptions.snapshot`), the events after it (or after the version the caller holds), and where an event id
   * is stored. Without a snapshot or `knownVersion` it returns every event, like `readStream`.
   */
  loadStream(streamId: string, options?: LoadStreamOptions): Promise<LoadedStream>;

  /**
   * Reads the global log after `after`, in log order, at most `batchSize` events. Gap-safe: never returns an event
   * while an earlier one may still be committed by a transaction in flight.
   */
  readAll(after: Checkpoint, batchSize: number): Promise<ReadAllBatch>;

  /** Reads events by global position numbers (drill-down from report figures). */
  readByGlobalPositions(positions: string[]): Promise<RecordedEvent[]>;

  /** Calls `handler` with every batch after `from`, then with new events as they are committed. */
  subscribe(options: SubscribeOptions): Subscription;

  /** Releases connections owned by the adapter. */
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  constructor(readonly streamId: string, readonly expected: ExpectedVersion, readonly actual: number) {
    super(`Stream ${streamId}: expected version ${typeof expected === 'string' ? expected : expected.exact}, actual ${actual}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class DuplicateEventError extends Error {
  constructor(readonly streamId: string, readonly eventIds: string[]) {
    super(`Stream ${streamId}: event id(s) already stored elsewhere or only partly: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventError';
  }
}

/**
 * `loadStream` for adapters without snapshot storage or an id lookup across streams: reads the whole stream
 * (`readStream`) and keeps the events after `knownVersion`; `storedEvent` is searched in this stream only.
 */
export async function loadStreamByReading(store: Pick<EventStore, 'readStream'>, streamId: string, options: LoadStreamOptions = {}): Promise<LoadedStream> {
  const { version, events } = await store.readStream(streamId);
  const known = options.knownVersion !== undefined && options.knownVersion <= version ? options.knownVersion : 0;
  return {
    version,
    snapshot: null,
    snapshotVersion: 0,
    events: events.filter((e) => e.streamPosition > known),
    storedEvent:
      (options.eventId === undefined ? undefined : events.find((e) => e.eventId === options.eventId)) ??
      (options.fallbackEventId === undefined ? undefined : events.find((e) => e.eventId === options.fallbackEventId)) ??
      null,
    keyedEvent: keyedEventOf(events, options.keyed),
  };
}

/** The latest of `events` (in stream order) whose `data[keyed.field]` is `keyed.value`; null without `keyed`. */
export function keyedEventOf<E extends { data: object }>(events: readonly E[], keyed: LoadStreamOptions['keyed']): E | null {
  if (!keyed) return null;
  for (let i = events.length - 1; i >= 0; i--) if ((events[i].data as Record<string, unknown>)[keyed.field] === keyed.value) return events[i];
  return null;
}
