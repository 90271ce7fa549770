import {
  BACKWARDS,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Filter,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  type Position,
  type ResolvedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type Checkpoint,
  DuplicateEventError,
  type EventStore,
  type ExpectedVersion,
  type LoadStreamOptions,
  type LoadedStream,
  type NewEvent,
  type ReadAllBatch,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRead,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersionError,
  compareCheckpoints,
  loadStreamByReading,
} from '../event-store.port';
import { systemClock } from '@erbm/shared';
import { UpcasterRegistry } from '../upcasting';
import {
  EVENT_ID_INDEX_PREFIX,
  EVENT_ID_RESERVED_TYPE,
  checkStreamPrefix,
  checkpointOf,
  dataOf,
  eventIdIndexStream,
  isSystemEventType,
  positionOfGlobalPosition,
  readPositionOf,
  streamPositionOf,
  streamStateOf,
  unwrapMetadata,
  versionOfState,
  wrapMetadata,
} from './kurrentdb-mapping';

export interface KurrentDbEventStoreOptions {
  /**
   * KurrentDB connection string (`kurrentdb://host:2113?tls=false`, also `kurrent://`, `kdb://`, `…+discover://`).
   * The client connects lazily, on the first call.
   */
  connectionString: string;
  upcasters?: UpcasterRegistry;
  /**
   * Namespace of this application's streams, the way several applications (or test runs) share one KurrentDB:
   * every stream id is stored as `streamPrefix + streamId` and read back without it, and `readAll`/`subscribe`
   * see only streams starting with the prefix (server-side `streamNameFilter({ prefixes })`). Default: no prefix,
   * the whole `$all` minus system events.
   */
  streamPrefix?: string;
  /** Clock for the default `recordedAt` (ISO date-time UTC); defaults to the system clock of this process. */
  now?: () => string;
}

/** At most this many events per `$all` read when `readAll` pages through the log. */
const READ_PAGE_LIMIT = 4096;

/**
 * KurrentDB adapter of the EventStore port, on `@kurrent/kurrentdb-client` (docs/adr/0010).
 *
 * Mapping: our stream version n is KurrentDB revision n-1; checkpoints are `"<commit>/<prepare>"` of the `$all`
 * position; `globalPosition` is the prepare position (decimal string); `recordedAt` (knowledge time) lives in the
 * metadata envelope, since KurrentDB's `created` cannot be set.
 *
 * Idempotency follows the port exactly, which KurrentDB alone does not: before appending, each event id is looked
 * up in a per-id index stream (`erbm-event-id~<prefix><eventId>`, first event = owning stream). Ids owned by
 * another stream, or a batch only partly stored, throw DuplicateEventError; a batch fully stored in this stream
 * is a no-op success. New ids are reserved (index append with NO_STREAM) before the events are appended; an id
 * reserved by an append that then fails stays bound to its stream (a retry into that stream works; into another
 * stream it is refused). The log is never gap-prone: KurrentDB commits `$all` in order, so there is no
 * `holdTransaction` in its contract harness.
 */
export class KurrentDbEventStore implements EventStore {
  readonly client: KurrentDBClient;
  private readonly upcasters: UpcasterRegistry;
  private readonly prefix: string;
  private readonly now: () => string;
  private readonly filter: Filter;

  /** @throws Error (the client's ParseError) on a malformed connection string, or on an invalid stream prefix. */
  constructor(options: KurrentDbEventStoreOptions) {
    this.prefix = checkStreamPrefix(options.streamPrefix ?? '');
    this.client = KurrentDBClient.connectionString(options.connectionString);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.now = options.now ?? systemClock.now;
    this.filter = this.prefix ? streamNameFilter({ prefixes: [this.prefix] }) : excludeSystemEvents();
  }

