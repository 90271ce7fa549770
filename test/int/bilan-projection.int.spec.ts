import { CommandExecutor } from '@erbm/application';
import { PostgresEventStore, START } from '@erbm/event-store';
import { fixedClock } from '@erbm/shared';
import { cmd, energy, freshDatabase, logReadable, seedReference } from '@erbm/test-support';
import { type DataSource } from 'typeorm';
import { type Projection, ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { buildBilan, deliveredTimelineBy } from '@erbm/reporting';

describe('bilan projection on PostgreSQL', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  const sia = 'bailleur:SIA_HABITAT';
  const mc = 'bailleur:MAISONS_ET_CITES';
  const runner = (p: Projection = bilanProjection) => new ProjectionRunner(db, store, p, 7);
  const project = async () => {
    const r = runner();
    await r.prepare();
    await logReadable(db);
    return r.catchUp();
  };
  const figures = async (asOf = '2022-12-31', knownAt?: string) => {
    const b = await buildBilan(db, { asOf, knownAt });
    return {
      delivered: b.logements.delivered,
      byEpci: Object.fromEntries(b.logements.byEpci.map((g) => [g.key, g.delivered])),
      byFinancer: Object.fromEntries(b.logements.byFinancer.map((g) => [g.key, g.delivered])),
      terminees: b.operations.logements.terminees,
      enTravaux: b.operations.logements.enTravaux,
      logementsCents: b.subsidies.logementsCents,
      paidCents: b.subsidies.paid.cents,
      hours: b.insertion.programmeHours,
      logementsHours: b.insertion.logementsHours,
      recruitedRsa: b.insertion.logementsRsa,
      avgAfter: b.energy.averageAfterKwhPerM2Year,
      underGoal: b.energy.logementsUnderGoal,
    };
  };

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_projection');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
    await seedReference(ex);
    const run = (type: string, data: Record<string, unknown>, org: string, knownAt: string) => ex.execute(cmd(type, data, org, { knownAt }));
    // Parc (CALL, ERBM-subsidised, 100 planned): 60 logements in 2020, 40 in 2021, then réception.
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p1', deliveredOn: '2020-06-30', logements: 60, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, sia, '2020-07-31T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p2', deliveredOn: '2021-03-31', logements: 40, energyBefore: energy(300, 'E'), energyAfter: energy(150, 'C') }, sia, '2021-04-30T00:00:00Z');
    await run('operation.StartPhase', { operationId: 'op-parc', phase: 'terminee', startedOn: '2021-06-30' }, sia, '2021-07-31T00:00:00Z');
    // Darcy (CAHC, fonds propres, 50 planned): 30 in 2022, corrected to 25 in 2023 (knowledge time).
    await run('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 30, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, mc, '2022-06-15T00:00:00Z');
    await run('operation.CorrectLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 25, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C'), reason: 'double comptage' }, mc, '2023-02-01T00:00:00Z');
    // Grants on Parc: État 1 000 000,00 € (paid 400 000,00 €), Région 250 000,00 € amended to 300 000,00 €, CALL 100 000,00 € cancelled after 20 000,00 € paid.
    const grant = (grantId: string, financerCode: string, amountCents: number, conventionDate: string) =>
      run('funding.DecideGrant', { grantId, financerCode, operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents, conventionDate, decisionRef: null }, `financer:${financerCode}`, `${conventionDate}T12:00:00Z`);
    await grant('g-etat', 'ETAT', 100_000_000, '2018-05-01');
    await grant('g-region', 'REGION_HDF', 25_000_000, '2018-06-01');
    await grant('g-call', 'CALL', 10_000_000, '2018-07-01');
    await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v1', paidOn: '2019-01-15', amountCents: 40_000_000 }, 'financer:ETAT', '2019-02-01T00:00:00Z');
    await run('funding.AmendGrant', { grantId: 'g-region', amountCents: 30_000_000, amendedOn: '2020-01-10', reason: 'avenant' }, 'financer:REGION_HDF', '2020-02-01T00:00:00Z');
    await run('funding.RecordGrantPayment', { grantId: 'g-call', paymentId: 'v1', paidOn: '2019-03-01', amountCents: 2_000_000 }, 'financer:CALL', '2019-04-01T00:00:00Z');
    await run('funding.CancelGrant', { grantId: 'g-call', cancelledOn: '2021-01-01', reason: 'reprise par la Région' }, 'financer:CALL', '2021-02-01T00:00:00Z');
    // Insertion: 1 200 h on Parc (2 recruited, 1 RSA), 800 h outside operations.
    const people = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
    await run('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 1200, participants: people(2, 1), recruitments: people(1, 1) }, sia, '2020-07-15T00:00:00Z');
    await run('insertion.DeclareInsertionHours', { declarationId: 'i2', operationId: null, epciCode: 'CAHC', marcheRef: 'M-2', periodStart: '2021-01-01', periodEnd: '2021-03-31', hours: 800, participants: people(3, 0), recruitments: people(0, 0) }, 'epci:CAHC', '2021-04-15T00:00:00Z');
    // Projected here, so that every test starts from the projection up to date, whatever their order (each leaves it so).
    await project();
  });

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('computes the hand-computed figures as of the end of 2022', async () => {
    await project();
    expect(await figures()).toEqual({
      delivered: 125, // 60 + 40 + 25 (corrected)
      byEpci: { CALL: 100, CAHC: 25 },
      byFinancer: { ETAT: 100, REGION_HDF: 100, CALL: 100 },
      terminees: 1,
      enTravaux: 0, // Darcy is in travaux but financed on fonds propres
      logementsCents: 100_000_000 + 30_000_000 + 2_000_000, // cancelled grant keeps what was paid
      paidCents: 42_000_000,
      hours: 2000,
      logementsHours: 1200,
      recruitedRsa: 1,
      avgAfter: 120, // (60×100 + 40×150 + 25×120) / 125 = 15 000 / 125
      underGoal: 85, // 60 + 25 below 130
    });
  });

  it('answers as of an earlier business date and as known at an earlier time', async () => {
    const end2020 = await figures('2020-12-31');
    expect([end2020.delivered, end2020.terminees, end2020.logementsCents, end2020.hours]).toEqual([60, 0, 100_000_000 + 30_000_000 + 10_000_000, 1200]);
    // What the COPIL of 16 Jan 2023 knew: the correction (recorded 1 Feb 2023) was not there yet.
    expect((await figures('2022-12-31', '2023-01-16T00:00:00Z')).delivered).toBe(130);
    expect((await figures('2022-12-31', '2023-02-01T00:00:00Z')).delivered).toBe(125);
  });

  it('is idempotent under replay: applying the whole log again changes nothing', async () => {
    const before = await figures();
    await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1 WHERE name = 'bilan'`, [START]);
    expect(await runner().catchUp()).toBeGreaterThan(0);
    expect(await figures()).toEqual(before);
  });

  it('rolls back rows and checkpoint together when a batch fails, then resumes', async () => {
    const before = await figures();
    expect(Number((await db.query('SELECT count(*) AS n FROM es_events'))[0].n)).toBe(35);
    await db.query(`TRUNCATE ${bilanProjection.tables.join(', ')}`);
    await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1, events = 0 WHERE name = 'bilan'`, [START]);
    let applied = 0;
    const failing: Projection = {
      ...bilanProjection,
      async apply(m, e) {
        if (++applied === 30) throw new Error('crash in the middle of a batch');
        return bilanProjection.apply(m, e);
      },
    };
    const r = runner(failing);
    await expect(r.catchUp()).rejects.toThrow('crash');
    const checkpointAfterCrash = await r.checkpoint();
    const [{ n }] = await db.query('SELECT count(*) AS n FROM rm_operation_step');
    // 35 events in the log: 4 batches of 7 committed before the failing 5th; nothing of the 5th is visible.
    expect(Number((await db.query(`SELECT events FROM rm_projection_checkpoint WHERE name = 'bilan'`))[0].events)).toBe(28);
    expect(Number(n)).toBeGreaterThan(0);
    expect(checkpointAfterCrash).not.toBe(START);
    await runner().catchUp();
    expect(await figures()).toEqual(before);
  });

  it('rebuilds from scratch when the projection version changes', async () => {
    const before = await figures();
    const next = { ...bilanProjection, version: bilanProjection.version + 1 };
    const r = runner(next);
    expect(await r.prepare()).toBe('rebuilt');
    expect((await figures()).delivered).toBe(0);
    await r.catchUp();
    expect(await figures()).toEqual(before);
    expect(await runner().prepare()).toBe('rebuilt');
    await runner().catchUp();
  });

  it('never double-counts when two runners catch up at the same time', async () => {
    const before = await figures();
    await db.query(`TRUNCATE ${bilanProjection.tables.join(', ')}`);
    await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1, events = 0 WHERE name = 'bilan'`, [START]);
    const [a, b] = await Promise.all([runner().catchUp(), runner().catchUp()]);
    const [{ total }] = await db.query('SELECT count(*) AS total FROM es_events');
    expect(a + b).toBe(Number(total));
    expect(await figures()).toEqual(before);
  });
});

describe('progress over time by dimension', () => {
  it('gives each EPCI and financer its own cumulative trajectory', async () => {
    const url = await freshDatabase('erbm_test_timeline');
    const db = await openDatabase(url);
    const store = new PostgresEventStore({ connection: url });
    try {
      const ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
      await seedReference(ex);
      const deliver = (operationId: string, deliveryId: string, deliveredOn: string, logements: number, org: string) =>
        ex.execute(cmd('operation.RecordLogementsDelivery', { operationId, deliveryId, deliveredOn, logements, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, org));
      await deliver('op-parc', 'a', '2020-01-10', 10, 'bailleur:SIA_HABITAT');
      await deliver('op-parc', 'b', '2020-03-10', 15, 'bailleur:SIA_HABITAT');
      await deliver('op-darcy', 'c', '2020-03-20', 7, 'bailleur:MAISONS_ET_CITES');
      await ex.execute(
        cmd('funding.DecideGrant', { grantId: 'g', financerCode: 'ETAT', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 100, conventionDate: '2019-01-01', decisionRef: null }, 'financer:ETAT'),
      );
      const r = new ProjectionRunner(db, store, bilanProjection);
      await r.prepare();
      await logReadable(db);
      await r.catchUp();
      const byEpci = await deliveredTimelineBy(db, { asOf: '2020-12-31' }, 'epci');
      expect(byEpci.map((g) => [g.key, g.points.map((p) => [p.month, p.cumulative])])).toEqual([
        ['CALL', [['2020-01', 10], ['2020-03', 25]]],
        ['CAHC', [['2020-03', 7]]],
      ]);
      const byFinancer = await deliveredTimelineBy(db, { asOf: '2020-02-29' }, 'financer');
      expect(byFinancer.map((g) => [g.key, g.points.map((p) => p.cumulative)])).toEqual([['ETAT', [10]]]);
    } finally {
      await store.close();
      await db.destroy();
    }
  });
});
