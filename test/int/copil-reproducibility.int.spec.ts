import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor, parseImportLines } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { type BilanReport, bilanFigureValue, buildBilan, figureEvents } from '@erbm/reporting';
import {
  SCDL_FIELDS,
  scdlCsv,
  scdlGrantFacts,
  toScdlRows,
  validateScdl,
} from '@erbm/opendata';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { fixedClock, systemClock } from '@erbm/shared';
import { cmd, energy, freshDatabase, logReadable, seedReference } from '@erbm/test-support';
import { parse } from 'csv-parse/sync';
import { type DataSource } from 'typeorm';

const ROOT = join(__dirname, '../..');
const COPIL = { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' };
const SIA = 'bailleur:SIA_HABITAT';
const MC = 'bailleur:MAISONS_ET_CITES';
const people = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });

/** Every figure of the report: its drill-down total equals the figure (money in cents; averages to 0.1). */
async function expectDrillDownsAddUp(db: DataSource, store: PostgresEventStore, report: BilanReport, q: { asOf: string; knownAt?: string }): Promise<number> {
  const keys = Object.keys(report.figures ?? {});
  const mismatches: string[] = [];
  for (const key of keys) {
    const drill = await figureEvents(db, store, key, q);
    const value = bilanFigureValue(report, key);
    if (!drill || value === null) {
      if (!(key.startsWith('energy.average') && value === null)) mismatches.push(`${key}: no drill-down or value`);
      continue;
    }
    const total = key.startsWith('energy.average') ? Math.round(drill.total * 10) / 10 : drill.total;
    if (total !== value) mismatches.push(`${key}: events ${total} ≠ figure ${value}`);
    if (drill.events.some((e) => e.type === 'unknown')) mismatches.push(`${key}: an event was not found`);
  }
  expect(mismatches).toEqual([]);
  return keys.length;
}

/**
 * The bilan for the COPIL of 16 January 2023 (asOf 2022-12-31, knownAt 2023-01-16T00:00:00Z) comes out byte for
 * byte the same after corrections recorded since, and after replaying the projection from scratch; the report as
 * known now shows the corrections. Each figure's drill-down adds up to it. The SCDL export is valid.
 */
