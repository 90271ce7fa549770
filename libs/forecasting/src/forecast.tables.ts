/**
 * The forecast as French tables (issue #13): rendered identically as CSV here and by the forecast report
 * (XLSX, HTML, PDF). Counts are logements, dates ISO dates.
 */
import { monthsBetween } from './forecast';
import { type Backtest, type LogementsForecast } from './forecast.queries';

export type ForecastCell = string | number | null;

export interface ForecastTable {
  /** Sheet of the XLSX workbook (≤ 31 characters). */
  sheet: string;
  title: string;
  head: string[];
  rows: ForecastCell[][];
}

const FLAG_FR: Record<string, string> = {
  'current-phase-started-late': 'phase en cours commencée en retard',
  'next-phase-overdue': 'phase suivante attendue et non commencée',
};

/** The tables of a forecast: synthèse, trajectoire P10/P50/P90, hypothèses, scénario, groupes, opérations à risque. */
export function forecastTables(f: LogementsForecast): ForecastTable[] {
  const h = f.headline;
  const tables: ForecastTable[] = [
    {
      sheet: 'Synthèse',
      title: 'Prévision des logements livrés',
      head: ['Indicateur', 'Valeur'],
      rows: [
        ['Synthèse', f.summary],
        ['Situation au', f.asOf],
        ['Connaissances au', f.knownAt ?? 'à ce jour'],
        ['Checkpoint', f.checkpoint.position],
        ['Objectif (logements)', f.target],
        ['Échéance', f.endDate],
        ['Logements livrés', f.delivered],
        ['Rythme des 12 derniers mois (logements/mois)', f.currentRatePerMonth],
        ['Rythme nécessaire (logements/mois)', f.requiredRatePerMonth],
        ['Objectif atteint — P10', h.targetReachedOn.p10 ?? `pas avant ${h.searchedUpTo}`],
        ['Objectif atteint — P50 (médiane)', h.targetReachedOn.p50 ?? `pas avant ${h.searchedUpTo}`],
        ['Objectif atteint — P90', h.targetReachedOn.p90 ?? `pas avant ${h.searchedUpTo}`],
        ['Probabilité d’atteindre l’objectif à l’échéance', h.probabilityByEndDate],
        ['Référence : tendance à l’échéance', f.trend.expectedByEndDate],
        ['Plancher : opérations engagées à l’échéance', f.pipeline.expectedByEndDate],
        ['Tirages', h.runs],
        ['Graine', h.seed],
      ],
    },
    {
      sheet: 'Trajectoire',
      title: 'Logements livrés en fin d’année (simulation)',
      head: ['Date', 'P10', 'P50', 'P90', 'Tendance (référence)'],
      rows: h.horizon.map((p) => [p.date, p.p10, p.p50, p.p90, null]),
    },
    { sheet: 'Hypothèses', title: 'Hypothèses', head: ['Hypothèse'], rows: f.assumptions.map((a) => [a]) },
  ];
  if (f.scenario) {
    tables.push({
      sheet: 'Scénario',
      title: `Scénario : ${f.scenario.summary}`,
      head: ['Date', 'P10', 'P50', 'P90'],
      rows: f.scenario.horizon.map((p) => [p.date, p.p10, p.p50, p.p90]),
    });
  }
  if (f.groups.length) {
    const end = (g: LogementsForecast['groups'][number]) => g.headline.horizon.find((p) => p.date === f.endDate) ?? g.headline.horizon.at(-1);
    tables.push({
      sheet: f.by === 'bailleur' ? 'Par bailleur' : 'Par EPCI',
      title: f.by === 'bailleur' ? 'Prévision par bailleur' : 'Prévision par EPCI',
      head: ['Code', 'Nom', 'Livrés', `P10 ${f.endDate}`, `P50 ${f.endDate}`, `P90 ${f.endDate}`, 'Tendance', 'Synthèse'],
      rows: f.groups.map((g) => [g.key, g.label, g.delivered, end(g)?.p10 ?? null, end(g)?.p50 ?? null, end(g)?.p90 ?? null, g.trend.expectedByEndDate, g.headline.summary]),
    });
  }
  tables.push({
    sheet: 'Opérations à risque',
    title: 'Opérations en retard sur leur propre planning (révisions comprises)',
    head: ['Opération', 'Intitulé', 'EPCI', 'Bailleur', 'Phase', 'Statut', 'Jours de retard', 'Motifs'],
    rows: f.lateOperations.map((o) => [
      o.operationId,
      o.title,
      o.epciCode,
      o.bailleurCode,
      o.phase,
      o.status,
      o.daysLate,
      o.flags.map((x) => `${FLAG_FR[x.reason] ?? x.reason} : ${x.phase} prévue le ${x.plannedOn} (${x.daysLate} j)`).join(' ; '),
    ]),
  });
  // The trend at each year-end, beside the simulation (the labelled baseline).
  const trajectory = tables[1];
  for (const row of trajectory.rows) {
    const months = monthsBetween(f.asOf, row[0] as string);
    row[4] = Math.round(f.delivered + f.trend.ratePerMonth * months);
  }
  return tables;
}

/** The backtest as one table. */
export function backtestTable(b: Backtest): ForecastTable {
  return {
    sheet: 'Calibration',
    title: `Calibration : couverture P10–P90 ${Math.round(b.coverage * 100)} % (objectif ≥ ${Math.round(b.coverageGoal * 100)} %), erreur absolue moyenne P50 ${b.maeP50}, tendance ${b.maeTrend}`,
    head: ['Origine', 'Connu au', 'Réalisé au', 'Livrés à l’origine', 'Réalisé', 'P10', 'P50', 'P90', 'Couvert', 'Erreur P50', 'Tendance', 'Erreur tendance'],
    rows: b.origins.map((o) => [o.asOf, o.knownAt, o.realisedOn, o.deliveredAtOrigin, o.realised, o.p10, o.p50, o.p90, o.covered ? 'oui' : 'non', o.errorP50, o.trend, o.errorTrend]),
  };
}

const field = (s: string): string => (/[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const cell = (c: ForecastCell): string => (c === null ? '' : typeof c === 'number' ? String(c).replace('.', ',') : field(c));

/** Tables as French CSV: `;` separator, UTF-8 with BOM, CRLF, one section per table (title, header, rows, blank). */
export function tablesCsv(tables: ForecastTable[]): string {
  const lines: string[] = [];
  for (const t of tables) {
    lines.push(field(t.title));
    lines.push(t.head.map(field).join(';'));
    for (const r of t.rows) lines.push(r.map(cell).join(';'));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}
