/**
 * Forecasts of logements livrés for the comité de pilotage (issue #4, docs/forecasting.md). Pure: no I/O, no clock.
 * Dates are ISO dates `YYYY-MM-DD` (UTC calendar), counts integers, rates logements per month.
 *
 * Two simple methods:
 * 1. trend: the rate of the 12 months before `asOf`, extrapolated linearly;
 * 2. pipeline: the logements not yet delivered of the operations at AVP or later, delivered evenly between their
 *    planned start of deliveries and their planned end, both shifted by the median observed slippage;
 * The headline forecast, with its uncertainty, is the simulation of `simulation.ts`: these are its labelled
 * baselines (the trend) and the floor of what is already committed (the pipeline).
 */

// ── dates ─────────────────────────────────────────────────────────────────────────────────────────────────────────
const DAY = 86_400_000;
const ms = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

export const addDays = (d: string, n: number): string => iso(ms(d) + n * DAY);
export const daysBetween = (a: string, b: string): number => Math.round((ms(b) - ms(a)) / DAY);

/** `d` plus `n` calendar months, the day clamped to the end of the month (2022-12-31 + 2 → 2023-02-28). */
export function addMonths(d: string, n: number): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + n;
  const day = Number(d.slice(8, 10));
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate();
  // A date at the end of its month stays at the end of the month.
  const lastOfD = new Date(Date.UTC(y, Number(d.slice(5, 7)), 0)).getUTCDate();
  const dd = day === lastOfD ? last : Math.min(day, last);
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/**
 * Calendar months from `a` to `b` (b ≥ a): the whole months k with addMonths(a, k) ≤ b, plus the rest of the days
 * as a fraction of the following month. 2022-12-31 → 2027-12-31 is exactly 60.
 */
