/**
 * The headline forecast of logements livrés (issue #13, docs/forecasting.md §Simulation): a seeded simulation over
 * the programme's pipeline, operation by operation, plus the logements not yet programmed. Pure: no I/O, no clock;
 * the same input, seed and runs give the same answer.
 *
 * Dates are ISO dates `YYYY-MM-DD` (UTC calendar), durations days, counts logements (integers in the answer).
 *
 * What is drawn, for every run (each figure from the history as known on `asOf`):
 * - for every operation programmed and not terminée nor abandoned: the time left in its current phase (a duration
 *   drawn among the durations of that phase observed so far that are longer than the time already spent in it),
 *   then the duration of each later phase up to `livraisons`; a suspension (rate per operation-year observed, length
 *   drawn among the observed suspensions); an abandonment (rate per operation-year observed) that cancels its
 *   logements not yet delivered; its delivery pace (days per logement, drawn among the operations of its size class);
 * - the logements programmed each coming year (drawn among the 12-month totals programmed so far), cut into
 *   operations of the sizes observed, which then go through the same phases, until the programme's target is
 *   programmed (without a target: up to the end date).
 * Scenarios scale the programming pace (`programmingPace`: +0.2 = 20 % faster) and the slippage, i.e. the part of a
 * drawn phase duration beyond the median planned duration of that phase (`slippageFactor`: 0.5 = halved).
 */
import { addMonths, deliveredUpTo, mulberry32, percentile } from './forecast';

// ── day numbers (days since 1970-01-01): fast arithmetic inside the runs ─────────────────────────────────────────
const DAY = 86_400_000;
export const dayOf = (d: string): number => Math.round(Date.parse(`${d}T00:00:00Z`) / DAY);
export const dateOf = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);

/** Phases an operation goes through before delivering (REFERENCE §8 vocabulary). */
export const SIM_PHASES = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux'] as const;
/** Size classes of the delivery pace (planned logements): up to 99, 100–249, 250 and more. */
export const SIZE_CLASSES = [100, 250] as const;
const sizeClass = (n: number): number => SIZE_CLASSES.filter((b) => n >= b).length;

// ── inputs ────────────────────────────────────────────────────────────────────────────────────────────────────────
/** What the event log says of one logements operation, as of asOf and as known at knownAt. */
export interface OperationFacts {
  operationId: string;
  title: string;
  epciCode: string;
  bailleurCode: string | null;
  programmedOn: string;
  /** Planned logements in force on asOf. */
  plannedLogements: number;
  /** Phase starts by asOf, in order, `programmation` first. */
  phases: { phase: string; on: string }[];
  /** Suspensions by asOf (`to` null while suspended on asOf). */
  suspensions: { from: string; to: string | null }[];
  abandonedOn: string | null;
  /** Planned start of each phase as known on asOf (programming plan, then the revisions recorded). */
  plan: Record<string, string>;
  /** Deliveries of the operation by asOf (signed corrections included). */
  deliveries: { on: string; logements: number }[];
}

export interface SimulationInput {
  asOf: string;
  /** The programme's target (23 000), null for a group or a scoped caller. */
  target: number | null;
  /** End date of the target (2027-12-31). */
  endDate: string;
  /** Start of the programme (2017-03-07): the 12-month programming windows do not go before it. */
  programmeStart: string;
  /** Every delivery by asOf in the scope (the ledger, signed corrections included). */
  deliveries: { on: string; logements: number }[];
  operations: OperationFacts[];
}

export interface Scenario {
  /** Relative change of the programming pace: 0.2 = 20 % more logements programmed a year (default 0). */
  programmingPace?: number;
  /** Factor on the slippage beyond the planned durations: 0.5 = halved, 0 = plans held (default 1). */
  slippageFactor?: number;
}

export interface SimulationOptions extends Scenario {
  seed?: number;
  runs?: number;
  /** Last date the target date is searched up to (default: the end date + 5 years). */
  horizon?: string;
  /** Extra dates whose P10/P50/P90 are wanted (the backtest's one year later). */
  at?: string[];
}

