import { type EventMetadata, START, compareCheckpoints } from '../event-store.port';
import {
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

const metadata: EventMetadata = {
  commandId: 'c-1',
  correlationId: 'corr-1',
  causationId: 'c-1',
  actor: { organisation: 'delegation', user: 'u', channel: 'cli' },
};

describe('KurrentDB mapping: checkpoints and positions', () => {
  it('given a $all position, when mapped to a checkpoint and back, then both positions survive as bigints', () => {
    const checkpoint = checkpointOf({ commit: 18446744073709551000n, prepare: 18446744073709551001n });
    expect(checkpoint).toBe('18446744073709551000/18446744073709551001');
    expect(readPositionOf(checkpoint)).toEqual({ commit: 18446744073709551000n, prepare: 18446744073709551001n });
  });

  it('given START, when mapped, then the read starts at the beginning of $all', () => {
    expect(readPositionOf(START)).toBe('start');
  });

  it('given two positions, when compared as checkpoints, then commit orders first, then prepare', () => {
    expect(compareCheckpoints(checkpointOf({ commit: 9n, prepare: 20n }), checkpointOf({ commit: 10n, prepare: 10n }))).toBe(-1);
    expect(compareCheckpoints(checkpointOf({ commit: 10n, prepare: 12n }), checkpointOf({ commit: 10n, prepare: 11n }))).toBe(1);
  });

  it('given a malformed checkpoint or global position, when mapped, then it throws', () => {
    expect(() => readPositionOf('12')).toThrow('Invalid checkpoint "12"');
    expect(() => positionOfGlobalPosition('12/3')).toThrow('Invalid KurrentDB global position');
    expect(positionOfGlobalPosition('42')).toEqual({ commit: 42n, prepare: 42n });
  });
});

describe('KurrentDB mapping: expected versions and revisions', () => {
  it('given our expected versions, when mapped, then no-stream and exact 0 are NO_STREAM and exact n is revision n-1', () => {
    expect(streamStateOf('any')).toBe('any');
    expect(streamStateOf('no-stream')).toBe('no_stream');
    expect(streamStateOf({ exact: 0 })).toBe('no_stream');
    expect(streamStateOf({ exact: 1 })).toBe(0n);
    expect(streamStateOf({ exact: 25 })).toBe(24n);
  });

  it('given a negative or fractional version, when mapped, then it throws', () => {
    expect(() => streamStateOf({ exact: -1 })).toThrow('Invalid expected version -1');
    expect(() => streamStateOf({ exact: 1.5 })).toThrow('Invalid expected version 1.5');
  });

  it('given the server actual state, when mapped, then no stream is version 0 and revision r is version r+1', () => {
    expect(versionOfState('no_stream')).toBe(0);
    expect(versionOfState(0n)).toBe(1);
    expect(versionOfState(41n)).toBe(42);
    expect(streamPositionOf(0n)).toBe(1);
  });
});

describe('KurrentDB mapping: metadata envelope', () => {
  it('given metadata and a knowledge time, when wrapped and unwrapped, then both come back and recordedAt is ISO UTC', () => {
    const stored = wrapMetadata(metadata, '2021-06-30T14:00:00+02:00');
    expect(stored).toEqual({ recordedAt: '2021-06-30T12:00:00.000Z', metadata, $correlationId: 'corr-1', $causationId: 'c-1' });
    expect(unwrapMetadata(JSON.parse(JSON.stringify(stored)), 'e-1')).toEqual({ metadata, recordedAt: '2021-06-30T12:00:00.000Z' });
  });

  it('given metadata stored as bytes, when unwrapped, then it is parsed', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(wrapMetadata({ ...metadata, causationId: null }, '2020-01-01T00:00:00Z')));
    expect(unwrapMetadata(bytes, 'e-2').recordedAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it('given an unparseable recordedAt or foreign metadata, when mapped, then it throws naming the event', () => {
    expect(() => wrapMetadata(metadata, 'yesterday')).toThrow('Invalid recordedAt "yesterday"');
    expect(() => unwrapMetadata({ $correlationId: 'x' }, 'e-3')).toThrow('KurrentDB event e-3: metadata is not an ERBM envelope');
    expect(() => unwrapMetadata(undefined, 'e-4')).toThrow('KurrentDB event e-4');
  });

  it('given event data as bytes or an object, when read, then an object comes back; anything else throws', () => {
    expect(dataOf(new TextEncoder().encode('{"n":1}'), 'e-5')).toEqual({ n: 1 });
    expect(dataOf({ n: 2 }, 'e-6')).toEqual({ n: 2 });
    expect(() => dataOf([1], 'e-7')).toThrow('KurrentDB event e-7: data is not a JSON object');
  });
});

describe('KurrentDB mapping: system events, prefixes and the event-id index', () => {
  it('given event types, when checked, then only $-types are system events', () => {
    expect(isSystemEventType('$metadata')).toBe(true);
    expect(isSystemEventType('$>')).toBe(true);
    expect(isSystemEventType('operation.LogementsDelivered.v1')).toBe(false);
  });

  it('given a stream prefix, when checked, then system prefixes and prefixes overlapping the index are refused', () => {
    expect(checkStreamPrefix('')).toBe('');
    expect(checkStreamPrefix('erbm-prod:')).toBe('erbm-prod:');
    expect(() => checkStreamPrefix('$erbm')).toThrow('reserved for KurrentDB system streams');
    expect(() => checkStreamPrefix('erbm-event')).toThrow('overlaps the event-id index streams');
  });

  it('given an event id, when indexed, then its index stream sits outside the application prefix', () => {
    const stream = eventIdIndexStream('t-123:', '6f1c0c1e-0000-4000-8000-000000000001');
    expect(stream).toBe('erbm-event-id~t-123:6f1c0c1e-0000-4000-8000-000000000001');
    expect(stream.startsWith('t-123:')).toBe(false);
  });
});
