import { type EnergyPerformance, type OperationEvent } from '@erbm/operations';
import { type EventMeta, type ReadRow, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref, upsert } from '../runner/row-changes';
import { type MonthPoint, ROLLUP_ENERGY_GOAL_KWH, cornerDifference, joinPoints, knownMonthOf, minimalPoints, monthOf, staircase } from './buckets';
import { OPERATION } from './operations.projection';

export const DELIVERY_LEDGER: TableSpec = {
  name: 'rm_delivery_ledger',
  key: ['global_position', 'seq'],
  ledger: true,
  columns: {
    global_position: 'bigint', seq: 'smallint', delivery_id: 'text', operation_id: 'text', cite_id: 'text', epci_code: 'text', bailleur_code: 'text', financing: 'text',
    axis_code: 'text', delivered_on: 'date', logements: 'integer', energy_before_kwh: 'integer', energy_after_kwh: 'integer', dpe_before: 'text', dpe_after: 'text',
    recorded_at: 'timestamptz', logements_estimated: 'integer',
  },
};
/** Whether each delivery's current figures are estimated (what a correction's compensating row takes back). */
export const DELIVERY: TableSpec = { name: 'rm_delivery', key: ['delivery_id'], columns: { delivery_id: 'text', estimated: 'boolean' } };
/**
 * Logements livrés and energy sums (Σ logements × kWh) by month, knowledge month, EPCI, bailleur, cité, financing and
 * axis; `logements_estimated` and `under_goal_estimated`: the part of `logements` and `under_goal` from estimated events.
 */
