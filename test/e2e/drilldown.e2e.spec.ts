import { type CommandExecutor } from '@erbm/application';
import { COMMAND_EXECUTOR } from '@erbm/platform';
import { cmd, energy, seedReference } from '@erbm/test-support';
import { TestApi, expectProblem, expectStatus } from './support/api';

/**
 * Drill-down from the bilan's figures to the events behind them: GET /reports/bilan/figures/{key}/events. The
 * contributions add up to each figure, a correction shows as a minus and a plus row, a bailleur sees only its own
 * events, an unknown key is a 400.
 */
let api: TestApi;
const SIA = 'bailleur:SIA_HABITAT';
const MC = 'bailleur:MAISONS_ET_CITES';
const ASOF = '2022-12-31';

interface Drill {
  key: string;
  total: number;
  totalEur?: string;
  unit: string;
  events: { globalPosition: string; type: string; streamId: string; recordedAt: string; businessDate: string; actor: { organisation: string } | null; data: Record<string, unknown>; contribution: number }[];
}
interface Bilan {
  logements: { delivered: number; byEpci: { key: string; delivered: number }[]; byBailleur: { key: string; delivered: number }[] };
  operations: { logements: { enTravaux: number; terminees: number } };
  subsidies: { logementsCents: number; paid: { cents: number }; byFinancer: { financer: string; decided: { cents: number } }[] };
  insertion: { programmeHours: number };
  figures: Record<string, string>;
}

const bilan = async (query: string, org?: string): Promise<Bilan> => {
  const res = await api.get(`/reports/bilan?${query}`, org);
  expectStatus(res, 200);
  return res.body as Bilan;
};
const drill = async (path: string, org?: string): Promise<Drill> => {
  const res = await api.get(path, org);
  expectStatus(res, 200);
  return res.body as Drill;
};

beforeAll(async () => {
  api = await TestApi.start('drilldown');
  const ex = api.app.get<CommandExecutor>(COMMAND_EXECUTOR);
  await seedReference(ex);
  const run = (type: string, data: Record<string, unknown>, org: string, knownAt: string) => ex.execute(cmd(type, data, org, { knownAt }));
  await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p1', deliveredOn: '2020-06-30', logements: 60, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, SIA, '2020-07-31T00:00:00Z');
  await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p2', deliveredOn: '2021-03-31', logements: 40, energyBefore: energy(300, 'E'), energyAfter: energy(150, 'C') }, SIA, '2021-04-30T00:00:00Z');
  await run('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 30, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, MC, '2022-06-15T00:00:00Z');
  await run('operation.CorrectLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 28, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C'), reason: 'double comptage' }, MC, '2023-02-01T00:00:00Z');
  await run('funding.DecideGrant', { grantId: 'g-etat', financerCode: 'ETAT', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 100_000_000, conventionDate: '2018-05-01', decisionRef: null }, 'financer:ETAT', '2018-05-02T00:00:00Z');
  await run('funding.DecideGrant', { grantId: 'g-region', financerCode: 'REGION_HDF', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'fonds-conjoint-etat-region', axisCode: '1a', amountCents: 25_000_000, conventionDate: '2018-06-01', decisionRef: null }, 'financer:REGION_HDF', '2018-06-02T00:00:00Z');
  await run('funding.AmendGrant', { grantId: 'g-region', amountCents: 30_000_000, amendedOn: '2020-01-10', reason: 'avenant' }, 'financer:REGION_HDF', '2020-02-01T00:00:00Z');
  await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v1', paidOn: '2019-01-15', amountCents: 40_000_000 }, 'financer:ETAT', '2019-02-01T00:00:00Z');
  const people = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
  await run('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 1200, participants: people(2, 1), recruitments: people(1, 1) }, SIA, '2020-07-15T00:00:00Z');
  await run('insertion.DeclareInsertionHours', { declarationId: 'i2', operationId: null, epciCode: 'CAHC', marcheRef: 'M-2', periodStart: '2021-01-01', periodEnd: '2021-03-31', hours: 800, participants: people(3, 0), recruitments: people(0, 0) }, 'epci:CAHC', '2021-04-15T00:00:00Z');
  await api.project();
});
afterAll(() => api.close());