// ── the history as known on asOf ────────────────────────────────────────────────────────────────────────────────
/** The figures the simulation draws from, derived from the operations' facts (given in the answer's assumptions). */
export interface ObservedHistory {
  /** Durations (days) of the phases completed by asOf: start of the phase → start of the next one reached. */
  phaseDurations: Record<string, number[]>;
  /** Median ratio of the phase durations ended each calendar year to their phase's median (≥ 5 phases that year). */
  yearFactors: { year: string; factor: number }[];
  /** Median planned duration (days) of each phase, from the plans (the reference of the slippage). */
  plannedDurations: Record<string, number>;
  /** Days per logement of the delivery windows observed (first → last delivery), by size class. */
  deliveryPace: number[][];
  /** Logements programmed in each 12-month window before asOf (latest first). */
  programmedPerYear: number[];
  /** Planned logements of the operations programmed so far (sizes of the new operations). */
  operationSizes: number[];
  /** Years the operations spent before their deliveries (exposure of the rates below). */
  operationYears: number;
  suspensions: number;
  suspensionDays: number[];
  abandonments: number;
}

/** Phases ended in a calendar year for its year effect to be measured. */
export const YEAR_EFFECT_MIN = 5;

function medianOf(v: number[]): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Delivered by an operation by asOf. */
const deliveredOf = (o: OperationFacts): number => o.deliveries.reduce((s, d) => s + d.logements, 0);

/** The history the simulation draws from: everything is as of asOf (facts are already cut at asOf and knownAt). */
export function observedHistory(input: SimulationInput): ObservedHistory {
  const asOf = dayOf(input.asOf);
  const phaseDurations: Record<string, number[]> = Object.fromEntries(SIM_PHASES.map((p) => [p, []]));
  const planned: Record<string, number[]> = Object.fromEntries(SIM_PHASES.map((p) => [p, []]));
  const pace: number[][] = [[], [], []];
  let operationYears = 0;
  let suspensions = 0;
  const suspensionDays: number[] = [];
  let abandonments = 0;
  const order = [...SIM_PHASES, 'livraisons', 'terminee'];
  const ended: { phase: string; year: string; days: number }[] = [];
  for (const o of input.operations) {
    const starts = [...o.phases].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase));
    for (let i = 0; i + 1 < starts.length; i++) {
      if (!(SIM_PHASES as readonly string[]).includes(starts[i].phase)) continue;
      phaseDurations[starts[i].phase].push(dayOf(starts[i + 1].on) - dayOf(starts[i].on));
      ended.push({ phase: starts[i].phase, year: starts[i + 1].on.slice(0, 4), days: dayOf(starts[i + 1].on) - dayOf(starts[i].on) });
    }
    for (let i = 0; i < SIM_PHASES.length; i++) {
      const p = SIM_PHASES[i];
      const from = p === 'programmation' ? o.programmedOn : o.plan[p];
      const next = order.slice(i + 1).find((q) => o.plan[q]);
      if (from && next) planned[p].push(dayOf(o.plan[next]) - dayOf(from));
    }
    const positive = o.deliveries.filter((d) => d.logements > 0);
    const dels = positive.map((d) => dayOf(d.on));
    // The logements after the first batch, over the days from the first batch to the last one.
    const after = deliveredOf(o) - (positive[0]?.logements ?? 0);
    if (dels.length >= 2 && after > 0) pace[sizeClass(o.plannedLogements)].push((Math.max(...dels) - Math.min(...dels)) / after);
    // Exposure: from programming to the first delivery (or asOf / the abandonment).
    const end = dels.length ? Math.min(...dels) : o.abandonedOn ? dayOf(o.abandonedOn) : asOf;
    operationYears += Math.max(0, end - dayOf(o.programmedOn)) / 365.25;
    for (const s of o.suspensions) {
      suspensions++;
      if (s.to) suspensionDays.push(dayOf(s.to) - dayOf(s.from));
    }
    if (o.abandonedOn) abandonments++;
  }
  // 12-month programming windows ending at asOf, back to the programme's start.
  const programmedPerYear: number[] = [];
  for (let k = 1; addMonths(input.asOf, -12 * k) >= addMonths(input.programmeStart, -1); k++) {
    const from = addMonths(input.asOf, -12 * k);
    const to = addMonths(input.asOf, -12 * (k - 1));
    programmedPerYear.push(input.operations.filter((o) => o.programmedOn > from && o.programmedOn <= to).reduce((s, o) => s + o.plannedLogements, 0));
  }
  // Year effects: for each calendar year with at least YEAR_EFFECT_MIN phases ended, the median ratio of their
  // durations to the median of their phase (a shared cause, such as the 2020 lockdown, slows every operation).
  const medians = Object.fromEntries(SIM_PHASES.map((p) => [p, medianOf(phaseDurations[p])]));
  const byYear = new Map<string, number[]>();
  for (const e of ended) if (medians[e.phase] > 0) byYear.set(e.year, [...(byYear.get(e.year) ?? []), e.days / medians[e.phase]]);
  const yearFactors = [...byYear.entries()]
    .filter(([, v]) => v.length >= YEAR_EFFECT_MIN)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([year, v]) => ({ year, factor: Math.round(medianOf(v) * 1000) / 1000 }));
  return {
    phaseDurations,
    yearFactors,
    plannedDurations: Object.fromEntries(SIM_PHASES.map((p) => [p, Math.round(medianOf(planned[p]))])),
    deliveryPace: pace,
    programmedPerYear,
    operationSizes: input.operations.map((o) => o.plannedLogements).filter((n) => n > 0),
    operationYears: Math.round(operationYears * 100) / 100,
    suspensions,
    suspensionDays,
    abandonments,
  };
}

