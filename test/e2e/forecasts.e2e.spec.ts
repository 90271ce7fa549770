import { TestApi, expectProblem, expectStatus } from './support/api';
import { MAISONS, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * Forecasts on a small seeded history (docs/forecasting.md). Two operations programmed on 2019-01-15 and taken to
 * travaux, each phase started 3, 1, 0 and 1 days after its planned date (median slippage 1 day):
 * - SIA Habitat, 300 logements: 30 delivered on 2021-06-15, 60 on 2022-03-15, 60 on 2022-09-15; `livraisons`
 *   planned on 2021-01-15 never started (late);
 * - Maisons & Cités, 200 logements: 120 delivered on 2022-06-15.
 * As of 2022-12-31: 270 delivered, 240 in the last 12 months → 20 a month; 22 730 to go in 60 months → 378.83 a month.
 */
let api: TestApi;
const SIA_OP = 'op-fc-sia';
const MC_OP = 'op-fc-maisons';

const deliver = (op: string, owner: string, deliveryId: string, deliveredOn: string, logements: number) =>
  command(api, `/operations/${op}/deliveries`, owner, { deliveryId, deliveredOn, logements, energyBefore: energy(320, 'E'), energyAfter: energy(110, 'C') });

beforeAll(async () => {
  api = await TestApi.start('forecasts');
  await registerReferenceData(api);
  await logementsOperationInTravaux(api, SIA_OP, 300, SIA);
  await logementsOperationInTravaux(api, MC_OP, 200, MAISONS);
  await deliver(SIA_OP, SIA, 'liv-1', '2021-06-15', 30);
  await deliver(SIA_OP, SIA, 'liv-2', '2022-03-15', 60);
  await deliver(SIA_OP, SIA, 'liv-3', '2022-09-15', 60);
  await deliver(MC_OP, MAISONS, 'liv-1', '2022-06-15', 120);
  await api.project();
});
afterAll(() => api.close());

interface ForecastBody {
  target: number | null;
  delivered: number;
  currentRatePerMonth: number;
  requiredRatePerMonth: number | null;
  gapPerMonth: number | null;
  trend: { ratePerMonth: number; targetReachedOn: string | null; expectedByEndDate: number };
  pipeline: { slippageDays: number; operations: number; remaining: number; expectedByEndDate: number };
  headline: { seed: number; runs: number; delivered: number; horizon: { date: string; p10: number; p50: number; p90: number }[]; summary: string };
  summary: string;
  assumptions: string[];
  checkpoint: { projection: string; position: string };
  scenario: { scenario: { programmingPace: number; slippageFactor: number }; summary: string } | null;
  groups: { key: string; delivered: number; trend: { expectedByEndDate: number } }[];
  lateOperations: { operationId: string; daysLate: number; flags: { reason: string; phase: string; daysLate: number }[] }[];
}

describe('GET /forecasts/logements', () => {
  it('gives the trend, the required and current rates and the gap, with exact figures', async () => {
    const res = await api.get('/forecasts/logements?asOf=2022-12-31&by=bailleur&seed=7&runs=500', 'copil');
    expectStatus(res, 200);
    const f = res.body as ForecastBody;
    expect(f).toMatchObject({ target: 23000, delivered: 270, currentRatePerMonth: 20, requiredRatePerMonth: 378.83, gapPerMonth: 358.83 });
    // 22 730 / 20 = 1 136.5 months after 2022-12-31: 2117-08-31, then half of September (15 days).
    expect(f.trend).toEqual({ method: 'trend', ratePerMonth: 20, targetReachedOn: '2117-09-15', expectedByEndDate: 1470 });
    // Both operations are overdue on their planned deliveries: their 150 + 80 remaining logements come after asOf.
    expect(f.pipeline).toMatchObject({ slippageDays: 1, operations: 2, remaining: 230, expectedByEndDate: 500 });
    // The headline simulation: from the 270 delivered, at each year-end to 2027, P10 ≤ P50 ≤ P90.
    expect(f.headline).toMatchObject({ seed: 7, runs: 500, delivered: 270 });
    expect(f.headline.horizon.map((p) => p.date)).toEqual(['2023-12-31', '2024-12-31', '2025-12-31', '2026-12-31', '2027-12-31']);
    for (const p of f.headline.horizon) expect(p.p10 <= p.p50 && p.p50 <= p.p90 && p.p10 >= 270).toBe(true);
    expect(f.summary).toBe(f.headline.summary);
    expect(f.summary).toMatch(/^Au rythme observé, [\d ]+ logements livrés fin 2027 \(P10–P90 : [\d ]+ – [\d ]+\) ; objectif de 23 000 (atteint en|pas atteint avant)/);
    expect(f.checkpoint.projection).toBe('bilan');
    expect(f.assumptions.some((a) => a.includes('graine 7'))).toBe(true);
    expect(f.scenario).toBeNull();
    expect(f.groups.map((g) => [g.key, g.delivered, g.trend.expectedByEndDate])).toEqual([
      ['MAISONS_ET_CITES', 120, 720],
      ['SIA_HABITAT', 150, 750],
    ]);
  });

  it('is reproducible with a seed', async () => {
    const a = await api.get('/forecasts/logements?asOf=2022-12-31&seed=11&runs=200');
    const b = await api.get('/forecasts/logements?asOf=2022-12-31&seed=11&runs=200');
    expectStatus(a, 200);
    expect(b.body).toEqual(a.body);
  });

  it('shows a bailleur its own operations only', async () => {
    const res = await api.get('/forecasts/logements?asOf=2022-12-31&by=bailleur', SIA);
    expectStatus(res, 200);
    const f = res.body as ForecastBody;
    expect(f).toMatchObject({ target: null, requiredRatePerMonth: null, delivered: 150, currentRatePerMonth: 10, pipeline: { operations: 1, remaining: 150 } });
    expect(f.trend.expectedByEndDate).toBe(750);
    expect(f.groups.map((g) => g.key)).toEqual(['SIA_HABITAT']);
    expect(f.lateOperations.map((o) => o.operationId)).toEqual([SIA_OP]);
  });

  it('answers 400 problem+json naming the field on a bad date or parameter', async () => {
    const bad = await api.get('/forecasts/logements?asOf=2022-02-30');
    expectProblem(bad, 400, 'REQUEST.INVALID');
    expect(JSON.stringify(bad.body)).toContain('asOf');
    const runs = await api.get('/forecasts/logements?runs=5');
    expectStatus(runs, 400);
    expect(JSON.stringify(runs.body)).toContain('runs');
    const by = await api.get('/forecasts/logements?by=cite');
    expectStatus(by, 400);
    expect(JSON.stringify(by.body)).toContain('by');
  });

  it('needs an API key', async () => {
    expectStatus(await api.get('/forecasts/logements', null), 401);
  });

  it('answers a scenario beside the headline, and refuses one out of range', async () => {
    const res = await api.get('/forecasts/logements?asOf=2022-12-31&runs=200&programmingPace=20&slippageFactor=0.5', 'copil');
    expectStatus(res, 200);
    const f = res.body as ForecastBody;
    expect(f.scenario!.scenario).toEqual({ programmingPace: 0.2, slippageFactor: 0.5 });
    expect(f.scenario!.summary.startsWith('Dans ce scénario')).toBe(true);
    const bad = await api.get('/forecasts/logements?slippageFactor=9');
    expectStatus(bad, 400);
    expect(JSON.stringify(bad.body)).toContain('slippageFactor');
  });

  it('answers CSV with Accept: text/csv', async () => {
    const res = await api.get('/forecasts/logements?asOf=2022-12-31&runs=200', 'copil').set('Accept', 'text/csv');
    expectStatus(res, 200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text).toContain('Au rythme observé');
    expect(res.text).toContain('Date;P10;P50;P90;Tendance (référence)');
  });
});

describe('GET /forecasts/late-operations', () => {
  it('flags the operation whose livraisons phase is overdue beyond a quarter, with days late', async () => {
    const res = await api.get('/forecasts/late-operations?asOf=2022-12-31', 'copil');
    expectStatus(res, 200);
    const late = res.body as ForecastBody['lateOperations'];
    const sia = late.find((o) => o.operationId === SIA_OP)!;
    // livraisons planned on 2021-01-15, not started on 2022-12-31: 715 days; travaux started 1 day late: within a quarter.
    expect(sia.daysLate).toBe(715);
    expect(sia.flags).toEqual([expect.objectContaining({ reason: 'next-phase-overdue', phase: 'livraisons', daysLate: 715 })]);
    const before = await api.get('/forecasts/late-operations?asOf=2020-12-31', 'copil');
    expectStatus(before, 200);
    expect(before.body).toEqual([]);
  });
});

describe('GET /forecasts/logements/backtest', () => {
  it('scores the forecast of each origin, made with what was known then, against one year later', async () => {
    const res = await api.get('/forecasts/logements/backtest?runs=200');
    expectStatus(res, 200);
    const b = res.body as { origins: { asOf: string; realisedOn: string; deliveredAtOrigin: number; realised: number; p50: number }[]; coverage: number; coverageGoal: number };
    // Every fact of this history was recorded today: at the origins nothing was known yet.
    expect(b.origins.map((o) => [o.asOf, o.realisedOn, o.deliveredAtOrigin, o.realised])).toEqual([
      ['2019-12-31', '2020-12-31', 0, 0],
      ['2020-06-30', '2021-06-30', 0, 30],
      ['2020-12-31', '2021-12-31', 0, 30],
      ['2021-06-30', '2022-06-30', 0, 210],
      ['2021-12-31', '2022-12-31', 0, 270],
    ]);
    expect(b.coverageGoal).toBe(0.6);
    const one = await api.get('/forecasts/logements/backtest?origins=2021-12-31&runs=200').set('Accept', 'text/csv');
    expectStatus(one, 200);
    expect(one.text).toContain('2021-12-31');
  });

  it('refuses an origin that is not a real date', async () => {
    const res = await api.get('/forecasts/logements/backtest?origins=2021-02-30');
    expectStatus(res, 400);
    expect(JSON.stringify(res.body)).toContain('origins');
  });
});
