import { type AsOf, type ProjectionCheckpoint, type ReadScope, type Sql, knownAtParam, num, readSnapshot, scopeCondition, targetAsOf } from '@erbm/reporting';
import {
  type Delivery,
  type Forecast,
  type ForecastInput,
  type LateOperation,
  type OperationProgress,
  type PipelineItem,
  deliveredUpTo,
  forecast,
  lateOperations,
  addMonths,
  PHASE_ORDER,
  revisePlan,
  trendTotalAt,
} from './forecast';
import { type OperationFacts, SIM_DEFAULT_RUNS, SIM_DEFAULT_SEED, type Scenario, type SimulationForecast, type SimulationInput, observedHistory, simulate } from './simulation';
import { assumptionsOf, summarySentence } from './summary';

/** Phases whose operations make the pipeline (issue #4: "already in travaux or at AVP"). */
export const PIPELINE_PHASES = ['avp', 'autorisation', 'travaux', 'livraisons'] as const;
/** End of the programme when no target is recorded (REFERENCE §1). */
export const DEFAULT_END_DATE = '2027-12-31';

export type ForecastGroupBy = 'epci' | 'bailleur';

interface DeliveryRow extends Delivery {
  epciCode: string;
  bailleurCode: string;
}

export interface OperationRow extends OperationProgress {
  financing: string | null;
  plannedLogements: number;
  delivered: number;
  plan: Record<string, string>;
}

/** Deliveries up to asOf, as known at knownAt, in the scope (corrections included as signed rows). */
async function deliveries(db: Sql, q: AsOf, scope?: ReadScope): Promise<DeliveryRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 'd.operation_id', epciCode: 'd.epci_code', bailleurCode: 'd.bailleur_code' }, params, q);
  const rows = await db.query<Record<string, string>[]>(
    `SELECT to_char(d.delivered_on,'YYYY-MM-DD') AS on, d.epci_code, d.bailleur_code, SUM(d.logements) AS n
       FROM rm_delivery_ledger d WHERE d.delivered_on <= $1 AND d.recorded_at <= $2::timestamptz AND ${cond}
      GROUP BY 1,2,3 ORDER BY 1,2,3`,
    params,
  );
  return rows.map((r) => ({ on: r.on, logements: num(r.n), epciCode: r.epci_code, bailleurCode: r.bailleur_code }));
}

/**
 * Observed slippages in the scope: for every phase started by asOf (as known at knownAt) whose start was planned,
 * actual − planned start in days.
 */
async function slippages(db: Sql, q: AsOf, scope?: ReadScope): Promise<number[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 's.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const rows = await db.query<{ days: number }[]>(
    `SELECT (s.effective_on - s.planned_on)::int AS days FROM rm_operation_step s JOIN rm_operation o USING (operation_id)
      WHERE s.step = 'phase' AND s.planned_on IS NOT NULL AND s.effective_on <= $1 AND s.recorded_at <= $2::timestamptz AND ${cond}
      ORDER BY s.global_position`,
    params,
  );
  return rows.map((r) => Number(r.days));
}

/**
 * The plan of each operation as known on asOf: the planned dates at programming, then each `PhasePlanRevised`
 * recorded by knownAt and by the end of asOf (a revision carries no business date), and the planned logements with
 * the `PlannedLogementsAmended` dated by asOf. Read from the event log (es_events, same database).
 */
