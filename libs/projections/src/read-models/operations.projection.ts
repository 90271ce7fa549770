import { type OperationEvent } from '@erbm/operations';
import { type EventMeta, type ReadRow, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref, update, upsert } from '../runner/row-changes';
import { knownMonthOf, monthOf } from './buckets';

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
  columns: { global_position: 'bigint', operation_id: 'text', step: 'text', phase: 'text', effective_on: 'date', planned_on: 'date', recorded_at: 'timestamptz', estimated: 'boolean' },
};

/**
 * What the operations by phase need of an operation (issue 9): its kind, financing, EPCI, bailleur and planned
 * logements (current values, as `rm_operation` has them, null until it is programmed), the knowledge month of its
 * programming, and its steps (`steps`: `[effective_on, knowledge month, global position, step, phase]`), from which
 * its phase as of any (asOf, knownAt) is computed, with whether that phase comes from an estimated event. A row per
 * operation, read by key by each step event.
 */
export const OPERATION_PHASES: TableSpec = {
  name: 'rm_operation_phases',
  key: ['operation_id'],
  columns: {
    operation_id: 'text', kind: 'text', financing: 'text', epci_code: 'text', bailleur_code: 'text', planned_logements: 'integer', known_month: 'date', steps: 'jsonb',
  },
};
/**
 * Operations and planned logements by phase (or `suspendue` / `abandonnee`) as signed corners in (business month,
 * knowledge month), by kind, financing ('' for urban operations), phase, EPCI and bailleur (''): summed over the
 * corners ≤ a pair of month boundaries they give the operations in each phase then (`phaseCorners`).
 * `operations_estimated`: those whose phase or status then comes from an estimated event (ADR 0021). Rows: months² ×
 * phases × the programme's dimensions, not operations or events.
 */
export const OPERATION_PHASE_ROLLUP: TableSpec = {
  name: 'rm_operation_phase_rollup',
  key: ['month', 'known_month', 'kind', 'financing', 'phase', 'epci_code', 'bailleur_code'],
  columns: {
    month: 'date', known_month: 'date', kind: 'text', financing: 'text', phase: 'text', epci_code: 'text', bailleur_code: 'text', operations: 'bigint', planned: 'bigint',
    operations_estimated: 'bigint',
  },
};

/** A step as `rm_operation_phases` keeps it: effective date, knowledge month, global position, step, phase, whether its event is an estimate. */
type KeptStep = [effectiveOn: string, knownMonth: string, position: string, step: string, phase: string | null, estimated: boolean];

const laterStep = (a: KeptStep, b: KeptStep): boolean => a[0] > b[0] || (a[0] === b[0] && (a[2].length > b[2].length || (a[2].length === b[2].length && a[2] > b[2])));

/**
 * The phase shown for steps (as `operationsByPhase`): the last phase started, unless the last status step suspends or
 * abandons; null before the first. As `phase|1` when the step it comes from is an estimate, `phase|0` otherwise.
 */
function shownPhase(steps: readonly KeptStep[]): string | null {
  let phase: KeptStep | null = null;
  let status: KeptStep | null = null;
  for (const s of steps) {
    if (s[3] === 'programmed' || s[3] === 'phase') {
      if (!phase || laterStep(s, phase)) phase = s;
    } else if (!status || laterStep(s, status)) status = s;
  }
  if (!phase) return null;
  const flag = (s: KeptStep) => (s[5] ? '1' : '0');
  return status?.[3] === 'abandoned' ? `abandonnee|${flag(status)}` : status?.[3] === 'suspended' ? `suspendue|${flag(status)}` : `${phase[4]}|${flag(phase)}`;
}

/**
 * The operation's phase as signed corners: `month|knownMonth|phase|estimated` → ±1 (estimated `1` or `0`), such that for every business month W and
 * knowledge month K the corners ≤ (W, K) add up to 1 for the phase shown from the steps of months ≤ W known in
 * months ≤ K (and the operation programmed by K), 0 for the others (two-dimensional differences over the grid of
 * the steps' months).
 */
