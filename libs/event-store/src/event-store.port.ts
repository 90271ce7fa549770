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
  appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult>;

  /** Reads a stream in order; an unknown stream reads as version 0 with no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamRead>;

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