export function monthsBetween(a: string, b: string): number {
  if (b <= a) return 0;
  let k = (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + (Number(b.slice(5, 7)) - Number(a.slice(5, 7)));
  while (k > 0 && addMonths(a, k) > b) k--;
  const from = addMonths(a, k);
  const next = addMonths(a, k + 1);
  return k + daysBetween(from, b) / daysBetween(from, next);
}

/** `d` plus a fractional number of months: whole months, then the fraction of the following month in days (ceil). */
export function addFractionalMonths(d: string, months: number): string {
  const k = Math.floor(months + 1e-9);
  const from = addMonths(d, k);
  const frac = months - k;
  if (frac <= 1e-9) return from;
  return addDays(from, Math.ceil(frac * daysBetween(from, addMonths(d, k + 1)) - 1e-9));
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

// ── inputs ────────────────────────────────────────────────────────────────────────────────────────────────────────
export interface Delivery {
  on: string;
  logements: number;
}

/** An operation at AVP or later, not terminée nor abandoned, with logements still to deliver. */
export interface PipelineItem {
  operationId: string;
  phase: string;
  /** Planned logements − logements livrés so far (> 0). */
  remaining: number;
  /** Planned start of deliveries (`livraisons`), when planned. */
  plannedFrom: string | null;
  /** Planned end (`terminee`), when planned. At least one of the two is set. */
  plannedTo: string | null;
  /** Grouping keys (EPCI, bailleur). */
  epciCode?: string;
  bailleurCode?: string | null;
}

export interface ForecastInput {
  asOf: string;
  /** Target in logements (23 000), null for a group without a target of its own. */
  target: number | null;
  /** End date of the programme (2027-12-31). */
  endDate: string;
  /** Deliveries (dated, possibly negative corrections) up to asOf. */
  deliveries: Delivery[];
  pipeline: PipelineItem[];
  /** Observed slippages of the phases already started: actual − planned start, in days. */
  slippageDays: number[];
}

// ── common figures ────────────────────────────────────────────────────────────────────────────────────────────────
export const deliveredUpTo = (deliveries: Delivery[], on: string): number => deliveries.filter((d) => d.on <= on).reduce((s, d) => s + d.logements, 0);

/** Logements per month over the 12 months before asOf: deliveries in (asOf − 12 months, asOf], divided by 12. */
export function currentRate(deliveries: Delivery[], asOf: string): number {
  const from = addMonths(asOf, -12);
  return deliveries.filter((d) => d.on > from && d.on <= asOf).reduce((s, d) => s + d.logements, 0) / 12;
}

/** Monthly rate needed from asOf to reach the target on the end date: (target − delivered) / months(asOf, end). */
export function requiredRate(target: number, delivered: number, asOf: string, endDate: string): number | null {
  const months = monthsBetween(asOf, endDate);
  if (delivered >= target) return 0;
  return months > 0 ? (target - delivered) / months : null;
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0–1) of sorted numbers; Infinity stands for "not reached". */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

// ── 1. trend ──────────────────────────────────────────────────────────────────────────────────────────────────────
export interface TrendForecast {
  method: 'trend';
  /** Logements per month over the last 12 months (2 decimals). */
  ratePerMonth: number;
  /** Date the target is reached at that rate (asOf when already reached; null without target or with rate 0). */
  targetReachedOn: string | null;
  /** Logements livrés expected by the end date. */
  expectedByEndDate: number;
}

/** Logements livrés expected on `horizon` at the current rate. */
export function trendTotalAt(input: ForecastInput, horizon: string): number {
  const delivered = deliveredUpTo(input.deliveries, input.asOf);
  return Math.round(delivered + currentRate(input.deliveries, input.asOf) * monthsBetween(input.asOf, horizon));
}

export function trendForecast(input: ForecastInput): TrendForecast {
  const delivered = deliveredUpTo(input.deliveries, input.asOf);
  const rate = currentRate(input.deliveries, input.asOf);
  let reached: string | null = null;
  if (input.target !== null) {
    if (delivered >= input.target) reached = input.asOf;
    else if (rate > 0) reached = addFractionalMonths(input.asOf, (input.target - delivered) / rate);
  }
  return { method: 'trend', ratePerMonth: round2(rate), targetReachedOn: reached, expectedByEndDate: trendTotalAt(input, input.endDate) };
}

// ── 2. pipeline ───────────────────────────────────────────────────────────────────────────────────────────────────
/** An operation's expected delivery window once shifted by `delay` days, never before the day after asOf. */
export function shiftedWindow(item: PipelineItem, delay: number, asOf: string): { from: string; to: string } {
  const first = addDays(asOf, 1);
  const to0 = item.plannedTo ?? item.plannedFrom!;
  const from0 = item.plannedFrom ?? to0;
  const shiftedTo = addDays(to0, Math.round(delay));
  const shiftedFrom = addDays(from0 < to0 ? from0 : to0, Math.round(delay));
  const from = shiftedFrom > first ? shiftedFrom : first;
  const to = shiftedTo > from ? shiftedTo : from;
  return { from, to };
}

/** Logements of a window delivered by `horizon`: all of them on `to`, linearly from `from` (exclusive) to `to`. */
function deliveredOfWindow(remaining: number, w: { from: string; to: string }, horizon: string): number {
  if (horizon >= w.to) return remaining;
  if (horizon < w.from) return 0;
  const span = daysBetween(w.from, w.to);
  return span <= 0 ? remaining : (remaining * (daysBetween(w.from, horizon) + 1)) / (span + 1);
}

interface Windowed {
  remaining: number;
  w: { from: string; to: string };
}

const totalAt = (delivered: number, items: Windowed[], horizon: string): number => items.reduce((s, i) => s + deliveredOfWindow(i.remaining, i.w, horizon), delivered);

/** First day the cumulative reaches the target (binary search on days; null when the pipeline never reaches it). */
function reachDate(delivered: number, items: Windowed[], target: number | null, asOf: string): string | null {
  if (target === null) return null;
  if (delivered >= target) return asOf;
  if (!items.length) return null;
  const last = items.reduce((m, i) => (i.w.to > m ? i.w.to : m), asOf);
  if (totalAt(delivered, items, last) < target - 1e-9) return null;
  let lo = 1;
  let hi = daysBetween(asOf, last);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (totalAt(delivered, items, addDays(asOf, mid)) >= target - 1e-9) hi = mid;
    else lo = mid + 1;
  }
  return addDays(asOf, lo);
}

export interface PipelineForecast {
  method: 'pipeline';
  /** Median slippage (days) applied to every planned date. */
  slippageDays: number;
  /** Observed phase starts behind the median. */
  observations: number;
  operations: number;
  /** Logements still to deliver in the pipeline. */
  remaining: number;
  targetReachedOn: string | null;
  expectedByEndDate: number;
}

const windows = (input: ForecastInput, delayOf: (i: PipelineItem, k: number) => number): Windowed[] =>
  input.pipeline.map((item, k) => ({ remaining: item.remaining, w: shiftedWindow(item, delayOf(item, k), input.asOf) }));

/** Logements livrés expected on `horizon` by the pipeline, shifted by the median slippage. */
export function pipelineTotalAt(input: ForecastInput, horizon: string): number {
  const s = median(input.slippageDays);
  return Math.round(totalAt(deliveredUpTo(input.deliveries, input.asOf), windows(input, () => s), horizon));
}

export function pipelineForecast(input: ForecastInput): PipelineForecast {
  const s = median(input.slippageDays);
  const delivered = deliveredUpTo(input.deliveries, input.asOf);
  const items = windows(input, () => s);
  return {
    method: 'pipeline',
    slippageDays: s,
    observations: input.slippageDays.length,
    operations: input.pipeline.length,
    remaining: input.pipeline.reduce((t, i) => t + i.remaining, 0),
    targetReachedOn: reachDate(delivered, items, input.target, input.asOf),
    expectedByEndDate: Math.round(totalAt(delivered, items, input.endDate)),
  };
}

// ── seeded generator (the simulation) ─────────────────────────────────────────────────────────────────────────────
/** mulberry32: a small seeded PRNG with uniform output in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ── all together ──────────────────────────────────────────────────────────────────────────────────────────────────
export interface Forecast {
  asOf: string;
  target: number | null;
  endDate: string;
  delivered: number;
  /** Logements per month over the last 12 months. */
  currentRatePerMonth: number;
  /** Logements per month needed from asOf to reach the target on the end date (null without target). */
  requiredRatePerMonth: number | null;
  /** required − current (positive: the programme must speed up). */
  gapPerMonth: number | null;
  trend: TrendForecast;
  pipeline: PipelineForecast;
}