export function phaseCorners(state: Row | null): Map<string, number> {
  const out = new Map<string, number>();
  if (!state?.kind) return out;
  const steps = state.steps as KeptStep[];
  const xs = [...new Set(steps.map((s) => monthOf(s[0])))].sort();
  const ys = [...new Set([...steps.map((s) => s[1]), state.known_month as string])].sort();
  const value = (i: number, j: number): string | null =>
    i < 0 || j < 0 || ys[j] < (state.known_month as string) ? null : shownPhase(steps.filter((s) => monthOf(s[0]) <= xs[i] && s[1] <= ys[j]));
  const values = xs.map((_, i) => ys.map((_, j) => value(i, j)));
  const at = (i: number, j: number) => (i < 0 || j < 0 ? null : values[i][j]);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < ys.length; j++) {
      for (const [v, sign] of [[at(i, j), 1], [at(i - 1, j), -1], [at(i, j - 1), -1], [at(i - 1, j - 1), 1]] as const) {
        if (v === null) continue;
        const k = `${xs[i]}|${ys[j]}|${v}`;
        const n = (out.get(k) ?? 0) + sign;
        if (n === 0) out.delete(k);
        else out.set(k, n);
      }
    }
  }
  return out;
}

/** The roll-up increments from `before` to `after` (an operation's phase state), and the new state. */
function phaseChanges(before: Row | null, after: Row): RowChange[] {
  const delta = new Map<string, { operations: number; planned: number; estimated: number; s: Row }>();
  const add = (s: Row | null, sign: number) => {
    if (!s?.kind) return;
    for (const [k, n] of phaseCorners(s)) {
      const [month, knownMonth, phase, estimated] = k.split('|');
      const key = `${month}|${knownMonth}|${phase}|${s.kind}|${s.financing ?? ''}|${s.epci_code}|${s.bailleur_code ?? ''}`;
      const d = delta.get(key) ?? { operations: 0, planned: 0, estimated: 0, s };
      d.operations += sign * n;
      d.planned += sign * n * Number(s.planned_logements);
      if (estimated === '1') d.estimated += sign * n;
      delta.set(key, d);
    }
  };
  add(before, -1);
  add(after, 1);
  const out: RowChange[] = [];
  for (const [key, d] of delta) {
    if (d.operations === 0 && d.planned === 0 && d.estimated === 0) continue;
    const [month, known_month, phase] = key.split('|');
    out.push(increment(OPERATION_PHASE_ROLLUP, {
      month, known_month, kind: d.s.kind, financing: d.s.financing ?? '', phase, epci_code: d.s.epci_code, bailleur_code: d.s.bailleur_code ?? '',
    }, { operations: d.operations, planned: d.planned, operations_estimated: d.estimated }));
  }
  out.push(upsert(OPERATION_PHASES, after));
  return out;
}

const phasesOf = (operationId: string, read: ReadRow): Row | null => read(OPERATION_PHASES, { operation_id: operationId });
const phasesRef = (d: { operationId: string }) => [ref(OPERATION_PHASES, { operation_id: d.operationId })];

/** A step (`rm_operation_step`) and its effect on the operation's phase roll-up (none when replayed). */
function step(e: EventMeta, read: ReadRow, operationId: string, kind: string, phase: string | null, on: string, plannedOn: string | null, programmed?: Row): RowChange[] {
  const before = phasesOf(operationId, read);
  const ledger = insert(OPERATION_STEP, { global_position: e.globalPosition, operation_id: operationId, step: kind, phase, effective_on: on, planned_on: plannedOn, recorded_at: e.recordedAt, estimated: e.estimated });
  const steps = (before?.steps ?? []) as KeptStep[];
  if (steps.some((s) => s[2] === e.globalPosition)) return [ledger];
  const after: Row = {
    operation_id: operationId, kind: null, financing: null, epci_code: null, bailleur_code: null, planned_logements: null, known_month: null,
    ...before, ...(before?.kind ? {} : programmed), steps: [...steps, [on, knownMonthOf(e.recordedAt), e.globalPosition, kind, phase, e.estimated]],
  };
  return [ledger, ...phaseChanges(before, after)];
}
const programmedAs = (e: EventMeta, d: { epciCode: string; plannedLogements?: number }, kind: string, financing: string | null, bailleur: string | null): Row => ({
  kind, financing, epci_code: d.epciCode, bailleur_code: bailleur, planned_logements: d.plannedLogements ?? 0, known_month: knownMonthOf(e.recordedAt),
});

