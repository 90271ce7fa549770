import Table from 'cli-table3';
import { type Backtest, type LogementsForecast, frInt } from '@erbm/forecasting';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });
const clean = (s: string): string => s.replace(/\u202f|\u00a0/g, ' ');

/**
 * The JSON of `erbm forecast --json` (issue #13): the headline's `horizon: [{ date, p10, p50, p90 }]`,
 * `targetReachedOn` (P10/P50/P90, null: not before `searchedUpTo`), `summary`, `assumptions`, with what it rests on
 * (asOf, knownAt, checkpoint, runs, seed), the trend baseline, the scenario, the groups and the operations at risk.
 */
export function forecastJson(f: LogementsForecast) {
  const h = f.headline;
  return {
    asOf: f.asOf,
    knownAt: f.knownAt,
    checkpoint: f.checkpoint,
    target: f.target,
    endDate: f.endDate,
    delivered: f.delivered,
    horizon: h.horizon,
    targetReachedOn: h.targetReachedOn,
    searchedUpTo: h.searchedUpTo,
    probabilityByEndDate: h.probabilityByEndDate,
    summary: f.summary,
    assumptions: f.assumptions,
    runs: h.runs,
    seed: h.seed,
    baseline: f.trend,
    committed: f.pipeline,
    scenario: f.scenario ? { scenario: f.scenario.scenario, horizon: f.scenario.horizon, targetReachedOn: f.scenario.targetReachedOn, summary: f.scenario.summary } : null,
    groups: f.groups.map((g) => ({ key: g.key, label: g.label, delivered: g.delivered, horizon: g.headline.horizon, summary: g.headline.summary })),
    lateOperations: f.lateOperations,
  };
}

/** The forecast in French for the terminal: the summary, the P10/P50/P90 per year-end, the assumptions, the risks. */
export function forecastText(f: LogementsForecast): string {
  const out: string[] = [`Prévision au ${f.asOf}${f.knownAt ? ` (connaissances au ${f.knownAt})` : ''} — checkpoint ${f.checkpoint.position}`, '', f.summary, ''];
  const t = table(['Fin d’année', 'P10', 'P50', 'P90', 'Tendance (réf.)']);
  const trendAt = (d: string) => {
    const y = Number(d.slice(0, 4)) - Number(f.asOf.slice(0, 4));
    return Math.round(f.delivered + f.trend.ratePerMonth * 12 * y);
  };
  for (const p of f.headline.horizon) t.push([p.date, frInt(p.p10), frInt(p.p50), frInt(p.p90), f.asOf.slice(5) === '12-31' ? frInt(trendAt(p.date)) : '']);
  out.push(clean(t.toString()), '', 'Hypothèses :', ...f.assumptions.map((a) => `  - ${a}`));
  if (f.scenario) out.push('', f.scenario.summary);
  if (f.groups.length) {
    out.push('', f.by === 'bailleur' ? 'Par bailleur :' : 'Par EPCI :');
    for (const g of f.groups) out.push(`  ${g.label} : ${g.headline.summary}`);
  }
  out.push('', `Opérations en retard sur leur propre planning : ${f.lateOperations.length}`);
  for (const o of f.lateOperations.slice(0, 10)) out.push(`  ${o.operationId} (${o.phase}, ${o.daysLate} j) — ${o.title}`);
  return out.join('\n');
}

/** The backtest in French: one line per origin, then the coverage and the mean absolute errors. */
export function backtestText(b: Backtest): string {
  const t = table(['Origine', 'Réalisé au', 'Réalisé', 'P10', 'P50', 'P90', 'Couvert', 'Tendance']);
  for (const o of b.origins) t.push([o.asOf, o.realisedOn, frInt(o.realised), frInt(o.p10), frInt(o.p50), frInt(o.p90), o.covered ? 'oui' : 'non', frInt(o.trend)]);
  const pct = Math.round(b.coverage * 100);
  return [
    `Calibration de la prévision : ${b.origins.length} origines, chacune avec ce qui était connu à sa date, comparée au réalisé ${b.horizonMonths} mois plus tard (${b.runs} tirages, graine ${b.seed}).`,
    clean(t.toString()),
    `Couverture P10–P90 : ${pct} % (objectif ≥ ${Math.round(b.coverageGoal * 100)} %${b.coverage >= b.coverageGoal ? ', atteint' : ', non atteint'}).`,
    `Erreur absolue moyenne : P50 ${String(b.maeP50).replace('.', ',')} logements ; tendance ${String(b.maeTrend).replace('.', ',')} logements.`,
  ].join('\n');
}