// ── the runs ──────────────────────────────────────────────────────────────────────────────────────────────────────
/** A delivery window of one simulated operation: `n` logements evenly from day `from` to day `to` (inclusive). */
interface Window {
  from: number;
  to: number;
  n: number;
}

const windowAt = (w: Window, day: number): number => (day >= w.to ? w.n : day < w.from ? 0 : (w.n * (day - w.from + 1)) / (w.to - w.from + 1));

export interface SimulatedPoint {
  /** A year-end (or a requested date). */
  date: string;
  p10: number;
  p50: number;
  p90: number;
}

export interface SimulationForecast {
  method: 'simulation';
  asOf: string;
  runs: number;
  seed: number;
  scenario: Required<Scenario>;
  /** Logements livrés on asOf (the start of every run). */
  delivered: number;
  /** P10/P50/P90 of logements livrés at each year-end after asOf up to the end date (the end date included). */
  horizon: SimulatedPoint[];
  /** P10/P50/P90 on the dates asked with `at` (the backtest's). */
  at: SimulatedPoint[];
  /**
   * Date the target is reached (P10 the earliest): null when fewer runs than the percentile reach it by
   * `notBefore`, or without target.
   */
  targetReachedOn: { p10: string | null; p50: string | null; p90: string | null };
  /** Last date searched: a null percentile of `targetReachedOn` means « pas avant » this date. */
  searchedUpTo: string;
  /** Share of the runs that reach the target by the end date (0–1, 4 decimals; null without target). */
  probabilityByEndDate: number | null;
  /** Logements livrés at the end date that come from operations not yet programmed on asOf (P50). */
  fromNewOperationsP50: number;
}

export const SIM_DEFAULT_RUNS = 2000;
export const SIM_DEFAULT_SEED = 20170307;

/** Year-ends strictly after asOf up to the end date, and the end date itself. */
export function yearEnds(asOf: string, endDate: string): string[] {
  const out: string[] = [];
  for (let y = Number(asOf.slice(0, 4)); `${y}-12-31` <= endDate; y++) if (`${y}-12-31` > asOf) out.push(`${y}-12-31`);
  if (!out.includes(endDate) && endDate > asOf) out.push(endDate);
  return out;
}

/**
 * Runs the simulation. @throws RangeError when runs < 1.
 */
