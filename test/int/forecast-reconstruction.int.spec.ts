import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor, parseImportLines } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { backtest, forecastLogements } from '@erbm/forecasting';
import { systemClock } from '@erbm/shared';
import { freshDatabase, logReadable } from '@erbm/test-support';
import { type DataSource } from 'typeorm';

const ROOT = join(__dirname, '../..');

/** Forecasts on the ERBM 2017–2022 reconstruction as of 2022-12-31 (the worked example of docs/forecasting.md). */
describe('forecasts on the ERBM reconstruction', () => {
  let db: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_forecast_reconstruction');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const ex = new CommandExecutor(store, systemClock);
    for (const l of parseImportLines(readFileSync(join(ROOT, 'data/erbm/erbm-2017-2022.jsonl'), 'utf8'), 'import', 'forecast-test')) {
      if (!('error' in l)) await ex.execute(l.envelope);
    }
    const runner = new ProjectionRunner(db, store, bilanProjection);
    await runner.prepare();
    await logReadable(db);
    await runner.catchUp();
  });
  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('gives the figures of docs/forecasting.md as of 2022-12-31', async () => {
    const f = await forecastLogements(db, { asOf: '2022-12-31' }, { by: 'epci' });
    expect(f).toMatchObject({ target: 23000, endDate: '2027-12-31', delivered: 8245, currentRatePerMonth: 174.92, requiredRatePerMonth: 245.92, gapPerMonth: 71 });
    expect(f.trend).toEqual({ method: 'trend', ratePerMonth: 174.92, targetReachedOn: '2030-01-11', expectedByEndDate: 18740 });
    expect(f.pipeline).toMatchObject({ slippageDays: 49, observations: 312, operations: 33, remaining: 3537, targetReachedOn: null, expectedByEndDate: 11782 });
    expect(f.monteCarlo).toMatchObject({ runs: 2000, seed: 20170307, expectedByEndDate: { p10: 11745, p50: 11782, p90: 11782 }, targetReachedOn: { p10: null, p50: null, p90: null } });
    expect(f.groups.map((g) => g.key)).toEqual(['CABBALR', 'CAD', 'CAHC', 'CALL', 'CAPH', 'CAVM', 'CCCO', 'CCOM']);
    expect(f.groups.reduce((s, g) => s + g.delivered, 0)).toBe(8245);
    expect(f.lateOperations.length).toBe(76);
  });

  it('backtests the forecast made as of 2021-12-31 against 2022', async () => {
    const b = await backtest(db, { forecastAsOf: '2021-12-31', actualAsOf: '2022-12-31', forecastKnownAt: '2023-01-31T00:00:00Z' });
    expect(b).toMatchObject({ deliveredAtForecast: 6146, actual: 8245, deliveredInInterval: 2099, trend: { forecast: 8435, error: 190 }, pipeline: { forecast: 9952, error: 1707 } });
    expect(b.monteCarlo).toMatchObject({ p10: 9684, p50: 9820, p90: 9936, actualWithinP10P90: false });
  });
});