async function plansAsOf(db: Sql, q: AsOf, ids: string[]): Promise<{ plans: Map<string, Record<string, string>>; planned: Map<string, number> }> {
  const plans = new Map<string, Record<string, string>>();
  const planned = new Map<string, number>();
  if (!ids.length) return { plans, planned };
  const events = await db.query<{ type: string; data: Record<string, unknown>; early: boolean }[]>(
    `SELECT type, data, recorded_at <= ($1::date + 1)::timestamptz AS early FROM es_events
      WHERE type IN ('operation.LogementsOperationProgrammed.v1','operation.UrbanOperationProgrammed.v1','operation.PhasePlanRevised.v1','operation.PlannedLogementsAmended.v1')
        AND recorded_at <= $2::timestamptz AND data->>'operationId' = ANY($3)
      ORDER BY global_position`,
    [q.asOf, knownAtParam(q), ids],
  );
  for (const e of events) {
    const id = e.data.operationId as string;
    if (e.type.endsWith('Programmed.v1')) {
      plans.set(id, { ...(e.data.plannedDates as Record<string, string>) });
      if (typeof e.data.plannedLogements === 'number') planned.set(id, e.data.plannedLogements);
    } else if (e.type === 'operation.PhasePlanRevised.v1') {
      if (e.early) plans.set(id, revisePlan(plans.get(id) ?? {}, e.data.phase as string, e.data.plannedOn as string));
    } else if ((e.data.amendedOn as string) <= q.asOf) {
      planned.set(id, e.data.plannedLogements as number);
    }
  }
  return { plans, planned };
}

/**
 * Operations programmed by asOf in the scope, with their phase and status on asOf, logements livrés, planned
 * logements on asOf and their plan as known then. The plan is rebuilt from the event log (es_events, same database):
 * the planned dates at programming, then each `PhasePlanRevised` recorded by knownAt and by the end of asOf (a
 * revision carries no business date), so a forecast as of a past date uses the plan of that date.
 */
async function operations(db: Sql, q: AsOf, scope?: ReadScope): Promise<OperationRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const rows = await db.query<Record<string, string | null>[]>(
    `WITH steps AS (
       SELECT * FROM rm_operation_step WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz
     ), phase AS (
       SELECT DISTINCT ON (operation_id) operation_id, phase, to_char(effective_on,'YYYY-MM-DD') AS started_on,
              to_char(planned_on,'YYYY-MM-DD') AS planned_on
         FROM steps WHERE step IN ('programmed','phase') ORDER BY operation_id, effective_on DESC, global_position DESC
     ), status AS (
       SELECT DISTINCT ON (operation_id) operation_id, step FROM steps WHERE step IN ('suspended','resumed','abandoned')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), delivered AS (
       SELECT operation_id, SUM(logements) AS n FROM rm_delivery_ledger WHERE delivered_on <= $1 AND recorded_at <= $2::timestamptz GROUP BY 1
     )
     SELECT o.operation_id, o.title, o.kind, o.epci_code, o.bailleur_code, o.financing, o.planned_logements, p.phase, p.started_on, p.planned_on,
            s.step AS status, COALESCE(dl.n, 0) AS delivered
       FROM rm_operation o JOIN phase p USING (operation_id) LEFT JOIN status s USING (operation_id) LEFT JOIN delivered dl USING (operation_id)
      WHERE o.recorded_at <= $2::timestamptz AND o.programmed_on <= $1 AND ${cond}
      ORDER BY o.operation_id`,
    params,
  );
  if (!rows.length) return [];
  const { plans, planned } = await plansAsOf(db, q, rows.map((r) => r.operation_id as string));
  return rows.map((r) => {
    const id = r.operation_id as string;
    const plan = plans.get(id) ?? {};
    const phase = r.phase as string;
    const next = PHASE_ORDER.slice(PHASE_ORDER.indexOf(phase as (typeof PHASE_ORDER)[number]) + 1).find((p) => plan[p]) ?? null;
    return {
      operationId: id,
      title: r.title as string,
      kind: r.kind as string,
      epciCode: r.epci_code as string,
      bailleurCode: r.bailleur_code,
      financing: r.financing,
      phase,
      status: r.status === 'abandoned' ? 'abandonnee' : r.status === 'suspended' ? 'suspendue' : 'active',
      phaseStartedOn: r.started_on as string,
      // The plan in force as rebuilt above (revisions moving the later phases), the domain's date otherwise.
      phasePlannedOn: phase === 'programmation' ? null : (plan[phase] ?? r.planned_on),
      nextPhase: next,
      nextPlannedOn: next ? plan[next] : null,
      plannedLogements: planned.get(id) ?? num(r.planned_logements),
      delivered: num(r.delivered),
      plan,
    };
  });
}

