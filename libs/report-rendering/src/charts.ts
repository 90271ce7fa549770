import * as vega from 'vega';
import * as vl from 'vega-lite';
import { type TopLevelSpec } from 'vega-lite';
import { type BilanReport, L, centsToEur } from '@erbm/reporting';

/** Programme start (signature of the ERBM) and the end date of the 23 000 target: the linear trajectory. */
export const PROGRAMME_START = '2017-03-07';
export const DEFAULT_TARGET_DATE = '2027-12-31';
export const DEFAULT_TARGET = 23000;

export interface BilanCharts {
  trajectory: string;
  byEpci: string;
  subsidies: string;
  insertion: string;
  /** The forecast's fan chart (forecast-report.ts), when the bilan is rendered with its forecast (the report job). */
  fan?: string;
}

export const CHART_TITLES: Record<keyof BilanCharts, string> = {
  trajectory: L.charts.trajectory,
  byEpci: L.charts.byEpci,
  subsidies: L.charts.subsidies,
  insertion: L.charts.insertion,
  fan: L.charts.fan,
};

const FONT = 'Helvetica';
const config = { font: FONT, title: { fontSize: 13, anchor: 'start' as const }, axis: { labelFontSize: 10, titleFontSize: 10 }, legend: { labelFontSize: 10, labelLimit: 300 }, view: { stroke: null } };
// French number format (d3) for axes and labels: space as thousands separator, decimal comma.
const FR_LOCALE = { decimal: ',', thousands: ' ', grouping: [3], currency: ['', ' €'] as [string, string] };

function bars(title: string, values: { label: string; value: number }[], axisTitle: string, color: string, format = ',d'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 460,
    height: Math.max(60, values.length * 26),
    data: { values },
    encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } }, x: { field: 'value', type: 'quantitative', title: axisTitle, axis: { format } } },
    layer: [
      { mark: { type: 'bar', color } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { text: { field: 'value', type: 'quantitative', format } } },
    ],
    config,
  } as TopLevelSpec;
}

/**
 * A short French name for a chart axis: the name without the legal form that EPCI names share (« Communauté
 * d'agglomération de Lens-Liévin » → « Lens-Liévin »), the parenthesis or qualifier of financers' names dropped
 * (« État (aides à la pierre…) » → « État »).
 */
export const shortName = (name: string): string =>
  name
    .replace(/^Communauté (d['’]agglomération|de communes|urbaine)( de la | de | du | d['’]| )/i, '')
    .replace(/\s*\(.*\)\s*$/, '')
    .replace(/^(.)/, (c) => c.toUpperCase());

