import { PostgresEventStore } from '@erbm/event-store';
import { GetLogementsProgress, GetLogementsProgressHandler } from '@erbm/platform';
import {
  type AsOf,
  PROGRESS_DIMENSIONS,
  type ReadScope,
  deliveredBy,
  deliveredTimeline,
  deliveredTimelineBy,
  deliveredTotal,
} from '@erbm/reporting';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { freshDatabase, logReadable } from '@erbm/test-support';
import fc from 'fast-check';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
// The benchmark's history generator (bench/ is scripts, not an Nx project: no alias to import it by).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { generateHistory } from '../../bench/generate';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { insertEvents } from '../../bench/history';

/**
 * `GET /progress/logements` answers from the roll-ups and derives its total and groups from the timelines' last
 * cumulative figures: over a generated history, for random (asOf, knownAt, scope, dimension), its answer equals the
 * ledger scans `deliveredTotal`, `deliveredBy`, `deliveredTimeline` and `deliveredTimelineBy`.
 */
describe('the progress answer equals the ledger scans (property-based)', () => {
  const HISTORY = 4000;
  let db: DataSource;
  let store: PostgresEventStore;
  let businessDates: string[];
  let knowledgeTimes: string[];
  let scopes: ReadScope[];

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_progress_answer');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const events = [...generateHistory(HISTORY, 777)];
      for (let i = 0; i < events.length; i += 2000) await insertEvents(c, events.slice(i, i + 2000));
    } finally {
      await c.end();
    }
    const runner = new ProjectionRunner(db, store, bilanProjection, 1000);
    await runner.prepare();
    await logReadable(db);
    expect(await runner.catchUp()).toBe(HISTORY);
    const col = async (sql: string) => (await db.query<{ v: string }[]>(sql)).map((r) => r.v);
    businessDates = await col(`SELECT DISTINCT to_char(delivered_on, 'YYYY-MM-DD') AS v FROM rm_delivery_ledger ORDER BY 1`);
    knowledgeTimes = await col(`SELECT DISTINCT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS v FROM rm_delivery_ledger ORDER BY 1`);
    scopes = [
      { kind: 'all' },
      ...(await col('SELECT epci_code AS v FROM rm_epci ORDER BY 1')).map((code): ReadScope => ({ kind: 'epci', code })),
      ...(await col('SELECT bailleur_code AS v FROM rm_bailleur ORDER BY 1')).map((code): ReadScope => ({ kind: 'bailleur', code })),
      ...(await col('SELECT DISTINCT financer_code AS v FROM rm_grant ORDER BY 1')).map((code): ReadScope => ({ kind: 'financer', code })),
    ];
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('delivered, groups and timelines, for every dimension', async () => {
    const handler = new GetLogementsProgressHandler(db);
    const asOf = (): fc.Arbitrary<AsOf> =>
      fc
        .record({ asOf: fc.constantFrom(...businessDates, '2016-12-31', '2022-12-31', '2030-01-01'), knownAt: fc.option(fc.constantFrom(...knowledgeTimes), { nil: undefined }) })
        .map((q) => (q.knownAt === undefined ? { asOf: q.asOf } : { asOf: q.asOf, knownAt: q.knownAt }));
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(asOf(), fc.option(fc.constantFrom(...scopes), { nil: undefined }), fc.constantFrom(...PROGRESS_DIMENSIONS), async (q, s, by) => {
        const { value } = await handler.execute(new GetLogementsProgress(q, by, s));
        expect(value.delivered).toBe(await deliveredTotal(db, q, s));
        // The groups are the timelines' last figures: they carry no estimated part (ADR 0021; the bilan's groups do).
        expect(value.groups).toEqual((await deliveredBy(db, q, by, s)).map(({ deliveredEstimated: _, ...g }) => g));
        expect(value.timeline).toEqual(await deliveredTimeline(db, q, s));
        expect(value.timelineByGroup).toEqual(await deliveredTimelineBy(db, q, by, s));
        if (value.delivered > 0) nonEmpty++;
      }),
      { numRuns: 80, seed: 20261129, endOnFailure: true },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 90_000);
});
