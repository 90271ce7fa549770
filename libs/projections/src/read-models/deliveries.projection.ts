import { type EnergyPerformance, type OperationEvent } from '@erbm/operations';
import { type EventMeta, type ReadRow, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref } from '../runner/row-changes';
import { ROLLUP_ENERGY_GOAL_KWH, knownMonthOf, monthOf } from './buckets';
import { OPERATION } from './operations.projection';

export const DELIVERY_LEDGER: TableSpec = {
  name: 'rm_delivery_ledger',
  key: ['global_position', 'seq'],
  ledger: true,
  columns: {
    global_position: 'bigint', seq: 'smallint', delivery_id: 'text', operation_id: 'text', cite_id: 'text', epci_code: 'text', bailleur_code: 'text', financing: 'text',
    axis_code: 'text', delivered_on: 'date', logements: 'integer', energy_before_kwh: 'integer', energy_after_kwh: 'integer', dpe_before: 'text', dpe_after: 'text',
    recorded_at: 'timestamptz',
  },
};
/** Logements livrés and energy sums (Σ logements × kWh) by month, knowledge month, EPCI, bailleur, cité, financing and axis. */
export const DELIVERY_ROLLUP: TableSpec = {
  name: 'rm_delivery_rollup',
  key: ['month', 'known_month', 'epci_code', 'bailleur_code', 'cite_id', 'financing', 'axis_code'],
  columns: {
    month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', cite_id: 'text', financing: 'text', axis_code: 'text', logements: 'bigint',
    energy_before: 'bigint', energy_after: 'bigint', under_goal: 'bigint',
  },
};
/** Logements livrés by DPE class before and after works (month, knowledge month, EPCI, bailleur). */
export const DELIVERY_DPE_ROLLUP: TableSpec = {
  name: 'rm_delivery_dpe_rollup',
  key: ['month', 'known_month', 'epci_code', 'bailleur_code', 'dpe_before', 'dpe_after'],
  columns: { month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', dpe_before: 'text', dpe_after: 'text', logements: 'bigint' },
};
/** Logements livrés by operation (month, knowledge month): joined to the financers of each operation for the answers by financer. */
export const OPERATION_DELIVERY_ROLLUP: TableSpec = {
  name: 'rm_operation_delivery_rollup',
  key: ['operation_id', 'month', 'known_month', 'epci_code', 'bailleur_code'],
  columns: { operation_id: 'text', month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', logements: 'bigint' },
};

interface Figures {
  deliveredOn: string;
  logements: number;
  energyBefore: EnergyPerformance;
  energyAfter: EnergyPerformance;
}

/** A delivery ledger row (copying the operation's cité, EPCI, bailleur, financing and axis) and its roll-up increments. */
function delivery(e: EventMeta, seq: number, deliveryId: string, o: Row, f: Figures): RowChange[] {
  const row = {
    global_position: e.globalPosition, seq, delivery_id: deliveryId, operation_id: o.operation_id, cite_id: o.cite_id, epci_code: o.epci_code, bailleur_code: o.bailleur_code,
    financing: o.financing, axis_code: o.axis_code, delivered_on: f.deliveredOn, logements: f.logements, energy_before_kwh: f.energyBefore.primaryEnergyKwhPerM2Year,
    energy_after_kwh: f.energyAfter.primaryEnergyKwhPerM2Year, dpe_before: f.energyBefore.dpeClass, dpe_after: f.energyAfter.dpeClass, recorded_at: e.recordedAt,
  };
  const bucket = { month: monthOf(f.deliveredOn), known_month: knownMonthOf(e.recordedAt), epci_code: o.epci_code, bailleur_code: o.bailleur_code };
  const n = f.logements;
  return [
    insert(DELIVERY_LEDGER, row),
    increment(DELIVERY_ROLLUP, { ...bucket, cite_id: o.cite_id, financing: o.financing, axis_code: o.axis_code }, {
      logements: n, energy_before: n * f.energyBefore.primaryEnergyKwhPerM2Year, energy_after: n * f.energyAfter.primaryEnergyKwhPerM2Year,
      under_goal: f.energyAfter.primaryEnergyKwhPerM2Year < ROLLUP_ENERGY_GOAL_KWH ? n : 0,
    }),
    increment(DELIVERY_DPE_ROLLUP, { ...bucket, dpe_before: f.energyBefore.dpeClass, dpe_after: f.energyAfter.dpeClass }, { logements: n }),
    increment(OPERATION_DELIVERY_ROLLUP, { ...bucket, operation_id: o.operation_id }, { logements: n }),
  ];
}

/** The operation a delivery event is about and the event's first ledger row (present: the event was applied already). */
const reads = (d: { operationId: string }, e: EventMeta) => [ref(OPERATION, { operation_id: d.operationId }), ref(DELIVERY_LEDGER, { global_position: e.globalPosition, seq: 0 })];
const operationIfNew = (d: { operationId: string }, e: EventMeta, read: ReadRow): Row | null =>
  read(DELIVERY_LEDGER, { global_position: e.globalPosition, seq: 0 }) ? null : read(OPERATION, { operation_id: d.operationId });

/**
 * Deliveries: the ledger of logements livrés (a correction is a compensating row for the previous figures and a row
 * for the corrected ones, so sums as of any date stay right) and its roll-ups. Deliveries of an operation that is
 * not projected are ignored.
 */
export const deliveriesReadModel = defineReadModel<OperationEvent>('deliveries', [DELIVERY_LEDGER, DELIVERY_ROLLUP, DELIVERY_DPE_ROLLUP, OPERATION_DELIVERY_ROLLUP], {
  'operation.LogementsDelivered.v1': {
    reads,
    changes: (d, e, read) => {
      const o = operationIfNew(d, e, read);
      return o ? delivery(e, 0, d.deliveryId, o, d) : [];
    },
  },
  'operation.LogementsDeliveryCorrected.v1': {
    reads,
    changes: (d, e, read) => {
      const o = operationIfNew(d, e, read);
      if (!o) return [];
      const p = d.previous;
      return [...delivery(e, 0, d.deliveryId, o, { ...p, logements: -p.logements }), ...delivery(e, 1, d.deliveryId, o, d)];
    },
  },
});