describe('COPIL report reproducibility', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  const run = (type: string, data: Record<string, unknown>, org: string, knownAt: string) => ex.execute(cmd(type, data, org, { knownAt }));
  const project = async () => {
    const r = new ProjectionRunner(db, store, bilanProjection);
    await r.prepare();
    await logReadable(db);
    await r.catchUp();
  };

  let copil: string;

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_copil');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
    await seedReference(ex);
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p1', deliveredOn: '2020-06-30', logements: 60, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, SIA, '2020-07-31T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p2', deliveredOn: '2021-03-31', logements: 40, energyBefore: energy(300, 'E'), energyAfter: energy(150, 'C') }, SIA, '2021-04-30T00:00:00Z');
    await run('operation.StartPhase', { operationId: 'op-parc', phase: 'terminee', startedOn: '2021-06-30' }, SIA, '2021-07-31T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 30, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, MC, '2022-06-15T00:00:00Z');
    const grant = (grantId: string, financerCode: string, amountCents: number, conventionDate: string, operationId = 'op-parc') =>
      run('funding.DecideGrant', { grantId, financerCode, operationId, beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents, conventionDate, decisionRef: `DEC-${grantId}` }, `financer:${financerCode}`, `${conventionDate}T12:00:00Z`);
    await grant('g-etat', 'ETAT', 100_000_000, '2018-05-01');
    await grant('g-region', 'REGION_HDF', 25_000_000, '2018-06-01');
    await grant('g-call', 'CALL', 10_000_000, '2018-07-01');
    await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v1', paidOn: '2019-01-15', amountCents: 40_000_000 }, 'financer:ETAT', '2019-02-01T00:00:00Z');
    await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v2', paidOn: '2020-01-15', amountCents: 30_000_000 }, 'financer:ETAT', '2020-02-01T00:00:00Z');
    await run('funding.AmendGrant', { grantId: 'g-region', amountCents: 30_000_000, amendedOn: '2020-01-10', reason: 'avenant' }, 'financer:REGION_HDF', '2020-02-01T00:00:00Z');
    await run('funding.RecordGrantPayment', { grantId: 'g-call', paymentId: 'v1', paidOn: '2019-03-01', amountCents: 2_000_000 }, 'financer:CALL', '2019-04-01T00:00:00Z');
    await run('funding.CancelGrant', { grantId: 'g-call', cancelledOn: '2021-01-01', reason: 'reprise par la Région' }, 'financer:CALL', '2021-02-01T00:00:00Z');
    await run('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 1200, participants: people(2, 1), recruitments: people(1, 1) }, SIA, '2020-07-15T00:00:00Z');
    await run('insertion.DeclareInsertionHours', { declarationId: 'i2', operationId: null, epciCode: 'CAHC', marcheRef: 'M-2', periodStart: '2021-01-01', periodEnd: '2021-03-31', hours: 800, participants: people(3, 0), recruitments: people(0, 0) }, 'epci:CAHC', '2021-04-15T00:00:00Z');
    await project();
    // The report the COPIL of 16 Jan 2023 got, before anything below was recorded.
    copil = JSON.stringify(await buildBilan(db, COPIL));
    // Corrections and late reports, all recorded after 2023-01-16 but dated in 2022 (business dates ≤ asOf).
    await run('operation.CorrectLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 25, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C'), reason: 'double comptage' }, MC, '2023-02-01T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd2', deliveredOn: '2022-12-20', logements: 10, energyBefore: energy(330, 'E'), energyAfter: energy(110, 'C') }, MC, '2023-01-25T00:00:00Z');
    await run('operation.StartPhase', { operationId: 'op-darcy', phase: 'livraisons', startedOn: '2022-12-01' }, MC, '2023-02-15T00:00:00Z');
    await run('funding.AmendGrant', { grantId: 'g-etat', amountCents: 110_000_000, amendedOn: '2022-11-30', reason: 'avenant tardif' }, 'financer:ETAT', '2023-02-10T00:00:00Z');
    await run('funding.RecordGrantPayment', { grantId: 'g-region', paymentId: 'v1', paidOn: '2022-12-15', amountCents: 5_000_000 }, 'financer:REGION_HDF', '2023-01-20T00:00:00Z');
    await run('insertion.CorrectInsertionDeclaration', { declarationId: 'i1', hours: 1150, participants: people(2, 1), recruitments: people(1, 1), reason: 'heures comptées deux fois' }, SIA, '2023-03-01T00:00:00Z');
    await project();
  });
  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('builds the COPIL report with no generation timestamp and a drill-down link for every figure', async () => {
    const report = await buildBilan(db, COPIL);
    expect(report.knownAt).toBe(COPIL.knownAt);
    expect(report.logements.delivered).toBe(130);
    expect(copil).not.toMatch(/generatedAt|createdAt|"now"/);
    expect(report.figures?.['logements.byEpci.CALL']).toBe('/reports/bilan/figures/logements.byEpci.CALL/events?asOf=2022-12-31&knownAt=2023-01-16T00%3A00%3A00.000Z');
    expect(await expectDrillDownsAddUp(db, store, report, COPIL)).toBeGreaterThan(40);
  });

  it('comes out byte-identical after corrections recorded after the COPIL, and as known now shows them', async () => {
    expect(JSON.stringify(await buildBilan(db, COPIL))).toBe(copil);

    const now = await buildBilan(db, { asOf: COPIL.asOf });
    expect(now.logements.delivered).toBe(135); // 60 + 40 + 25 + 10
    expect(now.subsidies.decided.cents).toBe(100_000_000 + 10_000_000 + 30_000_000 + 2_000_000);
    expect(now.subsidies.paid.cents).toBe(40_000_000 + 30_000_000 + 2_000_000 + 5_000_000);
    expect(now.insertion.programmeHours).toBe(1950);
    expect(JSON.stringify(now)).not.toBe(copil);
    await expectDrillDownsAddUp(db, store, now, { asOf: COPIL.asOf });
  });

  it('shows a correction as a minus row and a plus row in the drill-down', async () => {
    const drill = await figureEvents(db, store, 'logements.byEpci.CAHC', { asOf: COPIL.asOf });
    expect(drill?.events.map((e) => [e.type, e.contribution])).toEqual([
      ['operation.LogementsDelivered.v1', 30],
      ['operation.LogementsDeliveryCorrected.v1', -30],
      ['operation.LogementsDeliveryCorrected.v1', 25],
      ['operation.LogementsDelivered.v1', 10],
    ]);
    expect(drill?.events[1]).toMatchObject({ seq: 0, businessDate: '2022-05-15', recordedAt: '2023-02-01T00:00:00.000Z', streamId: 'operation-op-darcy', actor: { organisation: MC } });
    const atCopil = await figureEvents(db, store, 'logements.byEpci.CAHC', COPIL);
    expect(atCopil?.events.map((e) => e.contribution)).toEqual([30]);
  });

  it('gives the same report after replaying the projection from scratch', async () => {
    const now = JSON.stringify(await buildBilan(db, { asOf: COPIL.asOf }));
    const rebuilt = new ProjectionRunner(db, store, { ...bilanProjection, version: bilanProjection.version + 1 });
    expect(await rebuilt.prepare()).toBe('rebuilt');
    await rebuilt.catchUp();
    expect(JSON.stringify(await buildBilan(db, COPIL))).toBe(copil);
    expect(JSON.stringify(await buildBilan(db, { asOf: COPIL.asOf }))).toBe(now);
    const back = new ProjectionRunner(db, store, bilanProjection);
    expect(await back.prepare()).toBe('rebuilt');
    await back.catchUp();
  });

  it('exports the grants in SCDL Subventions 2.1.1 as decided by asOf, as known at knownAt', async () => {
    const sirets = { ETAT: '11000000000000', REGION_HDF: '20005376700014', CALL: '24620046800154' };
    const atCopil = toScdlRows(await scdlGrantFacts(db, COPIL), { attribuantSirets: sirets });
    const now = toScdlRows(await scdlGrantFacts(db, { asOf: COPIL.asOf }), { attribuantSirets: sirets });
    expect(validateScdl([...SCDL_FIELDS], atCopil)).toEqual([]);
    expect(validateScdl([...SCDL_FIELDS], now)).toEqual([]);
    const etat = (rows: typeof now) => rows.find((r) => r.referenceDecision === 'DEC-g-etat');
    expect(etat(atCopil)).toMatchObject({ montant: '1000000.00', conditionsVersement: 'échelonné', datesPeriodeVersement: '2019-01-15/2020-01-15', nature: 'aide en numéraire', pourcentageSubvention: '1.00' });
    expect(etat(now)?.montant).toBe('1100000.00');
    expect(atCopil.find((r) => r.referenceDecision === 'DEC-g-call')).toMatchObject({ montant: '20000.00', conditionsVersement: 'unique', datesPeriodeVersement: '2019-03-01' });
    // The CSV parses back to the same rows.
    const parsed = parse(scdlCsv(now), { columns: true, bom: true }) as Record<string, string>[];
    expect(parsed).toEqual(now);
    // Without the SIRET of the attribuants (not in our events), the only violations are the missing idAttribuant.
    const bare = toScdlRows(await scdlGrantFacts(db, COPIL));
    expect(new Set(validateScdl([...SCDL_FIELDS], bare).map((v) => `${v.field}:${v.rule}`))).toEqual(new Set(['idAttribuant:required']));
  });
});