/**
 * The pipeline: logements operations at AVP, autorisation, travaux or livraisons on asOf (suspended ones included:
 * a suspension is a delay, not an end), not abandoned, with logements still to deliver and a planned `livraisons`
 * or `terminee` date.
 */
export function pipelineOf(ops: OperationRow[]): PipelineItem[] {
  return ops
    .filter((o) => o.kind === 'logements' && o.status !== 'abandonnee' && (PIPELINE_PHASES as readonly string[]).includes(o.phase))
    .filter((o) => o.plannedLogements - o.delivered > 0 && (o.plan.livraisons || o.plan.terminee))
    .map((o) => ({
      operationId: o.operationId,
      phase: o.phase,
      remaining: o.plannedLogements - o.delivered,
      plannedFrom: o.plan.livraisons ?? null,
      plannedTo: o.plan.terminee ?? null,
      epciCode: o.epciCode,
      bailleurCode: o.bailleurCode,
    }));
}

export interface ForecastOptions {
  by?: ForecastGroupBy;
  seed?: number;
  runs?: number;
  /** A scenario answered beside the baseline (programming pace, slippage factor). */
  scenario?: Scenario;
}

/** The headline of a forecast: the simulation, and the sentence that tells it. */
export interface Headline extends SimulationForecast {
  /** « Au rythme observé, … logements livrés fin 2027 (P10–P90 : … – …) ; objectif de 23 000 atteint en … (médiane) » */
  summary: string;
}

export interface ForecastGroup extends Forecast {
  key: string;
  label: string;
  /** The simulation on the group's own operations and programming history (no target of its own). */
  headline: Headline;
}

export interface LogementsForecast extends Forecast {
  knownAt: string | null;
  /** The projection checkpoint every input was read at (one snapshot). */
  checkpoint: ProjectionCheckpoint;
  /** The headline forecast: the simulation over the pipeline and the logements not yet programmed. */
  headline: Headline;
  /** The French summary sentence (the headline's). */
  summary: string;
  /** The assumptions written out, in French. */
  assumptions: string[];
  /** The scenario asked for, simulated with the same seed beside the headline (null without one). */
  scenario: Headline | null;
  by: ForecastGroupBy | null;
  /** Per EPCI or bailleur (no target of their own: target-related figures are null). */
  groups: ForecastGroup[];
  /** The operations that carry the risk: late against their own plan (revisions included) on asOf. */
  lateOperations: LateOperation[];
  /** Logements livrés at each year-end before asOf since the first delivery, then on asOf (the fan chart's history). */
  history: { date: string; delivered: number }[];
}

/** Cumulative deliveries at each year-end before asOf from the first delivery's year, then on asOf. */
export function deliveryHistory(deliveries: Delivery[], asOf: string): { date: string; delivered: number }[] {
  const first = deliveries.reduce<string | null>((m, d) => (m === null || d.on < m ? d.on : m), null);
  const out: { date: string; delivered: number }[] = [];
  if (first) for (let y = Number(first.slice(0, 4)) - 1; `${y}-12-31` < asOf; y++) out.push({ date: `${y}-12-31`, delivered: deliveredUpTo(deliveries, `${y}-12-31`) });
  out.push({ date: asOf, delivered: deliveredUpTo(deliveries, asOf) });
  return out;
}

/** Start of the programme (signature at Oignies, REFERENCE §1): the first programming window. */
export const PROGRAMME_SIGNED_ON = '2017-03-07';

