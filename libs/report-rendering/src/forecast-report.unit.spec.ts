import { type LogementsForecast } from '@erbm/forecasting';
import { forecastFanSpec, forecastHtml, forecastFanChart, renderForecast } from './forecast-report';

/** A forecast as GET /forecasts/logements answers it, small: 8 245 delivered on 2022-12-31, two year-ends. */
const headline = {
  method: 'simulation' as const,
  asOf: '2022-12-31',
  runs: 2000,
  seed: 20170307,
  scenario: { programmingPace: 0, slippageFactor: 1 },
  delivered: 8245,
  horizon: [
    { date: '2023-12-31', p10: 9500, p50: 10100, p90: 11700 },
    { date: '2024-12-31', p10: 10300, p50: 11200, p90: 14400 },
  ],
  at: [],
  targetReachedOn: { p10: null, p50: null, p90: null },
  searchedUpTo: '2029-12-31',
  probabilityByEndDate: 0,
  fromNewOperationsP50: 300,
  summary: 'Au rythme observé, 11 200 logements livrés fin 2024 (P10–P90 : 10 300 – 14 400) ; objectif de 23 000 pas atteint avant fin 2029 (médiane)',
};
const forecast: LogementsForecast = {
  asOf: '2022-12-31',
  knownAt: '2023-01-31T00:00:00.000Z',
  checkpoint: { projection: 'bilan', version: 1, position: '4360/2229' },
  target: 23000,
  endDate: '2024-12-31',
  delivered: 8245,
  currentRatePerMonth: 174.92,
  requiredRatePerMonth: 614.79,
  gapPerMonth: 439.87,
  trend: { method: 'trend', ratePerMonth: 174.92, targetReachedOn: '2030-01-11', expectedByEndDate: 12443 },
  pipeline: { method: 'pipeline', slippageDays: 5, observations: 312, operations: 33, remaining: 3537, targetReachedOn: null, expectedByEndDate: 11782 },
  headline,
  summary: headline.summary,
  assumptions: ['Données au 31/12/2022 <connues>.'],
  scenario: null,
  by: null,
  groups: [],
  lateOperations: [],
  history: [
    { date: '2021-12-31', delivered: 6146 },
    { date: '2022-12-31', delivered: 8245 },
  ],
};

describe('the forecast report', () => {
  it('draws the fan: history, the P10–P90 band and P50 from asOf, the trend and the target', () => {
    const spec = JSON.stringify(forecastFanSpec(forecast));
    expect(spec).toContain('"y2":{"field":"p90"}');
    expect(spec).toContain('{"date":"2022-12-31","p10":8245,"p50":8245,"p90":8245}');
    expect(spec).toContain('{"date":"2024-12-31","value":12443,"serie":"Tendance (référence)"}');
    expect(spec).toContain('"mark":{"type":"rule"');
  });

  it('renders the fan as one SVG with its French title, and the HTML with the summary escaped values', async () => {
    const svg = await forecastFanChart(forecast);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    expect(svg).toContain('Prévision : logements livrés (P10–P50–P90), tendance et objectif');
    const html = forecastHtml(forecast, svg);
    expect(html).toContain(`<p class="summary">${forecast.summary}</p>`);
    expect(html).toContain('&lt;connues&gt;');
  });

  it('gives the same bytes for the same forecast in every format', async () => {
    for (const format of ['csv', 'xlsx', 'html', 'pdf', 'json'] as const) {
      const a = await renderForecast(forecast, format);
      expect((await renderForecast(forecast, format)).equals(a)).toBe(true);
    }
    expect((await renderForecast(forecast, 'pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await renderForecast(forecast, 'xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect((await renderForecast(forecast, 'csv')).toString('utf8')).toContain('2024-12-31;10300;11200;14400;');
  });
});