describe('SCDL export of the ERBM reconstruction', () => {
  let db: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_scdl_reconstruction');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const ex = new CommandExecutor(store, systemClock);
    for (const l of parseImportLines(readFileSync(join(ROOT, 'data/erbm/erbm-2017-2022.jsonl'), 'utf8'), 'import', 'scdl-test')) {
      if (!('error' in l)) await ex.execute(l.envelope);
    }
    const r = new ProjectionRunner(db, store, bilanProjection);
    await r.prepare();
    await logReadable(db);
    await r.catchUp();
  }, 600_000);
  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('is valid against every constraint of the schema (but the attribuants’ SIRET, which the data lacks)', async () => {
    const grants = await scdlGrantFacts(db, { asOf: '2022-12-31' });
    const sirets = Object.fromEntries([...new Set(grants.map((g) => g.financerCode))].map((c, i) => [c, String(10_000_000_000_000 + i)]));
    const rows = toScdlRows(grants, { attribuantSirets: sirets });
    expect(rows.length).toBeGreaterThan(10);
    expect(validateScdl([...SCDL_FIELDS], rows)).toEqual([]);
    const bare = toScdlRows(grants);
    expect(new Set(validateScdl([...SCDL_FIELDS], bare).map((v) => `${v.field}:${v.rule}`))).toEqual(new Set(['idAttribuant:required']));
    const total = rows.reduce((s, r) => s + Math.round(Number(r.montant) * 100), 0);
    expect(total).toBe((await buildBilan(db, { asOf: '2022-12-31' })).subsidies.decided.cents);
  });

  it('has drill-downs that add up to the figures of the end-2022 bilan', async () => {
    const report = await buildBilan(db, { asOf: '2022-12-31' });
    await expectDrillDownsAddUp(db, store, report, { asOf: '2022-12-31' });
  });
});