describe('drill-down from the bilan to the events', () => {
  it('links every figure, and the contributions of its events add up to it', async () => {
    const b = await bilan(`asOf=${ASOF}`);
    expect(b.logements.delivered).toBe(128);
    const figures: [string, number][] = [
      ['logements.delivered', b.logements.delivered],
      ['logements.byEpci.CALL', 100],
      ['logements.byEpci.CAHC', 28],
      ['logements.byBailleur.SIA_HABITAT', 100],
      ['subsidies.logementsEur', b.subsidies.logementsCents],
      ['subsidies.byFinancer.REGION_HDF.decided', 30_000_000],
      ['subsidies.paid', b.subsidies.paid.cents],
      ['insertion.programmeHours', b.insertion.programmeHours],
      ['operations.logements.enTravaux', b.operations.logements.enTravaux],
    ];
    for (const [key, value] of figures) {
      expect(b.figures[key]).toBe(`/reports/bilan/figures/${key}/events?asOf=${ASOF}`);
      const d = await drill(b.figures[key]);
      expect({ key, total: d.total, sum: d.events.reduce((s, e) => s + e.contribution, 0) }).toEqual({ key, total: value, sum: value });
    }
    const regions = await drill(b.figures['subsidies.byFinancer.REGION_HDF.decided']);
    expect(regions).toMatchObject({ unit: 'cents', totalEur: '300000.00' });
    expect(regions.events.map((e) => [e.type, e.contribution, e.businessDate])).toEqual([
      ['funding.GrantDecided.v1', 25_000_000, '2018-06-01'],
      ['funding.GrantAmended.v1', 5_000_000, '2020-01-10'],
    ]);
    expect(regions.events[0]).toMatchObject({ streamId: 'grant-g-region', recordedAt: '2018-06-02T00:00:00.000Z', actor: { organisation: 'financer:REGION_HDF' }, data: { amountCents: 25_000_000 } });
  });

  it('shows a correction as a minus row and a plus row, and only the original as known before it', async () => {
    const d = await drill(`/reports/bilan/figures/logements.byEpci.CAHC/events?asOf=${ASOF}`);
    expect(d.events.map((e) => [e.type, e.contribution])).toEqual([
      ['operation.LogementsDelivered.v1', 30],
      ['operation.LogementsDeliveryCorrected.v1', -30],
      ['operation.LogementsDeliveryCorrected.v1', 28],
    ]);
    expect(d.total).toBe(28);
    const before = await bilan(`asOf=${ASOF}&knownAt=2023-01-16T00:00:00Z`);
    expect(before.figures['logements.byEpci.CAHC']).toBe(`/reports/bilan/figures/logements.byEpci.CAHC/events?asOf=${ASOF}&knownAt=2023-01-16T00%3A00%3A00.000Z`);
    const then = await drill(before.figures['logements.byEpci.CAHC']);
    expect(then.events.map((e) => e.contribution)).toEqual([30]);
  });

  it('scopes the drill-down like the figure: a bailleur sees only its own events', async () => {
    const sia = await bilan(`asOf=${ASOF}`, SIA);
    expect(sia.logements.delivered).toBe(100);
    const d = await drill(sia.figures['logements.delivered'], SIA);
    expect(d.total).toBe(100);
    expect(new Set(d.events.map((e) => e.streamId))).toEqual(new Set(['operation-op-parc']));
    const other = await drill(`/reports/bilan/figures/logements.byEpci.CAHC/events?asOf=${ASOF}`, SIA);
    expect(other).toMatchObject({ total: 0, events: [] });
    const mc = await drill(`/reports/bilan/figures/logements.delivered/events?asOf=${ASOF}`, MC);
    expect(mc.total).toBe(28);
    const financer = await drill(`/reports/bilan/figures/logements.delivered/events?asOf=${ASOF}`, 'financer:REGION_HDF');
    expect(financer.total).toBe(100);
    // The comité de pilotage reads aggregates only: no events.
    expectProblem(await api.get(`/reports/bilan/figures/logements.delivered/events?asOf=${ASOF}`, 'copil'), 403, 'AUTH.FORBIDDEN');
  });

  it('answers 400 on an unknown figure key or a bad date, 401 without credentials', async () => {
    expectProblem(await api.get(`/reports/bilan/figures/logements.nothing/events?asOf=${ASOF}`), 400, 'REQUEST.INVALID');
    expectProblem(await api.get(`/reports/bilan/figures/unknown/events`), 400, 'REQUEST.INVALID');
    expectProblem(await api.get(`/reports/bilan/figures/logements.delivered/events?asOf=2022-02-30`), 400, 'REQUEST.INVALID');
    expect((await api.get(`/reports/bilan/figures/logements.delivered/events`, null)).status).toBe(401);
  });
});
