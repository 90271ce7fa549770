import { PostgresEventStore } from '@erbm/event-store';
import {
  type AsOf,
  PROGRESS_DIMENSIONS,
  type ReadScope,
  SUBSIDY_DIMENSIONS,
  INSERTION_DIMENSIONS,
  bilanInsertion,
  bilanSubsidies,
  deliveredBy,
  deliveredTimeline,
  deliveredTimelineBy,
  deliveredTotal,
  deliveredWithFinancer,
  deliveryFigures,
  energyResults,
  insertionStats,
  operationsByPhase,
  rollups,
  subsidies,
} from '@erbm/reporting';
import { ProjectionRunner, ROLLUP_ENERGY_GOAL_KWH, bilanProjection, openDatabase } from '@erbm/projections';
import { mulberry32 } from '@erbm/forecasting';
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
 * Roll-ups must not change a figure: over generated histories (every command through the real use cases,
 * bench/generate.ts: corrections, amendments, cancellations, late knowledge), every answer read from the roll-ups
 * (`rollups.*`) equals the ledger scan (`queries/*.queries.ts`) for random (asOf, knownAt, scope, grouping) — with
 * dates on and around month boundaries and knowledge times equal to events' own, where bucket errors would show.
 */
describe('roll-up answers equal the ledger scans (property-based)', () => {
  const HISTORY = 8000;
  let db: DataSource;
  let store: PostgresEventStore;
  let knowledgeTimes: string[];
  let businessDates: string[];
  let epcis: string[];
  let bailleurs: string[];
  let financers: string[];

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_rollup_equivalence');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      // A seed other than the benchmark's; the events span 2017–2026 with a hundred operations. About a third of the
      // events (seeded draw; the generator flags them all) are estimates (`metadata.estimated`), so corrections and
      // amendments mix estimated and declared figures.
      const draw = mulberry32(33);
      const events = [...generateHistory(HISTORY, 4242)].map((e) => ({ ...e, metadata: { ...e.metadata, estimated: draw() < 0.35 } }));
      for (let i = 0; i < events.length; i += 2000) await insertEvents(c, events.slice(i, i + 2000));
    } finally {
      await c.end();
    }
    const runner = new ProjectionRunner(db, store, bilanProjection, 700);
    await runner.prepare();
    await logReadable(db);
    expect(await runner.catchUp()).toBe(HISTORY);
    const col = async (sql: string) => (await db.query<{ v: string }[]>(sql)).map((r) => r.v);
    knowledgeTimes = await col(`SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS v FROM rm_delivery_ledger
                                UNION SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM rm_grant_ledger
                                UNION SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM rm_operation_step ORDER BY 1`);
    businessDates = await col(`SELECT DISTINCT to_char(delivered_on, 'YYYY-MM-DD') AS v FROM rm_delivery_ledger
                               UNION SELECT to_char(effective_on, 'YYYY-MM-DD') FROM rm_operation_step UNION SELECT to_char(effective_on, 'YYYY-MM-DD') FROM rm_grant_ledger ORDER BY 1`);
    epcis = await col('SELECT epci_code AS v FROM rm_epci ORDER BY 1');
    bailleurs = await col('SELECT bailleur_code AS v FROM rm_bailleur ORDER BY 1');
    financers = await col(`SELECT DISTINCT financer_code AS v FROM rm_grant ORDER BY 1`);
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  const iso = (d: Date) => d.toISOString().slice(0, 10);
  /** Business dates: any day of 2016–2027, month ends and month starts, and the ledgers' own dates. */
  const asOfArb = () =>
    fc.oneof(
      fc.date({ min: new Date('2016-06-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true }).map(iso),
      fc.record({ y: fc.integer({ min: 2017, max: 2026 }), m: fc.integer({ min: 0, max: 11 }), end: fc.boolean() }).map(({ y, m, end }) => iso(new Date(Date.UTC(y, end ? m + 1 : m, end ? 0 : 1)))),
      fc.constantFrom(...businessDates),
    );
  /** Knowledge times: none (now), any instant, instants at and around month boundaries (UTC), and the events' own. */
  const knownAtArb = () =>
    fc.oneof(
      fc.constant(undefined),
      fc.date({ min: new Date('2017-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.record({ y: fc.integer({ min: 2017, max: 2026 }), m: fc.integer({ min: 0, max: 11 }), delta: fc.constantFrom(-1, 0, 1) })
        .map(({ y, m, delta }) => new Date(Date.UTC(y, m, 1) + delta).toISOString()),
      fc.constantFrom(...knowledgeTimes),
    );
  const asOf = (): fc.Arbitrary<AsOf> => fc.record({ asOf: asOfArb(), knownAt: knownAtArb() }).map((q) => (q.knownAt === undefined ? { asOf: q.asOf } : { asOf: q.asOf, knownAt: q.knownAt }));
  const scope = (): fc.Arbitrary<ReadScope | undefined> =>
    fc.oneof(
      fc.constant(undefined),
      fc.constant<ReadScope>({ kind: 'all' }),
      fc.constantFrom(...epcis).map((code): ReadScope => ({ kind: 'epci', code })),
      fc.constantFrom(...bailleurs).map((code): ReadScope => ({ kind: 'bailleur', code })),
      fc.constantFrom(...financers).map((code): ReadScope => ({ kind: 'financer', code })),
    );
  const settings = { numRuns: 100, seed: 20261129, endOnFailure: true };

  it('has roll-ups to read, with estimated parts that are neither nothing nor everything', async () => {
    for (const t of ['rm_delivery_rollup', 'rm_delivery_dpe_rollup', 'rm_operation_delivery_rollup', 'rm_grant_rollup', 'rm_insertion_rollup', 'rm_financer_delivery_rollup', 'rm_operation_phase_rollup']) {
      expect(Number((await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${t}`))[0].n)).toBeGreaterThan(10);
    }
    const parts = async (table: string, total: string) =>
      (await db.query<{ t: string; e: string }[]>(`SELECT SUM(${total}) AS t, SUM(${total}_estimated) AS e FROM ${table}`)).map((r) => [Number(r.t), Number(r.e)])[0];
    for (const [table, total] of [['rm_delivery_rollup', 'logements'], ['rm_grant_rollup', 'decided_cents'], ['rm_grant_rollup', 'paid_cents'], ['rm_insertion_rollup', 'hours'], ['rm_financer_delivery_rollup', 'logements']]) {
      const [t, e] = await parts(table, total);
      expect(e).toBeGreaterThan(t * 0.1);
      expect(e).toBeLessThan(t * 0.9);
    }
    // Phase corners are signed: some rows carry an estimated part, and it is not the whole of every row.
    const phases = await db.query<{ some: string; whole: string }[]>(
      `SELECT count(*) FILTER (WHERE operations_estimated <> 0) AS some, count(*) FILTER (WHERE operations_estimated = operations) AS whole FROM rm_operation_phase_rollup`,
    );
    expect(Number(phases[0].some)).toBeGreaterThan(10);
    expect(Number(phases[0].whole)).toBeLessThan(Number((await db.query<{ n: string }[]>('SELECT count(*) AS n FROM rm_operation_phase_rollup'))[0].n));
    // The rows of any financer are there, and count no more than the rows of every financer together.
    const any = await db.query<{ a: string; f: string }[]>(
      `SELECT SUM(logements) FILTER (WHERE financer_code = '*') AS a, SUM(logements) FILTER (WHERE financer_code <> '*') AS f FROM rm_financer_delivery_rollup`,
    );
    expect(Number(any[0].a)).toBeGreaterThan(0);
    expect(Number(any[0].a)).toBeLessThanOrEqual(Number(any[0].f));
  });

  it('logements livrés: total, by every dimension, timelines', async () => {
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), fc.constantFrom(...PROGRESS_DIMENSIONS), async (q, s, by) => {
        expect(await rollups.deliveredTotal(db, q, s)).toBe(await deliveredTotal(db, q, s));
        expect(await rollups.deliveredBy(db, q, by, s)).toEqual(await deliveredBy(db, q, by, s));
        expect(await rollups.deliveredTimeline(db, q, s)).toEqual(await deliveredTimeline(db, q, s));
        expect(await rollups.deliveredTimelineBy(db, q, by, s)).toEqual(await deliveredTimelineBy(db, q, by, s));
      }),
      settings,
    );
  }, 60_000);

  it('has late decisions: grants decided after deliveries, and a second grant of a financer dated before its first', async () => {
    const late = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM rm_grant_ledger g WHERE g.movement = 'decided'
          AND EXISTS (SELECT 1 FROM rm_delivery_ledger d WHERE d.operation_id = g.operation_id AND d.recorded_at < g.recorded_at AND d.delivered_on > g.effective_on)`,
    );
    expect(Number(late[0].n)).toBeGreaterThan(0);
    const second = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM rm_grant_ledger a JOIN rm_grant_ledger b USING (operation_id, financer_code)
        WHERE a.movement = 'decided' AND b.movement = 'decided' AND b.recorded_at > a.recorded_at AND b.effective_on < a.effective_on`,
    );
    expect(Number(second[0].n)).toBeGreaterThan(0);
  });

  it('logements livrés by financer and with any financer (late decisions, several decisions of a financer), estimated parts included', async () => {
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), async (q, s) => {
        expect(await rollups.deliveredBy(db, q, 'financer', s)).toEqual(await deliveredBy(db, q, 'financer', s));
        expect(await rollups.deliveredWithFinancer(db, q, s)).toEqual(await deliveredWithFinancer(db, q, s));
      }),
      { ...settings, numRuns: 200 },
    );
  }, 60_000);

  it('operations by phase (suspended, abandoned, late steps), estimated parts included', async () => {
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), async (q, s) => {
        expect(await rollups.operationsByPhase(db, q, s)).toEqual(await operationsByPhase(db, q, s));
      }),
      settings,
    );
  }, 60_000);

  it('energy results and the bilan’s delivery figures', async () => {
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), fc.constantFrom(ROLLUP_ENERGY_GOAL_KWH, ROLLUP_ENERGY_GOAL_KWH, 110), async (q, s, goal) => {
        expect(await rollups.energyResults(db, q, goal, s)).toEqual(await energyResults(db, q, goal, s));
        expect(await rollups.deliveryFigures(db, q, goal, s)).toEqual(await deliveryFigures(db, q, goal, s));
      }),
      settings,
    );
  }, 60_000);

  it('subsidies decided and paid, grouped and filtered', async () => {
    const filter = fc.record(
      {
        financerCategories: fc.subarray(['etat', 'region', 'epci', 'departement', 'europe', 'autre'], { minLength: 1 }),
        operationKind: fc.constantFrom<'logements' | 'urbaine'>('logements', 'urbaine'),
        fromYear: fc.integer({ min: 2016, max: 2026 }),
        toYear: fc.integer({ min: 2016, max: 2027 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), fc.subarray([...SUBSIDY_DIMENSIONS]), filter, async (q, s, groupBy, f) => {
        expect(await rollups.subsidies(db, q, groupBy, f, s)).toEqual(await subsidies(db, q, groupBy, f, s));
        expect(await rollups.bilanSubsidies(db, q, s)).toEqual(await bilanSubsidies(db, q, s));
      }),
      settings,
    );
  }, 60_000);

  it('insertion hours, participants and recruitments', async () => {
    const filter = fc.record({ operationKind: fc.constantFrom<'logements' | 'urbaine'>('logements', 'urbaine') }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(asOf(), scope(), fc.subarray([...INSERTION_DIMENSIONS]), filter, async (q, s, groupBy, f) => {
        expect(await rollups.insertionStats(db, q, groupBy, f, s)).toEqual(await insertionStats(db, q, groupBy, f, s));
        expect(await rollups.bilanInsertion(db, q, s)).toEqual(await bilanInsertion(db, q, s));
      }),
      settings,
    );
  }, 60_000);
});