export function simulate(input: SimulationInput, opts: SimulationOptions = {}): SimulationForecast {
  const runs = opts.runs ?? SIM_DEFAULT_RUNS;
  if (runs < 1) throw new RangeError('runs must be at least 1');
  const seed = opts.seed ?? SIM_DEFAULT_SEED;
  const scenario = { programmingPace: opts.programmingPace ?? 0, slippageFactor: opts.slippageFactor ?? 1 };
  const rand = mulberry32(seed);
  const pick = <T>(v: T[]): T => v[Math.floor(rand() * v.length)];
  const h = observedHistory(input);
  const asOf = dayOf(input.asOf);
  const end = dayOf(input.endDate);
  const searchUpTo = dayOf(opts.horizon ?? addMonths(input.endDate, 60));
  const delivered = deliveredUpTo(input.deliveries, input.asOf);
  const dates = yearEnds(input.asOf, input.endDate);
  const at = opts.at ?? [];
  const allPace = h.deliveryPace.flat();
  const paceOf = (size: number): number => {
    const own = h.deliveryPace[sizeClass(size)];
    return own.length ? pick(own) : allPace.length ? pick(allPace) : 1.5;
  };
  const suspensionRate = h.operationYears > 0 ? h.suspensions / h.operationYears : 0;
  const abandonRate = h.operationYears > 0 ? h.abandonments / h.operationYears : 0;
  const medianSuspension = medianOf(h.suspensionDays);
  /** A drawn phase duration (days), the slippage beyond the planned duration scaled by the scenario. */
  const factors = h.yearFactors.map((y) => y.factor);
  /** The year effect of the current run (a shared cause on every operation); 1 when none was measured. */
  let runFactor = 1;
  const duration = (phase: string, longerThan = -1): number => {
    const all = h.phaseDurations[phase] ?? [];
    const plannedD = h.plannedDurations[phase] ?? 0;
    const scale = (d0: number) => {
      const d = d0 * runFactor;
      return Math.max(1, Math.round(d > plannedD ? plannedD + scenario.slippageFactor * (d - plannedD) : d));
    };
    if (!all.length) return Math.max(longerThan + 1, plannedD, 1);
    const longer = all.filter((d) => d > longerThan);
    if (longer.length) return Math.max(longerThan + 1, scale(pick(longer)));
    // Already in the phase longer than any observed: it ends some time within a typical duration from now.
    return longerThan + 1 + Math.round(rand() * scale(medianOf(all)));
  };
  /** Delivery window of an operation reaching `livraisons` on day `start` with `n` logements left. */
  const deliveries = (start: number, n: number, size: number, exposureDays: number): Window | null => {
    // Abandonment before delivering, at the observed rate per operation-year.
    if (rand() < 1 - Math.exp(-abandonRate * (exposureDays / 365.25))) return null;
    let from = start;
    if (h.suspensionDays.length && rand() < 1 - Math.exp(-suspensionRate * (exposureDays / 365.25))) from += pick(h.suspensionDays);
    from = Math.max(from, asOf + 1);
    return { from, to: from + Math.max(0, Math.round(n * paceOf(size) * runFactor)), n };
  };
  const order = [...SIM_PHASES, 'livraisons', 'terminee'];

  const live = input.operations.filter((o) => !o.abandonedOn && !o.phases.some((p) => p.phase === 'terminee'));
  const programmedSoFar = input.operations.filter((o) => !o.abandonedOn).reduce((s, o) => s + o.plannedLogements, 0);
  const totals: number[][] = dates.map(() => []);
  const atTotals: number[][] = at.map(() => []);
  const reached: number[] = [];
  const newAtEnd: number[] = [];
  for (let r = 0; r < runs; r++) {
    runFactor = factors.length ? pick(factors) : 1;
    const windows: Window[] = [];
    // 1. the operations already programmed
    for (const o of live) {
      const left = o.plannedLogements - deliveredOf(o);
      if (left <= 0) continue;
      const current = o.phases.reduce((a, b) => (order.indexOf(b.phase) > order.indexOf(a.phase) ? b : a));
      let day: number;
      if (current.phase === 'livraisons') day = asOf + 1;
      else {
        const startedOn = dayOf(current.on);
        day = startedOn + duration(current.phase, asOf - startedOn);
        for (const p of SIM_PHASES.slice(SIM_PHASES.indexOf(current.phase as (typeof SIM_PHASES)[number]) + 1)) day += duration(p);
      }
      const suspendedNow = o.suspensions.some((s) => s.to === null);
      if (suspendedNow) day += medianSuspension ? Math.round(rand() * 2 * medianSuspension) : 0;
      const w = deliveries(day, left, o.plannedLogements, current.phase === 'livraisons' ? 0 : day - asOf);
      if (w) windows.push(w);
    }
    // 2. the logements not yet programmed, year by year from asOf
    const fromExisting = windows.length;
    let programmed = programmedSoFar;
    for (let y = 0; h.programmedPerYear.length && h.operationSizes.length; y++) {
      const yearStart = dayOf(addMonths(input.asOf, 12 * y));
      // With a target, programming goes on until the target is programmed (the programme does not stop at its end
      // date while short of it), within the dates searched; without one (a group), up to the end date.
      const stop = input.target === null ? end : searchUpTo;
      if (yearStart >= stop) break;
      if (input.target !== null && programmed >= input.target) break;
      let amount = Math.round(pick(h.programmedPerYear) * (1 + scenario.programmingPace));
      if (input.target !== null) amount = Math.min(amount, input.target - programmed);
      const yearEnd = Math.min(dayOf(addMonths(input.asOf, 12 * (y + 1))), stop);
      while (amount > 0) {
        const size = Math.min(amount, pick(h.operationSizes));
        amount -= size;
        programmed += size;
        const on = yearStart + 1 + Math.floor(rand() * (yearEnd - yearStart));
        let day = on;
        for (const p of SIM_PHASES) day += duration(p);
        const w = deliveries(day, size, size, day - on);
        if (w) windows.push(w);
      }
    }
    for (let k = 0; k < dates.length; k++) {
      const d = dayOf(dates[k]);
      totals[k].push(Math.round(windows.reduce((s, w) => s + windowAt(w, d), delivered)));
    }
    for (let k = 0; k < at.length; k++) {
      const d = dayOf(at[k]);
      atTotals[k].push(Math.round(windows.reduce((s, w) => s + windowAt(w, d), delivered)));
    }
    newAtEnd.push(Math.round(windows.slice(fromExisting).reduce((s, w) => s + windowAt(w, end), 0)));
    reached.push(reachDay(delivered, windows, input.target, asOf, searchUpTo));
  }
  const range = (date: string, v: number[]): SimulatedPoint => {
    const s = [...v].sort((a, b) => a - b);
    return { date, p10: percentile(s, 0.1), p50: percentile(s, 0.5), p90: percentile(s, 0.9) };
  };
  const sortedReach = [...reached].sort((a, b) => a - b);
  const reachAt = (p: number): string | null => {
    const v = percentile(sortedReach, p);
    return Number.isFinite(v) ? dateOf(v) : null;
  };
  return {
    method: 'simulation',
    asOf: input.asOf,
    runs,
    seed,
    scenario,
    delivered,
    horizon: dates.map((d, k) => range(d, totals[k])),
    at: at.map((d, k) => range(d, atTotals[k])),
    targetReachedOn: input.target === null ? { p10: null, p50: null, p90: null } : { p10: reachAt(0.1), p50: reachAt(0.5), p90: reachAt(0.9) },
    searchedUpTo: dateOf(searchUpTo),
    probabilityByEndDate: input.target === null ? null : Math.round((reached.filter((d) => d <= end).length / runs) * 10000) / 10000,
    fromNewOperationsP50: percentile([...newAtEnd].sort((a, b) => a - b), 0.5),
  };
}

/** First day the cumulative reaches the target, Infinity when not by `upTo` (or without target). */
function reachDay(delivered: number, windows: Window[], target: number | null, asOf: number, upTo: number): number {
  if (target === null) return Infinity;
  if (delivered >= target) return asOf;
  const at = (d: number) => windows.reduce((s, w) => s + windowAt(w, d), delivered);
  if (at(upTo) < target - 1e-9) return Infinity;
  let lo = asOf + 1;
  let hi = upTo;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid) >= target - 1e-9) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