  async appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const ids = events.map((e) => e.eventId);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length) throw new DuplicateEventError(streamId, repeated);
    const state = streamStateOf(options.expectedVersion);
    const stream = this.prefix + streamId;

    const owners = await Promise.all(ids.map((id) => this.ownerOf(id)));
    const foreign = ids.filter((id, i) => owners[i] !== null && owners[i] !== stream);
    if (foreign.length) throw new DuplicateEventError(streamId, foreign);
    if (owners.some((o) => o === stream)) {
      const stored = await this.storedIds(stream);
      const present = ids.filter((id) => stored.ids.has(id));
      if (present.length === ids.length) return { nextExpectedVersion: stored.version, idempotentReplay: true };
      if (present.length > 0) throw new DuplicateEventError(streamId, present);
    }

    await Promise.all(ids.filter((_, i) => owners[i] === null).map((id) => this.reserve(id, stream, streamId)));
    const payload = events.map((e) =>
      jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: { ...wrapMetadata(e.metadata, e.recordedAt ?? this.now()) } }),
    );
    try {
      const r = await this.client.appendToStream(stream, payload, { streamState: state });
      return { nextExpectedVersion: streamPositionOf(r.nextExpectedRevision), idempotentReplay: false };
    } catch (e) {
      if (e instanceof KurrentWrongExpectedVersionError) {
        throw new WrongExpectedVersionError(streamId, options.expectedVersion, versionOfState(e.actualState));
      }
      throw e;
    }
  }

  /** The (prefixed) stream that owns `eventId` in the index, or null when the id is new. */
  private async ownerOf(eventId: string): Promise<string | null> {
    for (const r of await this.readStreamRaw(eventIdIndexStream(this.prefix, eventId), 1)) {
      const owner = (r.event?.data as { streamId?: unknown } | undefined)?.streamId;
      if (typeof owner === 'string') return owner;
    }
    return null;
  }

  /** Reserves `eventId` for `stream`; a concurrent reservation for the same stream is fine, for another one not. */
  private async reserve(eventId: string, stream: string, streamId: string): Promise<void> {
    try {
      await this.client.appendToStream(eventIdIndexStream(this.prefix, eventId), jsonEvent({ type: EVENT_ID_RESERVED_TYPE, data: { streamId: stream } }), {
        streamState: NO_STREAM,
      });
    } catch (e) {
      if (!(e instanceof KurrentWrongExpectedVersionError)) throw e;
      if ((await this.ownerOf(eventId)) !== stream) throw new DuplicateEventError(streamId, [eventId]);
    }
  }

  /** Event ids and version of a (prefixed) stream: read on the rare retry path only. */
  private async storedIds(stream: string): Promise<{ ids: Set<string>; version: number }> {
    const ids = new Set<string>();
    let version = 0;
    for (const r of await this.readStreamRaw(stream)) {
      if (!r.event) continue;
      ids.add(r.event.id);
      version = streamPositionOf(r.event.revision);
    }
    return { ids, version };
  }

  /** Reads a (prefixed) stream forwards; a missing stream reads as no events. */
  private async readStreamRaw(stream: string, maxCount?: number): Promise<ResolvedEvent[]> {
    const out: ResolvedEvent[] = [];
    try {
      for await (const r of this.client.readStream(stream, maxCount === undefined ? {} : { maxCount })) out.push(r);
    } catch (e) {
      if (e instanceof StreamNotFoundError || (e as { type?: string }).type === 'stream-not-found') return [];
      throw e;
    }
    return out;
  }

  /** No snapshots here: reads the whole stream (`loadStreamByReading`). */
  loadStream(streamId: string, options: LoadStreamOptions = {}): Promise<LoadedStream> {
    return loadStreamByReading(this, streamId, options);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StreamRead> {
    if (options.toVersion !== undefined && options.toVersion <= 0) return { version: 0, events: [] };
    const raw = await this.readStreamRaw(this.prefix + streamId, options.toVersion);
    let events = raw.flatMap((r) => (r.event ? [this.toRecorded(r.event as AllStreamRecordedEvent)] : []));
    if (options.knownAt !== undefined) {
      const knownAt = Date.parse(options.knownAt);
      if (Number.isNaN(knownAt)) throw new Error(`Invalid knownAt "${options.knownAt}": expected an ISO date-time`);
      events = events.filter((e) => Date.parse(e.recordedAt) <= knownAt);
    }
    return { version: events.length ? events[events.length - 1].streamPosition : 0, events };
  }

  /**
   * Reads `$all` after `after`, this application's events only (system events, other prefixes and the event-id
   * index are skipped). The returned checkpoint moves past skipped events too, so it can advance with an empty
   * `events` list; storing it either way is safe.
   */
  async readAll(after: Checkpoint, batchSize: number): Promise<ReadAllBatch> {
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new Error(`Invalid batch size ${batchSize}`);
    const events: RecordedEvent[] = [];
    let checkpoint = after;
    for (;;) {
      const want = Math.min(batchSize - events.length, READ_PAGE_LIMIT);
      // A forwards read of $all includes the event at fromPosition: ask one more, drop what is not after.
      const page: AllStreamResolvedEvent[] = [];
      for await (const r of this.client.readAll({ fromPosition: readPositionOf(checkpoint), maxCount: want + 1, direction: FORWARDS, filter: this.filter })) {
        page.push(r);
      }
      let fresh = 0;
      for (const r of page) {
        if (!r.event || events.length === batchSize) continue;
        const c = checkpointOf(r.event.position);
        if (compareCheckpoints(c, checkpoint) <= 0) continue;
        fresh += 1;
        checkpoint = c;
        if (this.isOurs(r.event)) events.push(this.toRecorded(r.event));
      }
      if (events.length === batchSize || fresh < want) return { events, checkpoint };
    }
  }

  /**
   * Finds events by `globalPosition` (the prepare position). KurrentDB reads `$all` from a position, not by one:
   * each position p is read forwards from `{ commit: p, prepare: p }` (exact for events whose commit and prepare
   * positions agree), then backwards from there (events of a multi-event append share the append's commit
   * position, which is lower than their prepare position). Only events whose prepare position is p are kept.
   * Positions that are not event positions of this store return nothing (or the server rejects them).
   */
  async readByGlobalPositions(positions: string[]): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    for (const p of new Set(positions)) {
      const at = positionOfGlobalPosition(p);
      const match = async (direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number) => {
        for await (const r of this.client.readAll({ fromPosition: at, maxCount, direction, filter: this.filter })) {
          if (r.event && r.event.position.prepare === at.prepare && this.isOurs(r.event)) return this.toRecorded(r.event);
        }
        return null;
      };
      const e = (await match(FORWARDS, 1)) ?? (await match(BACKWARDS, 256));
      if (e) found.push(e);
    }
    return found.sort((a, b) => compareCheckpoints(a.checkpoint, b.checkpoint));
  }

  /**
   * Catch-up subscription to `$all` after `from` (server-side filter: this prefix, or no system events). Events that
   * arrive together are handed over in batches of at most `batchSize` (default 500), in log order, one handler call
   * at a time; the stream is not read while the handler runs (back-pressure). `pollIntervalMs` is ignored: the
   * server pushes. `done` rejects with the handler's or the server's error.
   */
  subscribe(options: SubscribeOptions): Subscription {
    const batchSize = options.batchSize ?? 500;
    const sub: AllStreamSubscription = this.client.subscribeToAll({ fromPosition: readPositionOf(options.from), filter: this.filter });
    let stopped = false;
    let wake: (() => void) | null = null;
    let failure: Error | null = null;
    let ended = false;
    const signal = () => (wake as (() => void) | null)?.();
    sub.on('readable', signal);
    sub.on('error', (e: Error) => {
      failure = e;
      signal();
    });
    sub.on('end', () => {
      ended = true;
      signal();
    });
    const loop = async () => {
      let checkpoint = options.from;
      try {
        while (!stopped) {
          if (failure) throw failure;
          const events: RecordedEvent[] = [];
          let next = checkpoint;
          let item: AllStreamResolvedEvent | null = null;
          while (events.length < batchSize && (item = sub.read() as AllStreamResolvedEvent | null) !== null) {
            if (!item.event) continue;
            const c = checkpointOf(item.event.position);
            if (compareCheckpoints(c, checkpoint) <= 0) continue;
            next = c;
            if (this.isOurs(item.event)) events.push(this.toRecorded(item.event));
          }
          if (events.length) await options.handler({ events, checkpoint: next });
          checkpoint = next;
          if (item === null && !stopped) {
            if (ended) throw new Error('KurrentDB subscription to $all ended');
            await new Promise<void>((resolve) => {
              wake = resolve;
              if (sub.readableLength > 0 || failure || ended || stopped) resolve();
            });
            wake = null;
          }
        }
      } finally {
        await sub.unsubscribe().catch(() => undefined);
      }
    };
    const done = loop();
    return {
      done,
      stop: async () => {
        stopped = true;
        signal();
        await done.catch(() => undefined);
      },
    };
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Events of this application: not system events, not the event-id index, inside the stream prefix. */
  private isOurs(e: AllStreamRecordedEvent): boolean {
    return !isSystemEventType(e.type) && !e.streamId.startsWith(EVENT_ID_INDEX_PREFIX) && e.streamId.startsWith(this.prefix);
  }

  private toRecorded(e: AllStreamRecordedEvent): RecordedEvent {
    const { metadata, recordedAt } = unwrapMetadata(e.metadata, e.id);
    const { type, data } = this.upcasters.upcast({ type: e.type, data: dataOf(e.data, e.id) });
    const position: Position | undefined = e.position;
    if (!position) throw new Error(`KurrentDB event ${e.id}: no $all position (the adapter needs KurrentDB/EventStoreDB 22.6 or later)`);
    return {
      eventId: e.id,
      streamId: e.streamId.slice(this.prefix.length),
      streamPosition: streamPositionOf(e.revision),
      checkpoint: checkpointOf(position),
      globalPosition: position.prepare.toString(),
      type,
      data,
      metadata,
      recordedAt,
    };
  }
}