/** The vega-lite specs of the four charts of the bilan (data embedded, French titles, names rather than codes). */
export function bilanChartSpecs(r: BilanReport): Record<Exclude<keyof BilanCharts, 'fan'>, TopLevelSpec> {
  const target = r.logements.target ?? DEFAULT_TARGET;
  const targetDate = r.programme.targetDate ?? DEFAULT_TARGET_DATE;
  const delivered = [{ date: PROGRAMME_START, value: 0, serie: L.charts.cumul }, ...r.logements.timeline.map((t) => ({ date: `${t.month}-01`, value: t.cumulative, serie: L.charts.cumul }))];
  const trajectory = [
    { date: PROGRAMME_START, value: 0, serie: L.charts.trajectoire },
    { date: targetDate, value: target, serie: L.charts.trajectoire },
  ];
  const points = delivered.map((d, i) => ({ ...d, last: i === delivered.length - 1, step: true }));
  return {
    trajectory: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: L.charts.trajectory,
      width: 460,
      height: 220,
      data: { values: [...points, ...trajectory.map((t) => ({ ...t, last: false, step: false }))] },
      encoding: {
        x: { field: 'date', type: 'temporal', title: null, scale: { type: 'utc' }, axis: { format: '%Y', tickCount: 'year' } },
        y: { field: 'value', type: 'quantitative', title: 'Logements', axis: { format: ',d' } },
        color: { field: 'serie', type: 'nominal', title: null, scale: { domain: [L.charts.cumul, L.charts.trajectoire], range: ['#1f5f99', '#c0392b'] }, legend: { orient: 'bottom' } },
      },
      layer: [
        {
          transform: [{ filter: 'datum.step' }],
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: { strokeDash: { field: 'serie', type: 'nominal', scale: { domain: [L.charts.cumul, L.charts.trajectoire], range: [[1, 0], [6, 4]] }, legend: null } },
        },
        {
          transform: [{ filter: '!datum.step' }],
          mark: { type: 'line' },
          encoding: { strokeDash: { field: 'serie', type: 'nominal', scale: { domain: [L.charts.cumul, L.charts.trajectoire], range: [[1, 0], [6, 4]] }, legend: null } },
        },
        {
          transform: [{ filter: 'datum.last' }],
          mark: { type: 'text', align: 'right', dy: -8, fontSize: 10 },
          encoding: { text: { field: 'value', type: 'quantitative', format: ',d' } },
        },
        {
          transform: [{ filter: `datum.serie === '${L.charts.trajectoire.replace(/'/g, "\\'")}' && datum.value > 0` }],
          mark: { type: 'text', align: 'right', dy: -8, fontSize: 10 },
          encoding: { text: { field: 'value', type: 'quantitative', format: ',d' } },
        },
      ],
      config,
    } as TopLevelSpec,
    // EPCI names share a long prefix (« Communauté d'agglomération… »): the chart shows them without it, the table in full.
    byEpci: bars(L.charts.byEpci, r.logements.byEpci.map((g) => ({ label: shortName(g.label), value: g.delivered })), L.livres, '#1f5f99'),
    subsidies: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: L.charts.subsidies,
      width: 460,
      data: {
        values: r.subsidies.byFinancer.flatMap((f) => [
          { financer: shortName(f.label), kind: 'Décidé', value: Number(centsToEur(f.decided.cents)) / 1e6 },
          { financer: shortName(f.label), kind: 'Versé', value: Number(centsToEur(f.paid.cents)) / 1e6 },
        ]),
      },
      encoding: {
        y: { field: 'financer', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'kind', type: 'nominal', sort: ['Décidé', 'Versé'] },
        x: { field: 'value', type: 'quantitative', title: 'M€', axis: { format: ',.1f' } },
        color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['Décidé', 'Versé'], range: ['#1f5f99', '#7fb3d5'] }, legend: { orient: 'bottom' } },
      },
      height: { step: 18 },
      layer: [{ mark: 'bar' }, { mark: { type: 'text', align: 'left', dx: 4, fontSize: 9 }, encoding: { text: { field: 'value', type: 'quantitative', format: ',.2f' }, color: { value: '#222' } } }],
      config,
    } as TopLevelSpec,
    insertion: bars(L.charts.insertion, r.insertion.byYear.map((y) => ({ label: y.keys.year ?? '', value: y.hours })), L.heures, '#27865f'),
  };
}

/** Renders a vega-lite spec to an SVG string on the server (no canvas, no fonts needed: text stays text). */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  vega.formatLocale(FR_LOCALE);
  const view = new vega.View(vega.parse(vl.compile(spec, { logger: vega.logger(vega.None) }).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // The standard PDF fonts are WinAnsi: no narrow no-break spaces.
    return svg.replace(/[\u202f\u00a0]/g, ' ');
  } finally {
    view.finalize();
  }
}

/** The four charts of the bilan as SVG strings. */
export async function bilanCharts(r: BilanReport): Promise<BilanCharts> {
  const specs = bilanChartSpecs(r);
  return {
    trajectory: await renderVegaLite(specs.trajectory),
    byEpci: await renderVegaLite(specs.byEpci),
    subsidies: await renderVegaLite(specs.subsidies),
    insertion: await renderVegaLite(specs.insertion),
  };
}
