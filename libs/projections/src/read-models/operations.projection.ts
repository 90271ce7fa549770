import { type OperationEvent } from '@erbm/operations';
import { type EventMeta, type TableSpec, defineReadModel, insert, ref, update } from '../runner/row-changes';

export const OPERATION: TableSpec = {
  name: 'rm_operation',
  key: ['operation_id'],
  columns: {
    operation_id: 'text', kind: 'text', cite_id: 'text', epci_code: 'text', bailleur_code: 'text', financing: 'text', axis_code: 'text', title: 'text', lead_kind: 'text',
    lead_name: 'text', planned_logements: 'integer', programmed_on: 'date', planned_dates: 'jsonb', recorded_at: 'timestamptz',
  },
};
export const OPERATION_STEP: TableSpec = {
  name: 'rm_operation_step',
  key: ['global_position'],
  ledger: true,
  columns: { global_position: 'bigint', operation_id: 'text', step: 'text', phase: 'text', effective_on: 'date', planned_on: 'date', recorded_at: 'timestamptz' },
};

const step = (e: EventMeta, operationId: string, kind: string, phase: string | null, on: string, plannedOn: string | null) =>
  insert(OPERATION_STEP, { global_position: e.globalPosition, operation_id: operationId, step: kind, phase, effective_on: on, planned_on: plannedOn, recorded_at: e.recordedAt });

/**
 * Operations and phases: the operations (current planned figures and dates) and the ledger of their steps
 * (programming, phases started, suspensions, resumptions, abandonment), from which the phase as of any date is read.
 */
export const operationsReadModel = defineReadModel<OperationEvent>('operations and phases', [OPERATION, OPERATION_STEP], {
  'operation.LogementsOperationProgrammed.v1': {
    changes: (d, e) => [
      insert(OPERATION, {
        operation_id: d.operationId, kind: 'logements', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: d.bailleurCode, financing: d.financing, axis_code: d.axisCode,
        title: d.title, lead_kind: null, lead_name: null, planned_logements: d.plannedLogements, programmed_on: d.programmedOn, planned_dates: d.plannedDates, recorded_at: e.recordedAt,
      }),
      step(e, d.operationId, 'programmed', 'programmation', d.programmedOn, null),
    ],
  },
  'operation.UrbanOperationProgrammed.v1': {
    changes: (d, e) => [
      insert(OPERATION, {
        operation_id: d.operationId, kind: 'urbaine', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: null, financing: null, axis_code: d.axisCode, title: d.title,
        lead_kind: d.leadKind, lead_name: d.leadName, planned_logements: 0, programmed_on: d.programmedOn, planned_dates: d.plannedDates, recorded_at: e.recordedAt,
      }),
      step(e, d.operationId, 'programmed', 'programmation', d.programmedOn, null),
    ],
  },
  'operation.PhaseStarted.v1': { changes: (d, e) => [step(e, d.operationId, 'phase', d.phase, d.startedOn, d.plannedOn)] },
  'operation.OperationSuspended.v1': { changes: (d, e) => [step(e, d.operationId, 'suspended', null, d.suspendedOn, null)] },
  'operation.OperationResumed.v1': { changes: (d, e) => [step(e, d.operationId, 'resumed', null, d.resumedOn, null)] },
  'operation.OperationAbandoned.v1': { changes: (d, e) => [step(e, d.operationId, 'abandoned', null, d.abandonedOn, null)] },
  'operation.PhasePlanRevised.v1': {
    reads: (d) => [ref(OPERATION, { operation_id: d.operationId })],
    changes: (d, _e, read) => {
      const o = read(OPERATION, { operation_id: d.operationId });
      return o ? [update(OPERATION, { operation_id: d.operationId }, { planned_dates: { ...(o.planned_dates as Record<string, string>), [d.phase]: d.plannedOn } })] : [];
    },
  },
  'operation.PlannedLogementsAmended.v1': { changes: (d) => [update(OPERATION, { operation_id: d.operationId }, { planned_logements: d.plannedLogements })] },
});