async function inputs(db: Sql, q: AsOf, scope?: ReadScope) {
  const target = await targetAsOf(db, q);
  const [dels, slips, ops, facts] = [await deliveries(db, q, scope), await slippages(db, q, scope), await operations(db, q, scope), await operationFacts(db, q, scope)];
  const input: ForecastInput = {
    asOf: q.asOf,
    target: target?.logements ?? null,
    endDate: target?.targetDate ?? DEFAULT_END_DATE,
    deliveries: dels,
    pipeline: pipelineOf(ops),
    slippageDays: slips,
  };
  return { input, dels, ops, facts };
}

const simInput = (input: ForecastInput, facts: OperationFacts[], deliveries: ForecastInput['deliveries'] = input.deliveries): SimulationInput => ({
  asOf: input.asOf,
  target: input.target,
  endDate: input.endDate,
  programmeStart: PROGRAMME_SIGNED_ON,
  deliveries,
  operations: facts,
});

async function labels(db: Sql, by: ForecastGroupBy): Promise<Map<string, string>> {
  const rows = await db.query<{ k: string; l: string }[]>(by === 'epci' ? 'SELECT epci_code AS k, name AS l FROM rm_epci' : 'SELECT bailleur_code AS k, name AS l FROM rm_bailleur');
  return new Map(rows.map((r) => [r.k, r.l]));
}

const headline = (sim: SimulationForecast, target: number | null, endDate: string, lead?: string): Headline => ({ ...sim, summary: summarySentence(sim, target, endDate, lead) });

/**
 * Forecast of logements livrés as of asOf (as known at knownAt): the headline simulation (P10/P50/P90 at each
 * year-end to the end date, date the target is reached), its French summary and assumptions, the trend baseline and
 * the committed pipeline, for the scope as a whole and, with `by`, per EPCI or bailleur (each group with its own
 * operations, deliveries and programming history), plus the operations late against their plan on asOf.
 */
export async function forecastLogements(db: Sql, q: AsOf, opts: ForecastOptions = {}, scope?: ReadScope): Promise<LogementsForecast> {
  // Every read in one snapshot (one checkpoint); the forecasts are computed after it is closed.
  const { value: read, checkpoint } = await readSnapshot(db, async (tx) => ({ ...(await inputs(tx, q, scope)), names: opts.by ? await labels(tx, opts.by) : new Map<string, string>() }));
  const { input: all, dels, ops, facts, names } = read;
  // The target is the programme's: a bailleur, an EPCI or a financer sees its own trajectory without it.
  const input = scope && scope.kind !== 'all' ? { ...all, target: null } : all;
  const mc = { seed: opts.seed ?? SIM_DEFAULT_SEED, runs: opts.runs ?? SIM_DEFAULT_RUNS };
  const groups: ForecastGroup[] = [];
  if (opts.by) {
    const key = (x: { epciCode?: string; bailleurCode?: string | null }) => (opts.by === 'epci' ? x.epciCode : x.bailleurCode) ?? '';
    const keys = [...new Set([...dels.map(key), ...facts.map(key)])].filter(Boolean).sort();
    for (const k of keys) {
      const gi = { ...input, target: null, deliveries: dels.filter((d) => key(d) === k), pipeline: input.pipeline.filter((p) => key(p) === k) };
      const sim = simulate(simInput(gi, facts.filter((f) => key(f) === k)), mc);
      groups.push({ key: k, label: names.get(k) ?? k, ...forecast(gi), headline: headline(sim, null, input.endDate) });
    }
  }
  const base = forecast(input);
  const si = simInput(input, facts);
  const sim = simulate(si, mc);
  const head = headline(sim, input.target, input.endDate);
  const scenario = opts.scenario && (opts.scenario.programmingPace !== undefined || opts.scenario.slippageFactor !== undefined)
    ? headline(simulate(si, { ...mc, ...opts.scenario }), input.target, input.endDate, 'Dans ce scénario')
    : null;
  return {
    ...base,
    knownAt: q.knownAt ?? null,
    checkpoint,
    headline: head,
    summary: head.summary,
    assumptions: assumptionsOf(observedHistory(si), sim, {
      knownAt: q.knownAt ?? null,
      checkpoint: checkpoint.position,
      endDate: input.endDate,
      target: input.target,
      trend: base.trend,
      committedByEndDate: base.pipeline.expectedByEndDate,
    }),
    scenario,
    by: opts.by ?? null,
    groups,
    lateOperations: lateOperations(ops, q.asOf),
    history: deliveryHistory(input.deliveries, q.asOf),
  };
}

