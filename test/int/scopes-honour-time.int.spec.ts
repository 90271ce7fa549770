import { CommandExecutor } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import {
  type AsOf,
  type ReadScope,
  buildBilan,
  deliveredTimelineBy,
  deliveredTotal,
  figureEvents,
  subsidies,
} from '@erbm/reporting';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { forecastLogements } from '@erbm/forecasting';
import { type Clock } from '@erbm/shared';
import { cmd, energy, freshDatabase, seedReference } from '@erbm/test-support';
import { type DataSource } from 'typeorm';

const SIA = 'bailleur:SIA_HABITAT';
const MC = 'bailleur:MAISONS_ET_CITES';
/** The knowledge time of the answers under test: everything below up to the "when" was recorded before it. */
const T = '2021-06-01T00:00:00.000Z';
const SCOPES: ReadScope[] = [
  { kind: 'financer', code: 'ETAT' },
  { kind: 'financer', code: 'REGION_HDF' },
  { kind: 'bailleur', code: 'SIA_HABITAT' },
  { kind: 'bailleur', code: 'MAISONS_ET_CITES' },
  { kind: 'epci', code: 'CALL' },
  { kind: 'epci', code: 'CAHC' },
];

/**
 * Scopes honour time (issue #9): the financer, bailleur and EPCI scopes are evaluated as of the same `asOf` and
 * `knownAt` as the figures, so an answer "as known at T" does not change when grants are recorded after T.
 */
describe('read scopes as of a date, as known at a time', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  let now = '2021-01-01T00:00:00.000Z';
  const clock: Clock = { now: () => now };
  /** The question of the first test: as of the end of 2020, as known at T. */
  const Q = { asOf: '2020-12-31', knownAt: T };
  /** Every scoped answer to Q before the later grants (taken in `beforeAll`). */
  const before = new Map<string, string>();
  let etatAsKnownAtTBefore = 0;
  /** Catches up with every event of the store (the gap-safe log read can lag for a moment on a shared server). */
  const project = async () => {
    const r = new ProjectionRunner(db, store, bilanProjection);
    await r.prepare();
    const count = async (sql: string) => Number((await db.query<{ n: string }[]>(sql))[0].n);
    for (let attempt = 0; attempt < 100; attempt++) {
      await r.catchUp();
      if ((await count(`SELECT events AS n FROM rm_projection_checkpoint WHERE name = 'bilan'`)) === (await count('SELECT count(*) AS n FROM es_events'))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the projection did not catch up with the store');
  };
  const grant = (grantId: string, financerCode: string, operationId: string, conventionDate: string) =>
    ex.execute(
      cmd('funding.DecideGrant', {
        grantId, financerCode, operationId, beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre',
        axisCode: '1a', amountCents: 10_000_000, conventionDate, decisionRef: null,
      }, `financer:${financerCode}`),
    );
  /**
   * Every answer a scoped reader gets, as JSON: the bilan, progress by EPCI with its timeline, a drill-down, subsidies,
   * a forecast. The forecast states the projection checkpoint it was read at, which moves with every event: it is
   * masked, everything else must stay the same.
   */
  const answers = async (q: AsOf, scope: ReadScope): Promise<string> => {
    const forecast = await forecastLogements(db, q, { runs: 50 }, scope);
    return JSON.stringify({
      bilan: await buildBilan(db, q, scope),
      progress: await deliveredTimelineBy(db, q, 'epci', scope),
      drill: (await figureEvents(db, store, 'logements.delivered', q, scope))?.events.map((e) => [e.globalPosition, e.contribution]),
      subsidies: await subsidies(db, q, ['financer', 'epci'], {}, scope),
      forecast,
    }).replaceAll(forecast.checkpoint.position, '<checkpoint>');
  };

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_scope_time');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    ex = new CommandExecutor(store, clock);
    // Given, recorded on 1 January 2021: the reference data, deliveries on Parc (CALL, SIA) and Darcy (CAHC, M&C),
    // the État's grant on Parc only, and insertion hours on both operations.
    await seedReference(ex);
    await ex.execute(cmd('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p1', deliveredOn: '2020-06-30', logements: 60, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, SIA));
    await ex.execute(cmd('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2020-09-30', logements: 30, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, MC));
    await grant('g-etat-parc', 'ETAT', 'op-parc', '2018-05-01');
    const people = { deld: 1, rsa: 0, jeunes: 0, rqth: 0, autres: 0 };
    await ex.execute(cmd('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 500, participants: people, recruitments: people }, SIA));
    await ex.execute(cmd('insertion.DeclareInsertionHours', { declarationId: 'i2', operationId: 'op-darcy', epciCode: 'CAHC', marcheRef: 'M-2', periodStart: '2020-01-01', periodEnd: '2020-09-30', hours: 300, participants: people, recruitments: people }, MC));
    await project();

    // The answers as known at T, taken before the later grants below.
    for (const scope of SCOPES) before.set(JSON.stringify(scope), await answers(Q, scope));
    etatAsKnownAtTBefore = await deliveredTotal(db, Q, { kind: 'financer', code: 'ETAT' });

    // When, on 1 March 2022 (after T): the État and the Région decide grants on Darcy dated 2019 and 2020, and the
    // Région one on Parc; then the projection catches up. (Recorded here, not in a test, so that the tests below hold
    // in any order.)
    now = '2022-03-01T00:00:00.000Z';
    await grant('g-etat-darcy', 'ETAT', 'op-darcy', '2019-06-01');
    await grant('g-region-darcy', 'REGION_HDF', 'op-darcy', '2020-10-15');
    await grant('g-region-parc', 'REGION_HDF', 'op-parc', '2019-02-01');
    await project();
  });

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('gives the same answers as known at T after grants recorded later', async () => {
    expect(etatAsKnownAtTBefore).toBe(60);
    // Then every scoped answer as known at T is unchanged…
    for (const scope of SCOPES) expect({ scope, answers: await answers(Q, scope) }).toEqual({ scope, answers: before.get(JSON.stringify(scope)) });
    expect(await deliveredTotal(db, Q, { kind: 'financer', code: 'ETAT' })).toBe(60);
    // …while as known now the financers' operations include the ones of their later grants.
    expect(await deliveredTotal(db, { asOf: '2020-12-31' }, { kind: 'financer', code: 'ETAT' })).toBe(90);
    expect(await deliveredTotal(db, { asOf: '2020-12-31' }, { kind: 'financer', code: 'REGION_HDF' })).toBe(90);
  });

  it('evaluates a financer’s operations as of the business date: a grant decided after asOf does not bring its operation in', async () => {
    const region = { kind: 'financer', code: 'REGION_HDF' } as const;
    // Darcy's 30 logements were delivered on 2020-09-30; the Région decided its grant on Darcy on 2020-10-15.
    expect(await deliveredTotal(db, { asOf: '2020-10-01' }, region)).toBe(60);
    expect(await deliveredTotal(db, { asOf: '2020-10-15' }, region)).toBe(90);
    const bilan = await buildBilan(db, { asOf: '2020-10-01' }, region);
    expect(bilan.logements.byEpci.map((g) => [g.key, g.delivered])).toEqual([['CALL', 60]]);
    expect(bilan.insertion.byEpci.map((r) => [r.keys.epci, r.hours])).toEqual([['CALL', 500]]);
  });
});
