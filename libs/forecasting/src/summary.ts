/**
 * The forecast told in French for the comité de pilotage (issue #13): one summary sentence and the assumptions
 * written out. Pure: numbers are formatted with a space as thousands separator, dates as « mois année ».
 */
import { type ObservedHistory, type SimulationForecast } from './simulation';
import { type TrendForecast } from './forecast';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** 15200 → « 15 200 » (space as thousands separator). */
export const frInt = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
/** 2027-12-31 → « fin 2027 » when a year-end, else « 31/12/2027 ». */
export const frEnd = (d: string): string => (d.slice(5) === '12-31' ? `fin ${d.slice(0, 4)}` : `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`);
/** 2031-03-14 → « mars 2031 ». */
export const frMonth = (d: string): string => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
/** 2022-12-31 → « 31/12/2022 ». */
const frDate = (d: string): string => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

function medianOf(v: number[]): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * « Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800) ; objectif de 23 000 atteint en
 * mars 2031 (médiane) » — or « … pas atteint avant fin 2032 (médiane) » when the median run does not reach it by
 * the last date searched. Without a target (a group, a scoped caller), the first part only.
 */
export function summarySentence(sim: SimulationForecast, target: number | null, endDate: string, lead = 'Au rythme observé'): string {
  const end = sim.horizon.find((p) => p.date === endDate) ?? sim.horizon.at(-1);
  const first = end ? `${lead}, ${frInt(end.p50)} logements livrés ${frEnd(end.date)} (P10–P90 : ${frInt(end.p10)} – ${frInt(end.p90)})` : `${lead}, ${frInt(sim.delivered)} logements livrés`;
  if (target === null) return first;
  const reached = sim.targetReachedOn.p50;
  const second = reached
    ? `objectif de ${frInt(target)} atteint en ${frMonth(reached)} (médiane)`
    : `objectif de ${frInt(target)} pas atteint avant ${frEnd(sim.searchedUpTo)} (médiane)`;
  return `${first} ; ${second}`;
}

const PHASE_FR: Record<string, string> = { programmation: 'programmation', etudes: 'études', avp: 'AVP', autorisation: 'autorisation', travaux: 'travaux' };

/**
 * The assumptions of the simulation, written out from the history it drew from (one sentence each), then what the
 * answer rests on (date, knowledge time, checkpoint, runs and seed) and the baseline.
 */
export function assumptionsOf(
  h: ObservedHistory,
  sim: SimulationForecast,
  ctx: { knownAt: string | null; checkpoint: string | null; endDate: string; target: number | null; trend: TrendForecast; committedByEndDate?: number },
): string[] {
  const durations = Object.entries(h.phaseDurations)
    .map(([p, v]) => `${PHASE_FR[p] ?? p} ${v.length ? `${frInt(medianOf(v))} j (${v.length} obs.)` : 'non observée'}`)
    .join(', ');
  const pace = ['moins de 100', '100 à 249', '250 et plus']
    .map((label, k) => `${label} logements : ${h.deliveryPace[k].length ? `${medianOf(h.deliveryPace[k]).toFixed(1).replace('.', ',')} j par logement (${h.deliveryPace[k].length} obs.)` : 'non observé'}`)
    .join(' ; ');
  const scenario = sim.scenario;
  const out = [
    `Données au ${frDate(sim.asOf)}, telles que connues ${ctx.knownAt ? `le ${ctx.knownAt}` : 'à ce jour'}${ctx.checkpoint ? ` (checkpoint ${ctx.checkpoint})` : ''} ; ${frInt(sim.delivered)} logements livrés à cette date.`,
    `Durées de phase tirées parmi celles observées jusqu’ici (médianes : ${durations}) ; une opération déjà dans une phase en sort après une durée tirée parmi celles plus longues que le temps qu’elle y a déjà passé.`,
    `Cause commune : à chaque tirage, toutes les durées et rythmes sont multipliés par l’effet d’une année observée (rapport médian des durées de phase achevées cette année-là à la médiane de leur phase : ${h.yearFactors.length ? h.yearFactors.map((y) => `${y.year} × ${String(y.factor).replace('.', ',')}`).join(', ') : 'aucune année assez observée, effet 1'}).`,
    `Rythme de livraison selon la taille de l’opération, tiré parmi les opérations observées (médianes : ${pace}).`,
    `Suspensions : ${h.suspensions} observée(s) sur ${frInt(h.operationYears)} années-opérations avant livraison ; abandons : ${h.abandonments} ; appliqués au même taux à chaque opération restant à livrer.`,
    `Logements non encore programmés : chaque année, un volume tiré parmi les volumes programmés sur 12 mois depuis le début (médiane ${frInt(medianOf(h.programmedPerYear))} logements par an), découpé en opérations de tailles observées, ${ctx.target === null ? `jusqu’au ${frDate(ctx.endDate)}` : `jusqu’à ce que l’objectif de ${frInt(ctx.target)} soit programmé (au-delà de l’échéance s’il le faut, jusqu’au ${frDate(sim.searchedUpTo)})`} ; P50 de ${frInt(sim.fromNewOperationsP50)} des logements livrés ${frEnd(ctx.endDate)} viennent de ces opérations.`,
    `Simulation : ${frInt(sim.runs)} tirages, graine ${sim.seed} ; mêmes données et même graine, même réponse. Les percentiles P10, P50 et P90 sont ceux des tirages ; « pas atteint avant ${frEnd(sim.searchedUpTo)} » signifie que moins de la moitié des tirages atteignent l’objectif à cette date.`,
  ];
  if (scenario.programmingPace !== 0 || scenario.slippageFactor !== 1) {
    out.push(
      `Scénario : rythme de programmation ${scenario.programmingPace >= 0 ? '+' : ''}${Math.round(scenario.programmingPace * 100)} %, glissements (au-delà des durées planifiées) × ${String(scenario.slippageFactor).replace('.', ',')}.`,
    );
  }
  out.push(
    `Référence : tendance linéaire des 12 derniers mois (${String(ctx.trend.ratePerMonth).replace('.', ',')} logements par mois) : ${frInt(ctx.trend.expectedByEndDate)} logements ${frEnd(ctx.endDate)}${ctx.trend.targetReachedOn ? `, objectif atteint en ${frMonth(ctx.trend.targetReachedOn)}` : ''}.`,
  );
  if (ctx.committedByEndDate !== undefined) {
    out.push(`Plancher : les seules opérations engagées (AVP ou au-delà), aux dates planifiées décalées du glissement médian, donnent ${frInt(ctx.committedByEndDate)} logements ${frEnd(ctx.endDate)}.`);
  }
  return out;
}