/**
 * Operations and phases: the operations (current planned figures and dates) and the ledger of their steps
 * (programming, phases started, suspensions, resumptions, abandonment), from which the phase as of any date is read,
 * and the roll-up of operations by phase (`rm_operation_phases`, `rm_operation_phase_rollup`).
 */
export const operationsReadModel = defineReadModel<OperationEvent>('operations and phases', [OPERATION, OPERATION_STEP, OPERATION_PHASES, OPERATION_PHASE_ROLLUP], {
  'operation.LogementsOperationProgrammed.v1': {
    reads: phasesRef,
    changes: (d, e, read) => [
      insert(OPERATION, {
        operation_id: d.operationId, kind: 'logements', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: d.bailleurCode, financing: d.financing, axis_code: d.axisCode,
        title: d.title, lead_kind: null, lead_name: null, planned_logements: d.plannedLogements, programmed_on: d.programmedOn, planned_dates: d.plannedDates, recorded_at: e.recordedAt,
      }),
      ...step(e, read, d.operationId, 'programmed', 'programmation', d.programmedOn, null, programmedAs(e, d, 'logements', d.financing, d.bailleurCode)),
    ],
  },
  'operation.UrbanOperationProgrammed.v1': {
    reads: phasesRef,
    changes: (d, e, read) => [
      insert(OPERATION, {
        operation_id: d.operationId, kind: 'urbaine', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: null, financing: null, axis_code: d.axisCode, title: d.title,
        lead_kind: d.leadKind, lead_name: d.leadName, planned_logements: 0, programmed_on: d.programmedOn, planned_dates: d.plannedDates, recorded_at: e.recordedAt,
      }),
      ...step(e, read, d.operationId, 'programmed', 'programmation', d.programmedOn, null, programmedAs(e, d, 'urbaine', null, null)),
    ],
  },
  'operation.PhaseStarted.v1': { reads: phasesRef, changes: (d, e, read) => step(e, read, d.operationId, 'phase', d.phase, d.startedOn, d.plannedOn) },
  'operation.OperationSuspended.v1': { reads: phasesRef, changes: (d, e, read) => step(e, read, d.operationId, 'suspended', null, d.suspendedOn, null) },
  'operation.OperationResumed.v1': { reads: phasesRef, changes: (d, e, read) => step(e, read, d.operationId, 'resumed', null, d.resumedOn, null) },
  'operation.OperationAbandoned.v1': { reads: phasesRef, changes: (d, e, read) => step(e, read, d.operationId, 'abandoned', null, d.abandonedOn, null) },
  'operation.PhasePlanRevised.v1': {
    reads: (d) => [ref(OPERATION, { operation_id: d.operationId })],
    changes: (d, _e, read) => {
      const o = read(OPERATION, { operation_id: d.operationId });
      return o ? [update(OPERATION, { operation_id: d.operationId }, { planned_dates: { ...(o.planned_dates as Record<string, string>), [d.phase]: d.plannedOn } })] : [];
    },
  },
  'operation.PlannedLogementsAmended.v1': {
    reads: phasesRef,
    changes: (d, _e, read) => {
      const before = phasesOf(d.operationId, read);
      const amend = update(OPERATION, { operation_id: d.operationId }, { planned_logements: d.plannedLogements });
      return before?.kind ? [amend, ...phaseChanges(before, { ...before, planned_logements: d.plannedLogements })] : [amend];
    },
  },
});
