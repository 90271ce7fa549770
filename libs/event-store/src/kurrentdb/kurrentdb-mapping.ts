import { ANY, type AppendStreamState, type CurrentStreamState, NO_STREAM, type Position, type ReadPosition, START as KURRENT_START } from '@kurrent/kurrentdb-client';
import { type Checkpoint, type EventMetadata, type ExpectedVersion, START, parseCheckpoint } from '../event-store.port';

/**
 * Pure mappings between the EventStore port and KurrentDB (docs/adr/0010). No I/O: unit-tested without a server.
 *
 * - Stream versions: our version n (count of events) is KurrentDB revision n-1; our streamPosition p is revision p-1.
 * - Checkpoints: `"<commit>/<prepare>"` of the event's `$all` position; `START` (`'0/0'`) reads from the start.
 * - Metadata: the port's metadata and the knowledge time `recordedAt` travel in one JSON envelope
 *   ({@link StoredMetadata}), since KurrentDB's own `created` timestamp cannot be set by the writer.
 */

/** KurrentDB position of an event in `$all` → our checkpoint `"<commit>/<prepare>"`. */
export const checkpointOf = (position: Position): Checkpoint => `${position.commit}/${position.prepare}`;

/** Our checkpoint → KurrentDB read position (`START` → the client's `'start'`). @throws Error on a malformed checkpoint. */
export function readPositionOf(checkpoint: Checkpoint): ReadPosition {
  const [commit, prepare] = parseCheckpoint(checkpoint);
  if (checkpoint === START || (commit === 0n && prepare === 0n)) return KURRENT_START;
  return { commit, prepare };
}

/** Our `globalPosition` (decimal string of the prepare position) → the position where `$all` reads can start. */
export function positionOfGlobalPosition(globalPosition: string): Position {
  if (!/^\d+$/.test(globalPosition)) throw new Error(`Invalid KurrentDB global position "${globalPosition}": expected a decimal prepare position`);
  const p = BigInt(globalPosition);
  return { commit: p, prepare: p };
}

/**
 * Our expected version → KurrentDB stream state: `'any'` → ANY, `'no-stream'` and `{ exact: 0 }` → NO_STREAM,
 * `{ exact: n }` → revision `n - 1` (bigint).
 * @throws Error when `exact` is not a non-negative safe integer.
 */
export function streamStateOf(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  if (!Number.isSafeInteger(expected.exact) || expected.exact < 0) throw new Error(`Invalid expected version ${String(expected.exact)}`);
  return expected.exact === 0 ? NO_STREAM : BigInt(expected.exact - 1);
}

/** KurrentDB current stream state (`'no_stream'` or the last revision) → our stream version (0 for no stream). */
export function versionOfState(state: CurrentStreamState | AppendStreamState | undefined): number {
  return typeof state === 'bigint' ? Number(state) + 1 : 0;
}

/** KurrentDB revision (0-based) → our 1-based stream position. */
export const streamPositionOf = (revision: bigint): number => Number(revision) + 1;

/**
 * Metadata as stored in a KurrentDB event: the port's metadata, the knowledge time, and KurrentDB's own
 * correlation keys (`$correlationId`, `$causationId`, read by its system projections when they are enabled).
 */
export interface StoredMetadata {
  /** Knowledge time, ISO date-time UTC with milliseconds (`2021-06-30T12:00:00.000Z`). */
  recordedAt: string;
  metadata: EventMetadata;
  $correlationId: string;
  $causationId?: string;
}

/**
 * Builds the stored metadata envelope; `recordedAt` is normalised to ISO UTC (`Date#toISOString`).
 * @throws Error when `recordedAt` is not a parseable date-time.
 */
export function wrapMetadata(metadata: EventMetadata, recordedAt: string): StoredMetadata {
  const t = Date.parse(recordedAt);
  if (Number.isNaN(t)) throw new Error(`Invalid recordedAt "${recordedAt}": expected an ISO date-time`);
  const envelope: StoredMetadata = { recordedAt: new Date(t).toISOString(), metadata, $correlationId: metadata.correlationId };
  if (metadata.causationId) envelope.$causationId = metadata.causationId;
  return envelope;
}

/**
 * Reads the stored metadata envelope back (the client hands parsed JSON, or bytes when it could not parse them).
 * @throws Error naming the event when the metadata is not an envelope written by this adapter (e.g. an event
 * appended by another tool into one of our streams).
 */
export function unwrapMetadata(raw: unknown, eventId: string): { metadata: EventMetadata; recordedAt: string } {
  const value: unknown = raw instanceof Uint8Array ? safeJson(Buffer.from(raw).toString('utf8')) : raw;
  if (typeof value === 'object' && value !== null) {
    const v = value as Partial<StoredMetadata>;
    if (typeof v.recordedAt === 'string' && !Number.isNaN(Date.parse(v.recordedAt)) && typeof v.metadata === 'object' && v.metadata !== null) {
      return { metadata: v.metadata, recordedAt: v.recordedAt };
    }
  }
  throw new Error(`KurrentDB event ${eventId}: metadata is not an ERBM envelope { recordedAt, metadata }`);
}

/** Event data back to an object (the client hands parsed JSON for JSON events, bytes otherwise). */
export function dataOf(raw: unknown, eventId: string): Record<string, unknown> {
  const value: unknown = raw instanceof Uint8Array ? safeJson(Buffer.from(raw).toString('utf8')) : raw;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`KurrentDB event ${eventId}: data is not a JSON object`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** KurrentDB system events (`$metadata`, `$>` links, `$statsCollected`…) have a type starting with `$`. */
export const isSystemEventType = (type: string): boolean => type.startsWith('$');

/**
 * Event-id index (docs/adr/0010): one small stream per event id, whose first event names the stream that owns the
 * id. It gives the port's "an id stored in another stream is a duplicate" rule, which KurrentDB does not check.
 * The index streams start with {@link EVENT_ID_INDEX_PREFIX}, outside every application's stream prefix, and the
 * adapter hides them from `readAll` and `subscribe`.
 */
export const EVENT_ID_INDEX_PREFIX = 'erbm-event-id~';
export const EVENT_ID_RESERVED_TYPE = 'erbm.EventIdReserved.v1';

/** Name of the index stream of `eventId` for the application using `streamPrefix`. */
export const eventIdIndexStream = (streamPrefix: string, eventId: string): string => `${EVENT_ID_INDEX_PREFIX}${streamPrefix}${eventId}`;

/**
 * Checks a stream prefix (the way several applications share one KurrentDB: each sees only its streams); `''`
 * means no prefix.
 * @throws Error when the prefix is a system prefix (`$…`) or would also match the event-id index streams.
 */
export function checkStreamPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (prefix.startsWith('$')) throw new Error(`Stream prefix "${prefix}" is reserved for KurrentDB system streams`);
  if (EVENT_ID_INDEX_PREFIX.startsWith(prefix) || prefix.startsWith(EVENT_ID_INDEX_PREFIX)) {
    throw new Error(`Stream prefix "${prefix}" overlaps the event-id index streams (${EVENT_ID_INDEX_PREFIX}…)`);
  }
  return prefix;
}
