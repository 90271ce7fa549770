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
    // Replaying the ~2 200 commands one by one takes minutes on a loaded machine.
  }, 600_000);
  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('gives the figures of docs/forecasting.md as of 2022-12-31', async () => {
    const f = await forecastLogements(db, { asOf: '2022-12-31' }, { by: 'epci' });
    expect(f).toMatchObject({ target: 23000, endDate: '2027-12-31', delivered: 8100, currentRatePerMonth: 220.25, requiredRatePerMonth: 248.33, gapPerMonth: 28.08 });
    expect(f.trend).toEqual({ method: 'trend', ratePerMonth: 220.25, targetReachedOn: '2028-08-21', expectedByEndDate: 21315 });
    expect(f.pipeline).toMatchObject({ operations: 33, remaining: 1477, targetReachedOn: null, expectedByEndDate: 9577 });
    // The headline: the simulation (2 000 runs, seed 20170307).
    expect(f.headline.horizon.at(-1)).toEqual({ date: '2027-12-31', p10: 9129, p50: 16664, p90: 22119 });
    expect(f.headline.targetReachedOn).toEqual({ p10: '2030-11-09', p50: null, p90: null });
    expect(f.summary).toBe('Au rythme observé, 16 664 logements livrés fin 2027 (P10–P90 : 9 129 – 22 119) ; objectif de 23 000 pas atteint avant fin 2032 (médiane)');
    expect(f.checkpoint.projection).toBe('bilan');
    expect(f.assumptions.length).toBeGreaterThan(5);
    expect(f.groups.map((g) => g.key)).toEqual(['CABBALR', 'CAD', 'CAHC', 'CALL', 'CAPH', 'CAVM', 'CCCO', 'CCOM']);
    expect(f.groups.reduce((s, g) => s + g.delivered, 0)).toBe(8100);
    expect(f.groups.every((g) => g.headline.summary.startsWith('Au rythme observé'))).toBe(true);
    // Late against their own plan (revisions moving the later phases, beyond a quarter).
    expect(f.lateOperations.length).toBe(31);
  });

  it('answers a scenario beside the baseline', async () => {
    const f = await forecastLogements(db, { asOf: '2022-12-31' }, { runs: 500, scenario: { programmingPace: 0.5, slippageFactor: 0.5 } });
    expect(f.scenario!.scenario).toEqual({ programmingPace: 0.5, slippageFactor: 0.5 });
    expect(f.scenario!.horizon.at(-1)!.p50).toBeGreaterThan(f.headline.horizon.at(-1)!.p50);
    expect(f.scenario!.summary.startsWith('Dans ce scénario')).toBe(true);
  });

  it('is calibrated: backtests from five origins, each with what was known then, against one year later', async () => {
    const b = await backtest(db);
    expect(b.origins.map((o) => [o.asOf, o.realisedOn, o.realised])).toEqual([
      ['2019-12-31', '2020-12-31', 3256],
      ['2020-06-30', '2021-06-30', 4338],
      ['2020-12-31', '2021-12-31', 5457],
      ['2021-06-30', '2022-06-30', 6715],
      ['2021-12-31', '2022-12-31', 8100],
    ]);
    for (const o of b.origins) {
      expect(o.knownAt).toBe(`${o.asOf}T23:59:59.999Z`);
      expect(o.p10).toBeLessThan(o.p90);
    }
    expect(b).toMatchObject({ coverage: 1, coverageGoal: 0.6, maeP50: 375.8, maeTrend: 823.2 });
  });
});
