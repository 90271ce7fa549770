import { type AsOf, type ReadScope, type Sql, knownAtParam, num, readSnapshot, scopeCondition, targetAsOf } from '@erbm/reporting';
import {
  DEFAULT_RUNS,
  DEFAULT_SEED,
  type Delivery,
  type Forecast,
  type ForecastInput,
  type LateOperation,
  type OperationProgress,
  type PipelineItem,
  type Range,
  deliveredUpTo,
  forecast,
  lateOperations,
  monteCarloForecast,
  pipelineTotalAt,
  trendTotalAt,
} from './forecast';

/** Phases whose operations make the pipeline (issue #4: "already in travaux or at AVP"). */
export const PIPELINE_PHASES = ['avp', 'autorisation', 'travaux', 'livraisons'] as const;
const PHASE_ORDER = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee'];
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
  const ids = rows.map((r) => r.operation_id as string);
  const events = await db.query<{ type: string; data: Record<string, unknown>; early: boolean }[]>(
    `SELECT type, data, recorded_at <= ($1::date + 1)::timestamptz AS early FROM es_events
      WHERE type IN ('operation.LogementsOperationProgrammed.v1','operation.UrbanOperationProgrammed.v1','operation.PhasePlanRevised.v1','operation.PlannedLogementsAmended.v1')
        AND recorded_at <= $2::timestamptz AND data->>'operationId' = ANY($3)
      ORDER BY global_position`,
    [q.asOf, knownAtParam(q), ids],
  );
  const plans = new Map<string, Record<string, string>>();
  const planned = new Map<string, number>();
  for (const e of events) {
    const id = e.data.operationId as string;
    if (e.type.endsWith('Programmed.v1')) {
      plans.set(id, { ...(e.data.plannedDates as Record<string, string>) });
      if (typeof e.data.plannedLogements === 'number') planned.set(id, e.data.plannedLogements);
    } else if (e.type === 'operation.PhasePlanRevised.v1') {
      if (e.early) plans.set(id, { ...(plans.get(id) ?? {}), [e.data.phase as string]: e.data.plannedOn as string });
    } else if ((e.data.amendedOn as string) <= q.asOf) {
      planned.set(id, e.data.plannedLogements as number);
    }
  }
  return rows.map((r) => {
    const id = r.operation_id as string;
    const plan = plans.get(id) ?? {};
    const phase = r.phase as string;
    const next = PHASE_ORDER.slice(PHASE_ORDER.indexOf(phase) + 1).find((p) => plan[p]) ?? null;
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
      phasePlannedOn: r.planned_on,
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
}

export interface ForecastGroup extends Forecast {
  key: string;
  label: string;
}

export interface LogementsForecast extends Forecast {
  knownAt: string | null;
  by: ForecastGroupBy | null;
  /** Per EPCI or bailleur (no target of their own: target-related figures are null). */
  groups: ForecastGroup[];
  lateOperations: LateOperation[];
}

async function inputs(db: Sql, q: AsOf, scope?: ReadScope) {
  const target = await targetAsOf(db, q);
  const [dels, slips, ops] = [await deliveries(db, q, scope), await slippages(db, q, scope), await operations(db, q, scope)];
  const input: ForecastInput = {
    asOf: q.asOf,
    target: target?.logements ?? null,
    endDate: target?.targetDate ?? DEFAULT_END_DATE,
    deliveries: dels,
    pipeline: pipelineOf(ops),
    slippageDays: slips,
  };
  return { input, dels, ops };
}

async function labels(db: Sql, by: ForecastGroupBy): Promise<Map<string, string>> {
  const rows = await db.query<{ k: string; l: string }[]>(by === 'epci' ? 'SELECT epci_code AS k, name AS l FROM rm_epci' : 'SELECT bailleur_code AS k, name AS l FROM rm_bailleur');
  return new Map(rows.map((r) => [r.k, r.l]));
}

/**
 * Forecast of logements livrés as of asOf (as known at knownAt), the three methods side by side, for the scope as a
 * whole and, with `by`, per EPCI or bailleur (each group with its own deliveries and pipeline, and the slippages
 * observed over the whole scope), plus the operations late on asOf.
 */
export async function forecastLogements(db: Sql, q: AsOf, opts: ForecastOptions = {}, scope?: ReadScope): Promise<LogementsForecast> {
  // Every read in one snapshot (one checkpoint); the forecasts are computed after it is closed.
  const { value: read } = await readSnapshot(db, async (tx) => ({ ...(await inputs(tx, q, scope)), names: opts.by ? await labels(tx, opts.by) : new Map<string, string>() }));
  const { input: all, dels, ops, names } = read;
  // The target is the programme's: a bailleur, an EPCI or a financer sees its own trajectory without it.
  const input = scope && scope.kind !== 'all' ? { ...all, target: null } : all;
  const mc = { seed: opts.seed ?? DEFAULT_SEED, runs: opts.runs ?? DEFAULT_RUNS };
  const groups: ForecastGroup[] = [];
  if (opts.by) {
    const key = (x: { epciCode?: string; bailleurCode?: string | null }) => (opts.by === 'epci' ? x.epciCode : x.bailleurCode) ?? '';
    const keys = [...new Set([...dels.map(key), ...input.pipeline.map(key)])].filter(Boolean).sort();
    for (const k of keys) {
      const f = forecast({ ...input, target: null, deliveries: dels.filter((d) => key(d) === k), pipeline: input.pipeline.filter((p) => key(p) === k) }, mc);
      groups.push({ key: k, label: names.get(k) ?? k, ...f });
    }
  }
  return { ...forecast(input, mc), knownAt: q.knownAt ?? null, by: opts.by ?? null, groups, lateOperations: lateOperations(ops, q.asOf) };
}

/** Operations late against their planned dates on asOf, in the scope. */
export async function lateOperationsAsOf(db: Sql, q: AsOf, scope?: ReadScope): Promise<LateOperation[]> {
  return lateOperations(await operations(db, q, scope), q.asOf);
}

export interface BacktestMethod {
  /** Logements livrés the method forecast on actualAsOf. */
  forecast: number;
  /** forecast − actual. */
  error: number;
  /** error / delivered in the interval (4 decimals), null when nothing was delivered in it. */
  relativeError: number | null;
}

export interface Backtest {
  forecastAsOf: string;
  /** What the forecast knew: knownAt of the forecast (default: the end of forecastAsOf). */
  forecastKnownAt: string;
  actualAsOf: string;
  deliveredAtForecast: number;
  /** Logements livrés on actualAsOf (as known now, or at `actualKnownAt`). */
  actual: number;
  /** Delivered in the interval (forecastAsOf, actualAsOf]. */
  deliveredInInterval: number;
  trend: BacktestMethod;
  pipeline: BacktestMethod;
  monteCarlo: Range<number> & { runs: number; seed: number; actualWithinP10P90: boolean };
}

/**
 * What each method forecast, as of `forecastAsOf` with what was known then, for the total on `actualAsOf`, against
 * what was actually delivered by then.
 */
export async function backtest(
  db: Sql,
  q: { forecastAsOf: string; actualAsOf: string; forecastKnownAt?: string; actualKnownAt?: string },
  opts: { seed?: number; runs?: number } = {},
  scope?: ReadScope,
): Promise<Backtest> {
  const forecastKnownAt = q.forecastKnownAt ?? new Date(Date.parse(`${q.forecastAsOf}T00:00:00Z`) + 86_400_000 - 1).toISOString();
  const { value: read } = await readSnapshot(db, async (tx) => ({
    input: (await inputs(tx, { asOf: q.forecastAsOf, knownAt: forecastKnownAt }, scope)).input,
    actualRows: await deliveries(tx, { asOf: q.actualAsOf, knownAt: q.actualKnownAt }, scope),
  }));
  const { input, actualRows } = read;
  const actual = deliveredUpTo(actualRows, q.actualAsOf);
  const atForecast = deliveredUpTo(input.deliveries, q.forecastAsOf);
  const interval = actual - atForecast;
  const method = (f: number): BacktestMethod => ({ forecast: f, error: f - actual, relativeError: interval ? Math.round(((f - actual) / interval) * 10000) / 10000 : null });
  const seed = opts.seed ?? DEFAULT_SEED;
  const runs = opts.runs ?? DEFAULT_RUNS;
  const mc = monteCarloForecast(input, { seed, runs, horizons: [q.actualAsOf] }).byHorizon[q.actualAsOf];
  return {
    forecastAsOf: q.forecastAsOf,
    forecastKnownAt,
    actualAsOf: q.actualAsOf,
    deliveredAtForecast: atForecast,
    actual,
    deliveredInInterval: interval,
    trend: method(trendTotalAt(input, q.actualAsOf)),
    pipeline: method(pipelineTotalAt(input, q.actualAsOf)),
    monteCarlo: { ...mc, runs, seed, actualWithinP10P90: mc.p10 <= actual && actual <= mc.p90 },
  };
}