export const DELIVERY_ROLLUP: TableSpec = {
  name: 'rm_delivery_rollup',
  key: ['month', 'known_month', 'epci_code', 'bailleur_code', 'cite_id', 'financing', 'axis_code'],
  columns: {
    month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', cite_id: 'text', financing: 'text', axis_code: 'text', logements: 'bigint',
    energy_before: 'bigint', energy_after: 'bigint', under_goal: 'bigint', logements_estimated: 'bigint', under_goal_estimated: 'bigint',
  },
};
/** Logements livrés by DPE class before and after works (month, knowledge month, EPCI, bailleur). */
export const DELIVERY_DPE_ROLLUP: TableSpec = {
  name: 'rm_delivery_dpe_rollup',
  key: ['month', 'known_month', 'epci_code', 'bailleur_code', 'dpe_before', 'dpe_after'],
  columns: { month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', dpe_before: 'text', dpe_after: 'text', logements: 'bigint', logements_estimated: 'bigint' },
};
/** Logements livrés by operation (month, knowledge month): joined to the financers of each operation for the answers by financer. */
export const OPERATION_DELIVERY_ROLLUP: TableSpec = {
  name: 'rm_operation_delivery_rollup',
  key: ['operation_id', 'month', 'known_month', 'epci_code', 'bailleur_code'],
  columns: { operation_id: 'text', month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', logements: 'bigint', logements_estimated: 'bigint' },
};
/**
 * What the deliveries by financer need of an operation: the (business month, knowledge month) points of the grants
 * each financer decided on it (`decisions`: financer → minimal points, `buckets.ts`; `ANY_FINANCER` → the minimal
 * points of every financer's decisions) and its logements livrés by (month, knowledge month) (`delivered`:
 * `month|knownMonth` → [logements, of which estimated]), with the EPCI and bailleur its deliveries carry. A row per
 * operation: read by key when a delivery or a grant decision is projected.
 */
export const OPERATION_FINANCING: TableSpec = {
  name: 'rm_operation_financing',
  key: ['operation_id'],
  columns: { operation_id: 'text', epci_code: 'text', bailleur_code: 'text', decisions: 'jsonb', delivered: 'jsonb' },
};
/**
 * Logements livrés counted for each financer that decided a grant on their operation (issue 9), by the later of the
 * delivery's and the decision's months in each time (business month, knowledge month), EPCI and bailleur: a delivery
 * counts for a financer as of (asOf, knownAt) when both it and one of the financer's decisions on the operation are
 * ≤ (asOf, knownAt). Several decisions of one financer on one operation count once (signed staircase corners,
 * `buckets.ts`); a grant decided after deliveries adds them (`financerDecision`). The rows of financer
 * `ANY_FINANCER` count each delivery once when any financer had decided a grant on its operation (the distinct total
 * of co-financed logements, `deliveredWithFinancer`). `logements_estimated`: the part of `logements` from estimated
 * delivery events (ADR 0021). Rows: months² × financers × EPCI × bailleurs, not operations or events.
 */
export const FINANCER_DELIVERY_ROLLUP: TableSpec = {
  name: 'rm_financer_delivery_rollup',
  key: ['month', 'known_month', 'financer_code', 'epci_code', 'bailleur_code'],
  columns: { month: 'date', known_month: 'date', financer_code: 'text', epci_code: 'text', bailleur_code: 'text', logements: 'bigint', logements_estimated: 'bigint' },
};

/** The pseudo-financer code of `rm_financer_delivery_rollup` rows counting deliveries on operations with any financer (no financer code has this form). */
export const ANY_FINANCER = '*';

type Decisions = Record<string, MonthPoint[]>;
/** `month|knownMonth` → [logements, of which from estimated events]. */
type Delivered = Record<string, [number, number]>;
const pointKey = (p: MonthPoint): string => `${p[0]}|${p[1]}`;
const pointOf = (k: string): MonthPoint => k.split('|') as unknown as MonthPoint;

/** Increments of the financer roll-up: `n` logements (`e` of them estimated) of `bucket` for the signed corners of one financer. */
const financerIncrements = (
  fin: { epci_code: unknown; bailleur_code: unknown },
  financer: string,
  bucket: MonthPoint,
  [n, e]: readonly [number, number],
  corners: Iterable<{ point: MonthPoint; sign: number }>,
): RowChange[] =>
  [...corners].map(({ point, sign }) => {
    const [month, known_month] = joinPoints(bucket, point);
    return increment(FINANCER_DELIVERY_ROLLUP, { month, known_month, financer_code: financer, epci_code: fin.epci_code, bailleur_code: fin.bailleur_code ?? '' }, { logements: sign * n, logements_estimated: sign * e });
  });

/**
 * Deliveries (signed logements by bucket, `e` of them estimated) of operation `o`: counted for the financers decided
 * so far (and `ANY_FINANCER`), and kept in `rm_operation_financing`.
 */
function financerDeliveries(o: Row, fin: Row | null, deltas: { bucket: MonthPoint; n: number; e: number }[]): RowChange[] {
  const decisions = (fin?.decisions ?? {}) as Decisions;
  const delivered: Delivered = { ...((fin?.delivered ?? {}) as Delivered) };
  const where = { epci_code: o.epci_code, bailleur_code: o.bailleur_code };
  const out: RowChange[] = [];
  for (const { bucket, n, e } of deltas) {
    const k = pointKey(bucket);
    const [vn, ve] = [(delivered[k]?.[0] ?? 0) + n, (delivered[k]?.[1] ?? 0) + e];
    if (vn === 0 && ve === 0) delete delivered[k];
    else delivered[k] = [vn, ve];
    for (const [financer, points] of Object.entries(decisions)) out.push(...financerIncrements(where, financer, bucket, [n, e], staircase(points).values()));
  }
  out.push(upsert(OPERATION_FINANCING, { operation_id: o.operation_id, ...where, decisions, delivered }));
  return out;
}

/**
 * A grant decided by `financer` on an operation at `point` (month of the convention date, knowledge month): when it
 * moves the financer's staircase (an earlier point in either time), the operation's deliveries so far are counted
 * at the new corners minus the old ones; the same for `ANY_FINANCER`'s staircase (every financer's decisions). `o`
 * is the operation (for its EPCI and bailleur when it has no row yet).
 */
export function financerDecision(operationId: string, financer: string, point: MonthPoint, fin: Row | null, o: Row | null): RowChange[] {
  const decisions: Decisions = { ...((fin?.decisions ?? {}) as Decisions) };
  const where = { epci_code: fin?.epci_code ?? o?.epci_code ?? null, bailleur_code: fin?.bailleur_code ?? o?.bailleur_code ?? null };
  const delivered = (fin?.delivered ?? {}) as Delivered;
  const out: RowChange[] = [];
  let moved = false;
  for (const code of [financer, ANY_FINANCER]) {
    const before = decisions[code] ?? [];
    const after = minimalPoints([...before, point]);
    if (after.length === before.length && after.every((p, i) => pointKey(p) === pointKey(before[i]))) continue;
    moved = true;
    decisions[code] = after;
    const corners = cornerDifference(staircase(after), staircase(before));
    out.push(...Object.entries(delivered).flatMap(([k, ne]) => financerIncrements(where, code, pointOf(k), ne, corners)));
  }
  if (!moved) return [];
  out.push(upsert(OPERATION_FINANCING, { operation_id: operationId, ...where, decisions, delivered }));
  return out;
}

interface Figures {
  deliveredOn: string;
  logements: number;
  energyBefore: EnergyPerformance;
  energyAfter: EnergyPerformance;
}

/**
 * A delivery ledger row (copying the operation's cité, EPCI, bailleur, financing and axis) and its roll-up increments;
 * `estimated`: whether these figures are estimates (the event's flag, or for the row taking back a corrected
 * delivery, that delivery's flag).
 */
function delivery(e: EventMeta, seq: number, deliveryId: string, o: Row, f: Figures, estimated: boolean): RowChange[] {
  const row = {
    global_position: e.globalPosition, seq, delivery_id: deliveryId, operation_id: o.operation_id, cite_id: o.cite_id, epci_code: o.epci_code, bailleur_code: o.bailleur_code,
    financing: o.financing, axis_code: o.axis_code, delivered_on: f.deliveredOn, logements: f.logements, energy_before_kwh: f.energyBefore.primaryEnergyKwhPerM2Year,
    energy_after_kwh: f.energyAfter.primaryEnergyKwhPerM2Year, dpe_before: f.energyBefore.dpeClass, dpe_after: f.energyAfter.dpeClass, recorded_at: e.recordedAt,
    logements_estimated: estimated ? f.logements : 0,
  };
  const bucket = { month: monthOf(f.deliveredOn), known_month: knownMonthOf(e.recordedAt), epci_code: o.epci_code, bailleur_code: o.bailleur_code };
  const n = f.logements;
  const est = estimated ? n : 0;
  const underGoal = f.energyAfter.primaryEnergyKwhPerM2Year < ROLLUP_ENERGY_GOAL_KWH ? n : 0;
  return [
    insert(DELIVERY_LEDGER, row),
    increment(DELIVERY_ROLLUP, { ...bucket, cite_id: o.cite_id, financing: o.financing, axis_code: o.axis_code }, {
      logements: n, energy_before: n * f.energyBefore.primaryEnergyKwhPerM2Year, energy_after: n * f.energyAfter.primaryEnergyKwhPerM2Year,
      under_goal: underGoal, logements_estimated: est, under_goal_estimated: estimated ? underGoal : 0,
    }),
    increment(DELIVERY_DPE_ROLLUP, { ...bucket, dpe_before: f.energyBefore.dpeClass, dpe_after: f.energyAfter.dpeClass }, { logements: n, logements_estimated: est }),
    increment(OPERATION_DELIVERY_ROLLUP, { ...bucket, operation_id: o.operation_id }, { logements: n, logements_estimated: est }),
  ];
}

/** The operation a delivery event is about and the event's first ledger row (present: the event was applied already). */
const reads = (d: { operationId: string; deliveryId: string }, e: EventMeta) => [
  ref(OPERATION, { operation_id: d.operationId }),
  ref(DELIVERY_LEDGER, { global_position: e.globalPosition, seq: 0 }),
  ref(DELIVERY, { delivery_id: d.deliveryId }),
  ref(OPERATION_FINANCING, { operation_id: d.operationId }),
];
const operationIfNew = (d: { operationId: string; deliveryId: string }, e: EventMeta, read: ReadRow): Row | null =>
  read(DELIVERY_LEDGER, { global_position: e.globalPosition, seq: 0 }) ? null : read(OPERATION, { operation_id: d.operationId });

/**
 * Deliveries: the ledger of logements livrés (a correction is a compensating row for the previous figures and a row
 * for the corrected ones, so sums as of any date stay right) and its roll-ups, each with the part of its logements
 * that comes from estimated events (`logements_estimated`; ADR 0021). Deliveries of an operation that is
 * not projected are ignored.
 */
export const deliveriesReadModel = defineReadModel<OperationEvent>(
  'deliveries',
  [DELIVERY_LEDGER, DELIVERY, DELIVERY_ROLLUP, DELIVERY_DPE_ROLLUP, OPERATION_DELIVERY_ROLLUP, OPERATION_FINANCING, FINANCER_DELIVERY_ROLLUP],
  {
  'operation.LogementsDelivered.v1': {
    reads,
    changes: (d, e, read) => {
      const o = operationIfNew(d, e, read);
      if (!o) return [];
      const fin = read(OPERATION_FINANCING, { operation_id: d.operationId });
      return [
        upsert(DELIVERY, { delivery_id: d.deliveryId, estimated: e.estimated }),
        ...delivery(e, 0, d.deliveryId, o, d, e.estimated),
        ...financerDeliveries(o, fin, [{ bucket: [monthOf(d.deliveredOn), knownMonthOf(e.recordedAt)], n: d.logements, e: e.estimated ? d.logements : 0 }]),
      ];
    },
  },
  'operation.LogementsDeliveryCorrected.v1': {
    reads,
    changes: (d, e, read) => {
      const o = operationIfNew(d, e, read);
      if (!o) return [];
      const p = d.previous;
      const known = knownMonthOf(e.recordedAt);
      const fin = read(OPERATION_FINANCING, { operation_id: d.operationId });
      const previousEstimated = read(DELIVERY, { delivery_id: d.deliveryId })?.estimated === true;
      return [
        upsert(DELIVERY, { delivery_id: d.deliveryId, estimated: e.estimated }),
        ...delivery(e, 0, d.deliveryId, o, { ...p, logements: -p.logements }, previousEstimated),
        ...delivery(e, 1, d.deliveryId, o, d, e.estimated),
        ...financerDeliveries(o, fin, [
          { bucket: [monthOf(p.deliveredOn), known], n: -p.logements, e: previousEstimated ? -p.logements : 0 },
          { bucket: [monthOf(d.deliveredOn), known], n: d.logements, e: e.estimated ? d.logements : 0 },
        ]),
      ];
    },
  },
  },
);