/** Operations late against their planned dates on asOf, in the scope. */
export async function lateOperationsAsOf(db: Sql, q: AsOf, scope?: ReadScope): Promise<LateOperation[]> {
  return lateOperations(await operations(db, q, scope), q.asOf);
}

/** The backtest origins (issue #13): every half-year from 2019-12-31 to 2021-12-31. */
export const BACKTEST_ORIGINS = ['2019-12-31', '2020-06-30', '2020-12-31', '2021-06-30', '2021-12-31'] as const;
/** Coverage goal of the P10–P90 interval (issue #13): at least 60 % of the origins. */
export const COVERAGE_GOAL = 0.6;

export interface BacktestOrigin {
  /** Date of the forecast. */
  asOf: string;
  /** What it knew: the end of asOf (what the COPIL could have seen then). */
  knownAt: string;
  /** One year later: the date the forecast is scored on. */
  realisedOn: string;
  /** Logements livrés on asOf as known then. */
  deliveredAtOrigin: number;
  /** Logements livrés on realisedOn, as known now. */
  realised: number;
  p10: number;
  p50: number;
  p90: number;
  /** realised within [P10, P90]. */
  covered: boolean;
  /** P50 − realised. */
  errorP50: number;
  /** The trend baseline's forecast for realisedOn, and its error. */
  trend: number;
  errorTrend: number;
}

export interface Backtest {
  origins: BacktestOrigin[];
  /** Share of the origins whose realised value lies in [P10, P90] (0–1, 4 decimals). */
  coverage: number;
  /** The goal: coverage ≥ 0.6. */
  coverageGoal: number;
  /** Mean absolute error of the P50, in logements (1 decimal). */
  maeP50: number;
  /** Mean absolute error of the trend baseline, in logements (1 decimal). */
  maeTrend: number;
  horizonMonths: number;
  runs: number;
  seed: number;
}

/**
 * Calibration: the headline simulation made at each origin with only what was known then (knownAt = the end of the
 * origin), scored against the logements livrés one year later as known now: coverage of P10–P90, MAE of the P50 and
 * of the trend baseline.
 */
export async function backtest(db: Sql, q: { origins?: readonly string[]; horizonMonths?: number } = {}, opts: { seed?: number; runs?: number } = {}, scope?: ReadScope): Promise<Backtest> {
  const origins = q.origins ?? BACKTEST_ORIGINS;
  const months = q.horizonMonths ?? 12;
  const seed = opts.seed ?? SIM_DEFAULT_SEED;
  const runs = opts.runs ?? SIM_DEFAULT_RUNS;
  const { value: reads } = await readSnapshot(db, async (tx) => {
    const out = [];
    for (const asOf of origins) {
      const knownAt = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000 - 1).toISOString();
      const realisedOn = addMonths(asOf, months);
      const { input, facts } = await inputs(tx, { asOf, knownAt }, scope);
      out.push({ asOf, knownAt, realisedOn, input, facts, realised: deliveredUpTo(await deliveries(tx, { asOf: realisedOn }, scope), realisedOn) });
    }
    return out;
  });
  const rows: BacktestOrigin[] = reads.map(({ asOf, knownAt, realisedOn, input, facts, realised }) => {
    const sim = simulate(simInput(input, facts), { seed, runs, at: [realisedOn] });
    const [r] = sim.at;
    const trend = trendTotalAt(input, realisedOn);
    return {
      asOf,
      knownAt,
      realisedOn,
      deliveredAtOrigin: sim.delivered,
      realised,
      p10: r.p10,
      p50: r.p50,
      p90: r.p90,
      covered: r.p10 <= realised && realised <= r.p90,
      errorP50: r.p50 - realised,
      trend,
      errorTrend: trend - realised,
    };
  });
  const mae = (v: number[]) => (v.length ? Math.round((v.reduce((s, x) => s + Math.abs(x), 0) / v.length) * 10) / 10 : 0);
  return {
    origins: rows,
    coverage: rows.length ? Math.round((rows.filter((r) => r.covered).length / rows.length) * 10000) / 10000 : 0,
    coverageGoal: COVERAGE_GOAL,
    maeP50: mae(rows.map((r) => r.errorP50)),
    maeTrend: mae(rows.map((r) => r.errorTrend)),
    horizonMonths: months,
    runs,
    seed,
  };
}

