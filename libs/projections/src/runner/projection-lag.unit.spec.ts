import { type EventStore, type ReadAllBatch, type RecordedEvent } from '@erbm/event-store';
import { type DataSource } from 'typeorm';
import { projectionLags } from './projection-lag';

/** A log of `n` events at checkpoints `0/1` … `0/n`, each recorded at `recordedAt(i)`, read through the port. */
function logOf(n: number, recordedAt: (i: number) => string): Pick<EventStore, 'readAll'> {
  return {
    readAll(after: string, batchSize: number): Promise<ReadAllBatch> {
      const from = Number(after.split('/')[1]);
      const events = Array.from({ length: Math.max(0, Math.min(batchSize, n - from)) }, (_, k) => ({ checkpoint: `0/${from + k + 1}`, recordedAt: recordedAt(from + k + 1) }) as RecordedEvent);
      return Promise.resolve({ events, checkpoint: events.at(-1)?.checkpoint ?? after });
    },
  };
}

const checkpoints = (rows: { name: string; checkpoint: string; updated_at: Date }[]) => ({ query: () => Promise.resolve(rows) }) as unknown as DataSource;
const now = () => Date.parse('2026-11-29T10:00:00.000Z');

describe('projectionLags through the port (KurrentDB)', () => {
  it('is 0 events and 0 s when caught up, else counts the events after the checkpoint up to the cap', async () => {
    const store = logOf(2500, () => '2026-11-29T09:59:00.000Z') as EventStore;
    const db = checkpoints([
      { name: 'bilan', checkpoint: '0/2500', updated_at: new Date('2026-11-29T09:00:00.000Z') },
      { name: 'identity', checkpoint: '0/100', updated_at: new Date('2026-11-29T09:00:00.000Z') },
      { name: 'slow', checkpoint: '0/0', updated_at: new Date('2026-11-29T09:00:00.000Z') },
    ]);
    expect(await projectionLags(db, store, { eventsInDatabase: false, cap: 2000, now })).toEqual([
      { projection: 'bilan', events: 0, seconds: 0 },
      { projection: 'identity', events: 2000, seconds: 60 },
      { projection: 'slow', events: 2000, seconds: 60 },
    ]);
    expect((await projectionLags(db, store, { eventsInDatabase: false, now }))[1].events).toBe(2400);
  });

  it('counts the seconds from the later of the oldest pending event and the last batch (backfilled events)', async () => {
    const store = logOf(10, () => '2019-06-30T12:00:00.000Z') as EventStore;
    const db = checkpoints([{ name: 'bilan', checkpoint: '0/4', updated_at: new Date('2026-11-29T09:59:30.000Z') }]);
    expect(await projectionLags(db, store, { eventsInDatabase: false, now })).toEqual([{ projection: 'bilan', events: 6, seconds: 30 }]);
  });
});