/** The baseline figures (trend, committed pipeline, rates) of the input. */
export function forecast(input: ForecastInput): Forecast {
  const delivered = deliveredUpTo(input.deliveries, input.asOf);
  const current = currentRate(input.deliveries, input.asOf);
  const required = input.target === null ? null : requiredRate(input.target, delivered, input.asOf, input.endDate);
  return {
    asOf: input.asOf,
    target: input.target,
    endDate: input.endDate,
    delivered,
    currentRatePerMonth: round2(current),
    requiredRatePerMonth: required === null ? null : round2(required),
    gapPerMonth: required === null ? null : round2(required - current),
    trend: trendForecast(input),
    pipeline: pipelineForecast(input),
  };
}

// ── plans ────────────────────────────────────────────────────────────────────────────────────────────────────────
/** The phases of an operation in order (REFERENCE §8). */
export const PHASE_ORDER = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee'] as const;

/**
 * The plan after a `PhasePlanRevised` of `phase` to `plannedOn`: the phase takes the new date and every later phase
 * planned moves by the same number of days (the plan keeps its durations: moving the start of travaux moves the
 * deliveries and the end planned after it). A later revision of a later phase then sets that phase alone.
 */
export function revisePlan(plan: Record<string, string>, phase: string, plannedOn: string): Record<string, string> {
  const previous = plan[phase];
  const out = { ...plan, [phase]: plannedOn };
  if (!previous) return out;
  const shift = daysBetween(previous, plannedOn);
  for (const p of PHASE_ORDER.slice(PHASE_ORDER.indexOf(phase as (typeof PHASE_ORDER)[number]) + 1)) if (out[p]) out[p] = addDays(out[p], shift);
  return out;
}

// ── late operations ───────────────────────────────────────────────────────────────────────────────────────────────
export interface OperationProgress {
  operationId: string;
  title: string;
  kind: string;
  epciCode: string;
  bailleurCode: string | null;
  /** Phase reached on asOf. */
  phase: string;
  status: 'active' | 'suspendue' | 'abandonnee';
  /** Start date of the current phase, and its planned date then (null when unplanned). */
  phaseStartedOn: string;
  phasePlannedOn: string | null;
  /** The next phase with a planned date after the current one, if any. */
  nextPhase: string | null;
  nextPlannedOn: string | null;
}

export interface LateOperation {
  operationId: string;
  title: string;
  kind: string;
  epciCode: string;
  bailleurCode: string | null;
  phase: string;
  status: 'active' | 'suspendue';
  flags: (
    | { reason: 'current-phase-started-late'; phase: string; plannedOn: string; startedOn: string; daysLate: number }
    | { reason: 'next-phase-overdue'; phase: string; plannedOn: string; daysLate: number }
  )[];
  /** The largest delay of the flags. */
  daysLate: number;
}

/**
 * Days of delay within which an operation is not flagged (a quarter): the plans are set to the month and the comité
 * de pilotage meets every quarter; a slip beyond it is what a bailleur records as a plan revision (data/erbm).
 */
export const LATE_TOLERANCE_DAYS = 90;

/**
 * Operations late against their own plan on asOf (the plan as revised, a revision moving the later phases): the
 * current phase started more than `toleranceDays` after its planned date, or the next phase's planned date passed
 * more than `toleranceDays` before asOf without that phase having started. Terminées and abandoned operations are
 * not flagged. Sorted by days late, most late first.
 */
export function lateOperations(ops: OperationProgress[], asOf: string, toleranceDays = LATE_TOLERANCE_DAYS): LateOperation[] {
  const out: LateOperation[] = [];
  for (const o of ops) {
    if (o.status === 'abandonnee' || o.phase === 'terminee') continue;
    const flags: LateOperation['flags'] = [];
    if (o.phasePlannedOn && daysBetween(o.phasePlannedOn, o.phaseStartedOn) > toleranceDays) {
      flags.push({ reason: 'current-phase-started-late', phase: o.phase, plannedOn: o.phasePlannedOn, startedOn: o.phaseStartedOn, daysLate: daysBetween(o.phasePlannedOn, o.phaseStartedOn) });
    }
    if (o.nextPhase && o.nextPlannedOn && daysBetween(o.nextPlannedOn, asOf) > toleranceDays) {
      flags.push({ reason: 'next-phase-overdue', phase: o.nextPhase, plannedOn: o.nextPlannedOn, daysLate: daysBetween(o.nextPlannedOn, asOf) });
    }
    if (!flags.length) continue;
    out.push({
      operationId: o.operationId,
      title: o.title,
      kind: o.kind,
      epciCode: o.epciCode,
      bailleurCode: o.bailleurCode,
      phase: o.phase,
      status: o.status,
      flags,
      daysLate: Math.max(...flags.map((f) => f.daysLate)),
    });
  }
  return out.sort((a, b) => b.daysLate - a.daysLate || a.operationId.localeCompare(b.operationId));
}