/**
 * The facts of the logements operations programmed by asOf in the scope, as known at knownAt (the simulation's
 * input, `OperationFacts`): phase starts, suspensions, abandonment, deliveries by asOf, and the plan and planned
 * logements in force on asOf.
 */
export async function operationFacts(db: Sql, q: AsOf, scope?: ReadScope): Promise<OperationFacts[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  const cond = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const ops = await db.query<Record<string, string | null>[]>(
    `SELECT o.operation_id, o.title, o.epci_code, o.bailleur_code, to_char(o.programmed_on,'YYYY-MM-DD') AS programmed_on, o.planned_logements
       FROM rm_operation o WHERE o.kind = 'logements' AND o.recorded_at <= $2::timestamptz AND o.programmed_on <= $1 AND ${cond}
      ORDER BY o.operation_id`,
    params,
  );
  if (!ops.length) return [];
  const ids = ops.map((r) => r.operation_id as string);
  const steps = await db.query<{ operation_id: string; step: string; phase: string | null; on: string }[]>(
    `SELECT operation_id, step, phase, to_char(effective_on,'YYYY-MM-DD') AS on FROM rm_operation_step
      WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz AND operation_id = ANY($3)
      ORDER BY operation_id, effective_on, global_position`,
    [q.asOf, knownAtParam(q), ids],
  );
  const dels = await db.query<{ operation_id: string; on: string; n: string }[]>(
    `SELECT operation_id, to_char(delivered_on,'YYYY-MM-DD') AS on, SUM(logements) AS n FROM rm_delivery_ledger
      WHERE delivered_on <= $1 AND recorded_at <= $2::timestamptz AND operation_id = ANY($3) GROUP BY 1,2 ORDER BY 1,2`,
    [q.asOf, knownAtParam(q), ids],
  );
  const { plans, planned } = await plansAsOf(db, q, ids);
  const facts = new Map<string, OperationFacts>(
    ops.map((r) => {
      const id = r.operation_id as string;
      return [
        id,
        {
          operationId: id,
          title: r.title as string,
          epciCode: r.epci_code as string,
          bailleurCode: r.bailleur_code,
          programmedOn: r.programmed_on as string,
          plannedLogements: planned.get(id) ?? num(r.planned_logements),
          phases: [],
          suspensions: [],
          abandonedOn: null,
          plan: plans.get(id) ?? {},
          deliveries: [],
        },
      ];
    }),
  );
  for (const s of steps) {
    const f = facts.get(s.operation_id)!;
    if (s.step === 'programmed' || s.step === 'phase') f.phases.push({ phase: s.phase ?? 'programmation', on: s.on });
    else if (s.step === 'suspended') f.suspensions.push({ from: s.on, to: null });
    else if (s.step === 'resumed') {
      const open = f.suspensions.find((x) => x.to === null);
      if (open) open.to = s.on;
    } else if (s.step === 'abandoned') f.abandonedOn = s.on;
  }
  for (const d of dels) facts.get(d.operation_id)!.deliveries.push({ on: d.on, logements: num(d.n) });
  return [...facts.values()];
}
