import { type GrantEvent } from '@erbm/funding';
import { type EventMeta, type ReadRow, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref, update } from '../runner/row-changes';
import { knownMonthOf, monthOf } from './buckets';
import { OPERATION } from './operations.projection';

export const GRANT: TableSpec = {
  name: 'rm_grant',
  key: ['grant_id'],
  columns: {
    grant_id: 'text', financer_code: 'text', financer_category: 'text', operation_id: 'text', operation_kind: 'text', epci_code: 'text', bailleur_code: 'text', axis_code: 'text',
    dispositif: 'text', beneficiary_kind: 'text', beneficiary_code: 'text', beneficiary_name: 'text', convention_date: 'date', decision_ref: 'text', amount_cents: 'bigint',
    paid_cents: 'bigint', status: 'text', recorded_at: 'timestamptz',
  },
};
export const GRANT_LEDGER: TableSpec = {
  name: 'rm_grant_ledger',
  key: ['global_position'],
  ledger: true,
  columns: {
    global_position: 'bigint', grant_id: 'text', movement: 'text', effective_on: 'date', financer_code: 'text', financer_category: 'text', operation_id: 'text',
    operation_kind: 'text', epci_code: 'text', axis_code: 'text', dispositif: 'text', decided_cents: 'bigint', paid_cents: 'bigint', recorded_at: 'timestamptz',
  },
};
/**
 * Amounts decided and paid (cents) by month of the movement, knowledge month, financer, EPCI, bailleur of the
 * operation ('' for urban operations), axis, dispositif and operation kind.
 */
export const GRANT_ROLLUP: TableSpec = {
  name: 'rm_grant_rollup',
  key: ['month', 'known_month', 'financer_code', 'financer_category', 'epci_code', 'bailleur_code', 'axis_code', 'dispositif', 'operation_kind'],
  columns: {
    month: 'date', known_month: 'date', financer_code: 'text', financer_category: 'text', epci_code: 'text', bailleur_code: 'text', axis_code: 'text', dispositif: 'text',
    operation_kind: 'text', decided_cents: 'bigint', paid_cents: 'bigint',
  },
};

/** A grant ledger movement (copying the grant's financer, operation, EPCI, axis and dispositif) and its roll-up increment. */
function movement(e: EventMeta, g: Row, kind: string, on: string, decidedCents: number, paidCents: number): RowChange[] {
  return [
    insert(GRANT_LEDGER, {
      global_position: e.globalPosition, grant_id: g.grant_id, movement: kind, effective_on: on, financer_code: g.financer_code, financer_category: g.financer_category,
      operation_id: g.operation_id, operation_kind: g.operation_kind, epci_code: g.epci_code, axis_code: g.axis_code, dispositif: g.dispositif, decided_cents: decidedCents,
      paid_cents: paidCents, recorded_at: e.recordedAt,
    }),
    increment(GRANT_ROLLUP, {
      month: monthOf(on), known_month: knownMonthOf(e.recordedAt), financer_code: g.financer_code, financer_category: g.financer_category, epci_code: g.epci_code,
      bailleur_code: g.bailleur_code ?? '', axis_code: g.axis_code, dispositif: g.dispositif, operation_kind: g.operation_kind,
    }, { decided_cents: decidedCents, paid_cents: paidCents }),
  ];
}

/** The grant and the event's ledger row (present: the event was applied already). */
const reads = (d: { grantId: string }, e: EventMeta) => [ref(GRANT, { grant_id: d.grantId }), ref(GRANT_LEDGER, { global_position: e.globalPosition })];
/** The grant when the event was not applied yet, else null. */
const grantIfNew = (d: { grantId: string }, e: EventMeta, read: ReadRow): Row | null => (read(GRANT_LEDGER, { global_position: e.globalPosition }) ? null : read(GRANT, { grant_id: d.grantId }));

/**
 * Grants: current state of each grant and the ledger of signed movements (decision, amendment difference, payment,
 * cancellation of the unpaid remainder), with its roll-up. Movements of a grant that is not projected are ignored,
 * but a cancellation, which needs the grant's amounts, fails.
 */
export const grantsReadModel = defineReadModel<GrantEvent>('grants', [GRANT, GRANT_LEDGER, GRANT_ROLLUP], {
  'funding.GrantDecided.v1': {
    reads: (d, e) => [...reads(d, e), ref(OPERATION, { operation_id: d.operationId })],
    changes: (d, e, read) => {
      if (read(GRANT_LEDGER, { global_position: e.globalPosition })) return [];
      const row = {
        grant_id: d.grantId, financer_code: d.financerCode, financer_category: d.financerCategory, operation_id: d.operationId, operation_kind: d.operationKind,
        epci_code: d.epciCode, bailleur_code: (read(OPERATION, { operation_id: d.operationId })?.bailleur_code as string | null | undefined) ?? null, axis_code: d.axisCode,
        dispositif: d.dispositif, beneficiary_kind: d.beneficiary.kind, beneficiary_code: d.beneficiary.code, beneficiary_name: d.beneficiary.name, convention_date: d.conventionDate,
        decision_ref: d.decisionRef, amount_cents: d.amountCents, paid_cents: 0, status: 'decided', recorded_at: e.recordedAt,
      };
      // A grant row already there (never in a valid log) keeps its own columns, as the ledger row copies them.
      return [insert(GRANT, row), ...movement(e, read(GRANT, { grant_id: d.grantId }) ?? row, 'decided', d.conventionDate, d.amountCents, 0)];
    },
  },
  'funding.GrantAmended.v1': {
    reads,
    changes: (d, e, read) => {
      const g = grantIfNew(d, e, read);
      return g ? [...movement(e, g, 'amended', d.amendedOn, d.amountCents - d.previousAmountCents, 0), update(GRANT, { grant_id: d.grantId }, { amount_cents: d.amountCents })] : [];
    },
  },
  'funding.GrantPaymentMade.v1': {
    reads,
    changes: (d, e, read) => {
      const g = grantIfNew(d, e, read);
      return g ? [...movement(e, g, 'paid', d.paidOn, 0, d.amountCents), update(GRANT, { grant_id: d.grantId }, { paid_cents: Number(g.paid_cents) + d.amountCents })] : [];
    },
  },
  'funding.GrantCancelled.v1': {
    reads,
    changes: (d, e, read) => {
      if (read(GRANT_LEDGER, { global_position: e.globalPosition })) return [];
      const g = read(GRANT, { grant_id: d.grantId });
      if (!g) throw new Error(`bilan projection: grant ${d.grantId} cancelled at global position ${e.globalPosition} is not projected`);
      // A cancelled grant keeps what was paid; the unpaid remainder leaves the amount decided.
      const paid = Number(g.paid_cents);
      return [...movement(e, g, 'cancelled', d.cancelledOn, -(Number(g.amount_cents) - paid), 0), update(GRANT, { grant_id: d.grantId }, { status: 'cancelled', amount_cents: paid })];
    },
  },
});
