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
  monteCarlo: { seed: number; runs: number; expectedByEndDate: { p10: number; p50: number; p90: number } };
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
    expect(f.monteCarlo).toMatchObject({ seed: 7, runs: 500, expectedByEndDate: { p10: 500, p50: 500, p90: 500 } });
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
});

describe('GET /forecasts/late-operations', () => {
  it('flags the operation whose livraisons phase is overdue, with days late', async () => {
    const res = await api.get('/forecasts/late-operations?asOf=2022-12-31', 'copil');
    expectStatus(res, 200);
    const late = res.body as ForecastBody['lateOperations'];
    const sia = late.find((o) => o.operationId === SIA_OP)!;
    // livraisons planned on 2021-01-15, not started on 2022-12-31: 715 days; travaux started 1 day late.
    expect(sia.daysLate).toBe(715);
    expect(sia.flags).toEqual([
      expect.objectContaining({ reason: 'current-phase-started-late', phase: 'travaux', daysLate: 1 }),
      expect.objectContaining({ reason: 'next-phase-overdue', phase: 'livraisons', daysLate: 715 }),
    ]);
    const before = await api.get('/forecasts/late-operations?asOf=2020-12-31', 'copil');
    expect((before.body as { flags: { reason: string }[] }[]).every((o) => o.flags.every((f) => f.reason === 'current-phase-started-late'))).toBe(true);
  });
});

describe('GET /forecasts/logements/backtest', () => {
  it('compares what each method forecast a year before with what was delivered', async () => {
    const res = await api.get('/forecasts/logements/backtest?forecastAsOf=2021-12-31&actualAsOf=2022-12-31&forecastKnownAt=2030-01-01T00:00:00Z&runs=200');
    expectStatus(res, 200);
    // As of 2021-12-31: 30 delivered, all in 2021 → 2.5 a month → 60 forecast by 2022-12-31; 270 delivered.
    expect(res.body).toMatchObject({ deliveredAtForecast: 30, actual: 270, deliveredInInterval: 240, trend: { forecast: 60, error: -210, relativeError: -0.875 } });
  });

  it('refuses an actualAsOf before the forecast date', async () => {
    const res = await api.get('/forecasts/logements/backtest?forecastAsOf=2022-12-31&actualAsOf=2021-12-31');
    expectStatus(res, 400);
    expect(JSON.stringify(res.body)).toContain('actualAsOf');
  });
});
