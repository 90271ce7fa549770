import { type RecordedEvent } from '@erbm/event-store';
import { type GrantEvent } from '@erbm/funding';
import { type InsertionEvent } from '@erbm/insertion';
import { type OperationEvent } from '@erbm/operations';
import { type ProgrammeContextEvent } from '@erbm/programme';
import { type EntityManager } from 'typeorm';
import { type Projection } from './projection';

type AnyEvent = ProgrammeContextEvent | OperationEvent | GrantEvent | InsertionEvent;

/** Every table of the `bilan` projection (emptied on rebuild). */
/** Events per transaction when the runner is given no batch size (set-based path; measured in bench/rebuild.ts). */
export const BILAN_BATCH_SIZE = 5000;

export const BILAN_TABLES = [
  'rm_epci', 'rm_financer', 'rm_bailleur', 'rm_cite', 'rm_programme_target', 'rm_axis',
  'rm_operation', 'rm_operation_step', 'rm_delivery_ledger', 'rm_grant', 'rm_grant_ledger', 'rm_insertion_ledger',
];

/**
 * The `bilan` projection: every read model of the mid-term report, from the global log. Ledger rows are keyed by
 * the event's global position, so replaying an event is a no-op (`ON CONFLICT DO NOTHING`); current-state tables
 * are upserts. Rows keep the business date of the fact and the event's knowledge time (`recorded_at`).
 */
export const bilanProjection: Projection = {
  name: 'bilan',
  version: 1,
  tables: BILAN_TABLES,
  preferredBatchSize: BILAN_BATCH_SIZE,
  apply: applyEvent,
  applyBatch(this: Projection, m: EntityManager, events: RecordedEvent[]): Promise<void> {
    // A projection derived with `{ ...bilanProjection, apply }` keeps its own per-event semantics.
    if (this.apply !== applyEvent) return applyEach(this, m, events);
    return applyBilanBatch(m, events);
  },
};

async function applyEach(p: Projection, m: EntityManager, events: RecordedEvent[]): Promise<void> {
  for (const e of events) await p.apply(m, e);
}

/** Applies one event with one or more statements (the reference path; `applyBilanBatch` gives the same rows). */
async function applyEvent(m: EntityManager, recorded: RecordedEvent): Promise<void> {
  const e = { type: recorded.type, data: recorded.data } as AnyEvent;
  const gp = recorded.globalPosition;
  const at = recorded.recordedAt;
  switch (e.type) {
    // ── programme (reference data) ──────────────────────────────────────────────────────────────────────────
    case 'programme.ProgrammeLaunched.v1':
      return;
    case 'programme.TargetSet.v1': {
      const d = e.data;
      await m.query(
        `INSERT INTO rm_programme_target (programme_id, target_version, logements, energy_goal_kwh, target_date, effective_from, source, recorded_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
        [d.programmeId, d.targetVersion, d.logements, d.energyGoalKwhPerM2Year, d.targetDate, d.effectiveFrom, d.source, at],
      );
      return;
    }
    case 'programme.AxisSetPublished.v1':
      for (const a of e.data.axes) {
        await m.query(
          `INSERT INTO rm_axis (axis_set_version, code, label, parent_code, effective_from, recorded_at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
          [e.data.axisSetVersion, a.code, a.label, a.parentCode, e.data.effectiveFrom, at],
        );
      }
      return;
    case 'programme.EpciRegistered.v1':
      await m.query(`INSERT INTO rm_epci (epci_code, name, communes) VALUES ($1,$2,$3) ON CONFLICT (epci_code) DO UPDATE SET name = $2, communes = $3`, [
        e.data.epciCode, e.data.name, e.data.communes,
      ]);
      return;
    case 'programme.FinancerRegistered.v1':
      await m.query(
        `INSERT INTO rm_financer (financer_code, name, category, epci_code) VALUES ($1,$2,$3,$4)
         ON CONFLICT (financer_code) DO UPDATE SET name = $2, category = $3, epci_code = $4`,
        [e.data.financerCode, e.data.name, e.data.category, e.data.epciCode],
      );
      return;
    case 'programme.BailleurRegistered.v1':
      await m.query(`INSERT INTO rm_bailleur (bailleur_code, name) VALUES ($1,$2) ON CONFLICT (bailleur_code) DO UPDATE SET name = $2`, [e.data.bailleurCode, e.data.name]);
      return;
    case 'programme.CiteRegistered.v1':
    case 'programme.CiteCorrected.v1': {
      const d = e.data;
      await m.query(
        `INSERT INTO rm_cite (cite_id, name, communes, epci_code, bailleur_code, logements, unesco, priority) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (cite_id) DO UPDATE SET name = $2, communes = $3, epci_code = $4, bailleur_code = $5, logements = $6, unesco = $7, priority = $8`,
        [d.citeId, d.name, d.communes, d.epciCode, d.bailleurCode, d.logements, d.unesco, d.priority],
      );
      return;
    }
    // ── operations ──────────────────────────────────────────────────────────────────────────────────────────
    case 'operation.LogementsOperationProgrammed.v1': {
      const d = e.data;
      await m.query(
        `INSERT INTO rm_operation (operation_id, kind, cite_id, epci_code, bailleur_code, financing, axis_code, title, planned_logements, programmed_on, planned_dates, recorded_at)
         VALUES ($1,'logements',$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING`,
        [d.operationId, d.citeId, d.epciCode, d.bailleurCode, d.financing, d.axisCode, d.title, d.plannedLogements, d.programmedOn, JSON.stringify(d.plannedDates), at],
      );
      await step(m, gp, d.operationId, 'programmed', 'programmation', d.programmedOn, null, at);
      return;
    }
    case 'operation.UrbanOperationProgrammed.v1': {
      const d = e.data;
      await m.query(
        `INSERT INTO rm_operation (operation_id, kind, cite_id, epci_code, axis_code, title, lead_kind, lead_name, programmed_on, planned_dates, recorded_at)
         VALUES ($1,'urbaine',$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`,
        [d.operationId, d.citeId, d.epciCode, d.axisCode, d.title, d.leadKind, d.leadName, d.programmedOn, JSON.stringify(d.plannedDates), at],
      );
      await step(m, gp, d.operationId, 'programmed', 'programmation', d.programmedOn, null, at);
      return;
    }
    case 'operation.PhaseStarted.v1':
      await step(m, gp, e.data.operationId, 'phase', e.data.phase, e.data.startedOn, e.data.plannedOn, at);
      return;
    case 'operation.PhasePlanRevised.v1':
      await m.query(`UPDATE rm_operation SET planned_dates = planned_dates || jsonb_build_object($2::text, $3::text) WHERE operation_id = $1`, [
        e.data.operationId, e.data.phase, e.data.plannedOn,
      ]);
      return;
    case 'operation.OperationSuspended.v1':
      await step(m, gp, e.data.operationId, 'suspended', null, e.data.suspendedOn, null, at);
      return;
    case 'operation.OperationResumed.v1':
      await step(m, gp, e.data.operationId, 'resumed', null, e.data.resumedOn, null, at);
      return;
    case 'operation.OperationAbandoned.v1':
      await step(m, gp, e.data.operationId, 'abandoned', null, e.data.abandonedOn, null, at);
      return;
    case 'operation.PlannedLogementsAmended.v1':
      await m.query('UPDATE rm_operation SET planned_logements = $2 WHERE operation_id = $1', [e.data.operationId, e.data.plannedLogements]);
      return;
    case 'operation.LogementsDelivered.v1': {
      const d = e.data;
      await delivery(m, gp, 0, d.deliveryId, d.operationId, d.deliveredOn, d.logements, d.energyBefore, d.energyAfter, at);
      return;
    }
    case 'operation.LogementsDeliveryCorrected.v1': {
      const d = e.data;
      const p = d.previous;
      // Compensate the previous figures, then add the corrected ones: sums as of any date stay right.
      await delivery(m, gp, 0, d.deliveryId, d.operationId, p.deliveredOn, -p.logements, p.energyBefore, p.energyAfter, at);
      await delivery(m, gp, 1, d.deliveryId, d.operationId, d.deliveredOn, d.logements, d.energyBefore, d.energyAfter, at);
      return;
    }
    // ── funding ─────────────────────────────────────────────────────────────────────────────────────────────
    case 'funding.GrantDecided.v1': {
      const d = e.data;
      await m.query(
        `INSERT INTO rm_grant (grant_id, financer_code, financer_category, operation_id, operation_kind, epci_code, axis_code, dispositif,
           beneficiary_kind, beneficiary_code, beneficiary_name, convention_date, decision_ref, amount_cents, status, recorded_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'decided',$15) ON CONFLICT DO NOTHING`,
        [d.grantId, d.financerCode, d.financerCategory, d.operationId, d.operationKind, d.epciCode, d.axisCode, d.dispositif,
          d.beneficiary.kind, d.beneficiary.code, d.beneficiary.name, d.conventionDate, d.decisionRef, d.amountCents, at],
      );
      await grantMovement(m, gp, d.grantId, 'decided', d.conventionDate, d.amountCents, 0, at);
      return;
    }
    case 'funding.GrantAmended.v1': {
      const d = e.data;
      if (await grantMovement(m, gp, d.grantId, 'amended', d.amendedOn, d.amountCents - d.previousAmountCents, 0, at)) {
        await m.query('UPDATE rm_grant SET amount_cents = $2 WHERE grant_id = $1', [d.grantId, d.amountCents]);
      }
      return;
    }
    case 'funding.GrantPaymentMade.v1': {
      const d = e.data;
      if (await grantMovement(m, gp, d.grantId, 'paid', d.paidOn, 0, d.amountCents, at)) {
        await m.query('UPDATE rm_grant SET paid_cents = paid_cents + $2 WHERE grant_id = $1', [d.grantId, d.amountCents]);
      }
      return;
    }
    case 'funding.GrantCancelled.v1': {
      // A cancelled grant keeps what was paid; the unpaid remainder leaves the amount decided.
      const rows: { amount_cents: string; paid_cents: string }[] = await m.query('SELECT amount_cents, paid_cents FROM rm_grant WHERE grant_id = $1', [e.data.grantId]);
      const remainder = Number(rows[0].amount_cents) - Number(rows[0].paid_cents);
      if (await grantMovement(m, gp, e.data.grantId, 'cancelled', e.data.cancelledOn, -remainder, 0, at)) {
        await m.query(`UPDATE rm_grant SET status = 'cancelled', amount_cents = paid_cents WHERE grant_id = $1`, [e.data.grantId]);
      }
      return;
    }
    // ── insertion ───────────────────────────────────────────────────────────────────────────────────────────
    case 'insertion.InsertionHoursDeclared.v1': {
      const d = e.data;
      await insertion(m, gp, d.declarationId, { operationId: d.operationId, operationKind: d.operationKind, epciCode: d.epciCode, bailleurCode: d.bailleurCode, marcheRef: d.marcheRef, periodStart: d.periodStart, periodEnd: d.periodEnd }, d.hours, d.participants, d.recruitments, at);
      return;
    }
    case 'insertion.InsertionDeclarationCorrected.v1': {
      const d = e.data;
      const rows: InsertionKeys[] = await m.query(
        `SELECT operation_id AS "operationId", operation_kind AS "operationKind", epci_code AS "epciCode", bailleur_code AS "bailleurCode",
                marche_ref AS "marcheRef", to_char(period_start, 'YYYY-MM-DD') AS "periodStart", to_char(period_end, 'YYYY-MM-DD') AS "periodEnd"
           FROM rm_insertion_ledger WHERE declaration_id = $1 ORDER BY global_position LIMIT 1`,
        [d.declarationId],
      );
      const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));
      await insertion(m, gp, d.declarationId, rows[0], d.hours - d.previous.hours, minus(d.participants, d.previous.participants), minus(d.recruitments, d.previous.recruitments), at);
      return;
    }
    default:
      return;
  }
}

async function step(m: EntityManager, gp: string, operationId: string, kind: string, phase: string | null, on: string, plannedOn: string | null, at: string): Promise<void> {
  await m.query(
    `INSERT INTO rm_operation_step (global_position, operation_id, step, phase, effective_on, planned_on, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
    [gp, operationId, kind, phase, on, plannedOn, at],
  );
}

interface Energy {
  primaryEnergyKwhPerM2Year: number;
  dpeClass: string;
}

async function delivery(m: EntityManager, gp: string, seq: number, deliveryId: string, operationId: string, on: string, logements: number, before: Energy, after: Energy, at: string): Promise<void> {
  await m.query(
    `INSERT INTO rm_delivery_ledger (global_position, seq, delivery_id, operation_id, cite_id, epci_code, bailleur_code, financing, axis_code,
       delivered_on, logements, energy_before_kwh, energy_after_kwh, dpe_before, dpe_after, recorded_at)
     SELECT $1, $2, $3, o.operation_id, o.cite_id, o.epci_code, o.bailleur_code, o.financing, o.axis_code, $5, $6, $7, $8, $9, $10, $11
       FROM rm_operation o WHERE o.operation_id = $4
     ON CONFLICT DO NOTHING`,
    [gp, seq, deliveryId, operationId, on, logements, before.primaryEnergyKwhPerM2Year, after.primaryEnergyKwhPerM2Year, before.dpeClass, after.dpeClass, at],
  );
}

/** Adds a grant ledger movement; returns false when the event was already applied (replay). */
async function grantMovement(m: EntityManager, gp: string, grantId: string, movement: string, on: string, decidedCents: number, paidCents: number, at: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO rm_grant_ledger (global_position, grant_id, movement, effective_on, financer_code, financer_category, operation_id, operation_kind,
       epci_code, axis_code, dispositif, decided_cents, paid_cents, recorded_at)
     SELECT $1, g.grant_id, $3, $4, g.financer_code, g.financer_category, g.operation_id, g.operation_kind, g.epci_code, g.axis_code, g.dispositif, $5, $6, $7
       FROM rm_grant g WHERE g.grant_id = $2
     ON CONFLICT DO NOTHING RETURNING global_position`,
    [gp, grantId, movement, on, decidedCents, paidCents, at],
  );
  return rows.length > 0;
}

interface InsertionKeys {
  operationId: string | null;
  operationKind: string | null;
  epciCode: string;
  bailleurCode: string | null;
  marcheRef: string;
  periodStart: string;
  periodEnd: string;
}

async function insertion(m: EntityManager, gp: string, declarationId: string, k: InsertionKeys, hours: number, p: Record<string, number>, r: Record<string, number>, at: string): Promise<void> {
  await m.query(
    `INSERT INTO rm_insertion_ledger (global_position, declaration_id, operation_id, operation_kind, epci_code, bailleur_code, marche_ref, period_start, period_end, hours,
       participants_deld, participants_rsa, participants_jeunes, participants_rqth, participants_autres,
       recruitments_deld, recruitments_rsa, recruitments_jeunes, recruitments_rqth, recruitments_autres, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21) ON CONFLICT DO NOTHING`,
    [gp, declarationId, k.operationId, k.operationKind, k.epciCode, k.bailleurCode, k.marcheRef, k.periodStart, k.periodEnd, hours,
      p.deld, p.rsa, p.jeunes, p.rqth, p.autres, r.deld, r.rsa, r.jeunes, r.rqth, r.autres, at],
  );
}

// ── set-based batch path ──────────────────────────────────────────────────────────────────────────────────────
//
// `applyBilanBatch` gives the rows `applyEvent` would give event by event, with a handful of statements per batch:
// 1. the state that handlers read (operations, grants, the first row of corrected insertion declarations, grant
//    ledger rows already there on replay) is loaded once with `= ANY($1)` lookups;
// 2. events are folded in log order in memory (an event sees the effects of the earlier events of the batch);
// 3. every table gets one multi-row `INSERT … SELECT FROM jsonb_array_elements($1) ON CONFLICT DO NOTHING` (ledgers,
//    idempotent under replay as before) and one `UPDATE … FROM (…)` for rows that existed before the batch.
// Reference data (EPCI, cités, financers…) is rare and applied immediately through `applyEvent`.

interface OperationState {
  isNew: boolean;
  dirty: boolean;
  operation_id: string;
  kind: 'logements' | 'urbaine';
  cite_id: string;
  epci_code: string;
  bailleur_code: string | null;
  financing: string | null;
  axis_code: string;
  title: string;
  lead_kind: string | null;
  lead_name: string | null;
  planned_logements: number;
  programmed_on: string;
  planned_dates: Record<string, string>;
  recorded_at: string;
}

interface GrantState {
  isNew: boolean;
  dirty: boolean;
  grant_id: string;
  financer_code: string;
  financer_category: string;
  operation_id: string;
  operation_kind: string;
  epci_code: string;
  axis_code: string;
  dispositif: string;
  beneficiary_kind: string;
  beneficiary_code: string | null;
  beneficiary_name: string;
  convention_date: string;
  decision_ref: string | null;
  amount_cents: number;
  paid_cents: number;
  status: string;
  recorded_at: string;
}

/** A column of a multi-row insert: name and PostgreSQL type of its array parameter. */
type Column = readonly [name: string, type: string];

/**
 * Rows for one table, sent as one JSON array of arrays (`JSON.stringify` is native and far cheaper than the
 * driver's per-element array literals) and unpacked by PostgreSQL with `jsonb_array_elements`.
 */
class RowBuffer {
  readonly rows: unknown[][] = [];
  constructor(readonly table: string, readonly columns: readonly Column[]) {}
  get length(): number {
    return this.rows.length;
  }
  push(...row: unknown[]): void {
    this.rows.push(row);
  }
  /** `SELECT` list unpacking the JSON rows `r` into typed columns. */
  select(): string {
    return this.columns.map(([n, t], i) => (t === 'jsonb' ? `r->${i}` : `(r->>${i})::${t}`) + ` AS ${n}`).join(', ');
  }
  /** `INSERT … SELECT FROM jsonb_array_elements($1)`, idempotent by default (`ON CONFLICT DO NOTHING`). */
  async insert(m: EntityManager, suffix = 'ON CONFLICT DO NOTHING'): Promise<void> {
    if (this.rows.length === 0) return;
    await m.query(`INSERT INTO ${this.table} (${this.columns.map(([n]) => n).join(', ')}) SELECT ${this.select()} FROM jsonb_array_elements($1::jsonb) AS r ${suffix}`, [JSON.stringify(this.rows)]);
  }
}

const OPERATION_COLUMNS: readonly Column[] = [
  ['operation_id', 'text'], ['kind', 'text'], ['cite_id', 'text'], ['epci_code', 'text'], ['bailleur_code', 'text'], ['financing', 'text'],
  ['axis_code', 'text'], ['title', 'text'], ['lead_kind', 'text'], ['lead_name', 'text'], ['planned_logements', 'integer'],
  ['programmed_on', 'date'], ['planned_dates', 'jsonb'], ['recorded_at', 'timestamptz'],
];
const GRANT_COLUMNS: readonly Column[] = [
  ['grant_id', 'text'], ['financer_code', 'text'], ['financer_category', 'text'], ['operation_id', 'text'], ['operation_kind', 'text'],
  ['epci_code', 'text'], ['axis_code', 'text'], ['dispositif', 'text'], ['beneficiary_kind', 'text'], ['beneficiary_code', 'text'],
  ['beneficiary_name', 'text'], ['convention_date', 'date'], ['decision_ref', 'text'], ['amount_cents', 'bigint'], ['paid_cents', 'bigint'],
  ['status', 'text'], ['recorded_at', 'timestamptz'],
];
const STEP_COLUMNS: readonly Column[] = [
  ['global_position', 'bigint'], ['operation_id', 'text'], ['step', 'text'], ['phase', 'text'], ['effective_on', 'date'], ['planned_on', 'date'], ['recorded_at', 'timestamptz'],
];
const DELIVERY_COLUMNS: readonly Column[] = [
  ['global_position', 'bigint'], ['seq', 'smallint'], ['delivery_id', 'text'], ['operation_id', 'text'], ['cite_id', 'text'], ['epci_code', 'text'],
  ['bailleur_code', 'text'], ['financing', 'text'], ['axis_code', 'text'], ['delivered_on', 'date'], ['logements', 'integer'],
  ['energy_before_kwh', 'integer'], ['energy_after_kwh', 'integer'], ['dpe_before', 'text'], ['dpe_after', 'text'], ['recorded_at', 'timestamptz'],
];
const GRANT_LEDGER_COLUMNS: readonly Column[] = [
  ['global_position', 'bigint'], ['grant_id', 'text'], ['movement', 'text'], ['effective_on', 'date'], ['financer_code', 'text'], ['financer_category', 'text'],
  ['operation_id', 'text'], ['operation_kind', 'text'], ['epci_code', 'text'], ['axis_code', 'text'], ['dispositif', 'text'],
  ['decided_cents', 'bigint'], ['paid_cents', 'bigint'], ['recorded_at', 'timestamptz'],
];
const INSERTION_COLUMNS: readonly Column[] = [
  ['global_position', 'bigint'], ['declaration_id', 'text'], ['operation_id', 'text'], ['operation_kind', 'text'], ['epci_code', 'text'], ['bailleur_code', 'text'],
  ['marche_ref', 'text'], ['period_start', 'date'], ['period_end', 'date'], ['hours', 'integer'],
  ['participants_deld', 'integer'], ['participants_rsa', 'integer'], ['participants_jeunes', 'integer'], ['participants_rqth', 'integer'], ['participants_autres', 'integer'],
  ['recruitments_deld', 'integer'], ['recruitments_rsa', 'integer'], ['recruitments_jeunes', 'integer'], ['recruitments_rqth', 'integer'], ['recruitments_autres', 'integer'],
  ['recorded_at', 'timestamptz'],
];

const PUBLIC_KEYS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'] as const;

/** Operation events whose handling reads or writes the operation's row. */
const OPERATION_LOOKUPS = new Set([
  'operation.LogementsOperationProgrammed.v1', 'operation.UrbanOperationProgrammed.v1', 'operation.PhasePlanRevised.v1',
  'operation.PlannedLogementsAmended.v1', 'operation.LogementsDelivered.v1', 'operation.LogementsDeliveryCorrected.v1',
]);

/** Ids of the rows a batch's handlers read, collected before folding. */
function referencedIds(events: RecordedEvent[]): { operations: string[]; grants: string[]; grantPositions: string[]; declarations: string[] } {
  const operations = new Set<string>();
  const grants = new Set<string>();
  const grantPositions: string[] = [];
  const declarations = new Set<string>();
  for (const r of events) {
    const t = r.type;
    // Phase and status events only add steps: no lookup.
    if (OPERATION_LOOKUPS.has(t)) operations.add((r.data as { operationId: string }).operationId);
    else if (t.startsWith('funding.')) {
      grants.add((r.data as { grantId: string }).grantId);
      grantPositions.push(r.globalPosition);
    } else if (t === 'insertion.InsertionDeclarationCorrected.v1') declarations.add((r.data as { declarationId: string }).declarationId);
  }
  return { operations: [...operations], grants: [...grants], grantPositions, declarations: [...declarations] };
}

/** Rows that exist before the batch, with what the batch needs: the columns copied to deliveries and the planned figures. */
async function loadOperations(m: EntityManager, ids: string[]): Promise<Map<string, OperationState>> {
  const map = new Map<string, OperationState>();
  if (ids.length === 0) return map;
  const rows: Pick<OperationState, 'operation_id' | 'cite_id' | 'epci_code' | 'bailleur_code' | 'financing' | 'axis_code' | 'planned_logements' | 'planned_dates'>[] = await m.query(
    `SELECT operation_id, cite_id, epci_code, bailleur_code, financing, axis_code, planned_logements, planned_dates FROM rm_operation WHERE operation_id = ANY($1::text[])`,
    [ids],
  );
  // Columns not read back are never written for existing rows (only the planned figures are updated).
  for (const r of rows) map.set(r.operation_id, { ...r, kind: 'logements', title: '', lead_kind: null, lead_name: null, programmed_on: '', recorded_at: '', isNew: false, dirty: false });
  return map;
}

/** Rows that exist before the batch, with what the batch needs: the columns copied to the ledger and the amounts. */
async function loadGrants(m: EntityManager, ids: string[]): Promise<Map<string, GrantState>> {
  const map = new Map<string, GrantState>();
  if (ids.length === 0) return map;
  const rows: (Pick<GrantState, 'grant_id' | 'financer_code' | 'financer_category' | 'operation_id' | 'operation_kind' | 'epci_code' | 'axis_code' | 'dispositif' | 'status'> & { amount_cents: string; paid_cents: string })[] =
    await m.query(
      `SELECT grant_id, financer_code, financer_category, operation_id, operation_kind, epci_code, axis_code, dispositif, amount_cents, paid_cents, status
         FROM rm_grant WHERE grant_id = ANY($1::text[])`,
      [ids],
    );
  // Columns not read back are never written for existing rows (only amounts and status are updated).
  for (const r of rows) {
    map.set(r.grant_id, {
      ...r, amount_cents: Number(r.amount_cents), paid_cents: Number(r.paid_cents), beneficiary_kind: '', beneficiary_code: null, beneficiary_name: '',
      convention_date: '', decision_ref: null, recorded_at: '', isNew: false, dirty: false,
    });
  }
  return map;
}

/** The positions among `positions` already in `table` (a replay); none without a lookup when the table ends before them. */
async function loadExistingPositions(m: EntityManager, table: string, positions: string[]): Promise<Set<string>> {
  if (positions.length === 0) return new Set();
  const [{ max }]: { max: string | null }[] = await m.query(`SELECT max(global_position)::text AS max FROM ${table}`);
  if (max === null || positions.every((p) => BigInt(p) > BigInt(max))) return new Set();
  const rows: { gp: string }[] = await m.query(`SELECT global_position::text AS gp FROM ${table} WHERE global_position = ANY($1::bigint[])`, [positions]);
  return new Set(rows.map((r) => r.gp));
}

async function loadDeclarationKeys(m: EntityManager, ids: string[]): Promise<Map<string, InsertionKeys>> {
  const map = new Map<string, InsertionKeys>();
  if (ids.length === 0) return map;
  const rows: (InsertionKeys & { declarationId: string })[] = await m.query(
    `SELECT DISTINCT ON (declaration_id) declaration_id AS "declarationId", operation_id AS "operationId", operation_kind AS "operationKind", epci_code AS "epciCode",
            bailleur_code AS "bailleurCode", marche_ref AS "marcheRef", to_char(period_start, 'YYYY-MM-DD') AS "periodStart", to_char(period_end, 'YYYY-MM-DD') AS "periodEnd"
       FROM rm_insertion_ledger WHERE declaration_id = ANY($1::text[]) ORDER BY declaration_id, global_position`,
    [ids],
  );
  for (const { declarationId, ...k } of rows) map.set(declarationId, k);
  return map;
}

/** The set-based equivalent of `applyEvent` over a batch in log order (see the section comment). */
async function applyBilanBatch(m: EntityManager, events: RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  // A read model is rebuilt from the log: a commit lost in a crash loses its checkpoint with it and is applied
  // again, so the batch need not wait for its WAL flush.
  await m.query('SET LOCAL synchronous_commit = off');
  const ids = referencedIds(events);
  const operations = await loadOperations(m, ids.operations);
  const grants = await loadGrants(m, ids.grants);
  const grantLedgerDone = await loadExistingPositions(m, 'rm_grant_ledger', ids.grantPositions);
  const declarations = await loadDeclarationKeys(m, ids.declarations);

  const steps = new RowBuffer('rm_operation_step', STEP_COLUMNS);
  const deliveries = new RowBuffer('rm_delivery_ledger', DELIVERY_COLUMNS);
  const grantLedger = new RowBuffer('rm_grant_ledger', GRANT_LEDGER_COLUMNS);
  const insertions = new RowBuffer('rm_insertion_ledger', INSERTION_COLUMNS);

  const delivery = (gp: string, seq: number, deliveryId: string, operationId: string, on: string, logements: number, before: Energy, after: Energy, at: string) => {
    const o = operations.get(operationId);
    if (!o) return;
    deliveries.push(gp, seq, deliveryId, o.operation_id, o.cite_id, o.epci_code, o.bailleur_code, o.financing, o.axis_code, on, logements,
      before.primaryEnergyKwhPerM2Year, after.primaryEnergyKwhPerM2Year, before.dpeClass, after.dpeClass, at);
  };
  /** Adds a grant ledger movement; false when it was already applied (replay) or the grant is unknown. */
  const movement = (gp: string, grantId: string, kind: string, on: string, decidedCents: number, paidCents: number, at: string): boolean => {
    const g = grants.get(grantId);
    if (!g || grantLedgerDone.has(gp)) return false;
    grantLedgerDone.add(gp);
    grantLedger.push(gp, g.grant_id, kind, on, g.financer_code, g.financer_category, g.operation_id, g.operation_kind, g.epci_code, g.axis_code, g.dispositif, decidedCents, paidCents, at);
    return true;
  };
  const insertion = (gp: string, declarationId: string, k: InsertionKeys, hours: number, p: Record<string, number>, r: Record<string, number>, at: string) => {
    insertions.push(gp, declarationId, k.operationId, k.operationKind, k.epciCode, k.bailleurCode, k.marcheRef, k.periodStart, k.periodEnd, hours,
      ...PUBLIC_KEYS.map((x) => p[x]), ...PUBLIC_KEYS.map((x) => r[x]), at);
  };

  for (const recorded of events) {
    const e = { type: recorded.type, data: recorded.data } as AnyEvent;
    const gp = recorded.globalPosition;
    const at = recorded.recordedAt;
    switch (e.type) {
      case 'programme.ProgrammeLaunched.v1':
        break;
      case 'programme.TargetSet.v1':
      case 'programme.AxisSetPublished.v1':
      case 'programme.EpciRegistered.v1':
      case 'programme.FinancerRegistered.v1':
      case 'programme.BailleurRegistered.v1':
      case 'programme.CiteRegistered.v1':
      case 'programme.CiteCorrected.v1':
        // Reference tables: no ledger or state of this batch depends on them, nor they on it.
        await applyEvent(m, recorded);
        break;
      case 'operation.LogementsOperationProgrammed.v1': {
        const d = e.data;
        if (!operations.has(d.operationId)) {
          operations.set(d.operationId, {
            isNew: true, dirty: false, operation_id: d.operationId, kind: 'logements', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: d.bailleurCode,
            financing: d.financing, axis_code: d.axisCode, title: d.title, lead_kind: null, lead_name: null, planned_logements: d.plannedLogements,
            programmed_on: d.programmedOn, planned_dates: { ...d.plannedDates } as Record<string, string>, recorded_at: at,
          });
        }
        steps.push(gp, d.operationId, 'programmed', 'programmation', d.programmedOn, null, at);
        break;
      }
      case 'operation.UrbanOperationProgrammed.v1': {
        const d = e.data;
        if (!operations.has(d.operationId)) {
          operations.set(d.operationId, {
            isNew: true, dirty: false, operation_id: d.operationId, kind: 'urbaine', cite_id: d.citeId, epci_code: d.epciCode, bailleur_code: null,
            financing: null, axis_code: d.axisCode, title: d.title, lead_kind: d.leadKind, lead_name: d.leadName, planned_logements: 0,
            programmed_on: d.programmedOn, planned_dates: { ...d.plannedDates } as Record<string, string>, recorded_at: at,
          });
        }
        steps.push(gp, d.operationId, 'programmed', 'programmation', d.programmedOn, null, at);
        break;
      }
      case 'operation.PhaseStarted.v1':
        steps.push(gp, e.data.operationId, 'phase', e.data.phase, e.data.startedOn, e.data.plannedOn, at);
        break;
      case 'operation.PhasePlanRevised.v1': {
        const o = operations.get(e.data.operationId);
        if (o) {
          o.planned_dates = { ...o.planned_dates, [e.data.phase]: e.data.plannedOn };
          o.dirty = true;
        }
        break;
      }
      case 'operation.OperationSuspended.v1':
        steps.push(gp, e.data.operationId, 'suspended', null, e.data.suspendedOn, null, at);
        break;
      case 'operation.OperationResumed.v1':
        steps.push(gp, e.data.operationId, 'resumed', null, e.data.resumedOn, null, at);
        break;
      case 'operation.OperationAbandoned.v1':
        steps.push(gp, e.data.operationId, 'abandoned', null, e.data.abandonedOn, null, at);
        break;
      case 'operation.PlannedLogementsAmended.v1': {
        const o = operations.get(e.data.operationId);
        if (o) {
          o.planned_logements = e.data.plannedLogements;
          o.dirty = true;
        }
        break;
      }
      case 'operation.LogementsDelivered.v1': {
        const d = e.data;
        delivery(gp, 0, d.deliveryId, d.operationId, d.deliveredOn, d.logements, d.energyBefore, d.energyAfter, at);
        break;
      }
      case 'operation.LogementsDeliveryCorrected.v1': {
        const d = e.data;
        const p = d.previous;
        delivery(gp, 0, d.deliveryId, d.operationId, p.deliveredOn, -p.logements, p.energyBefore, p.energyAfter, at);
        delivery(gp, 1, d.deliveryId, d.operationId, d.deliveredOn, d.logements, d.energyBefore, d.energyAfter, at);
        break;
      }
      case 'funding.GrantDecided.v1': {
        const d = e.data;
        if (!grants.has(d.grantId)) {
          grants.set(d.grantId, {
            isNew: true, dirty: false, grant_id: d.grantId, financer_code: d.financerCode, financer_category: d.financerCategory, operation_id: d.operationId,
            operation_kind: d.operationKind, epci_code: d.epciCode, axis_code: d.axisCode, dispositif: d.dispositif, beneficiary_kind: d.beneficiary.kind,
            beneficiary_code: d.beneficiary.code, beneficiary_name: d.beneficiary.name, convention_date: d.conventionDate, decision_ref: d.decisionRef,
            amount_cents: d.amountCents, paid_cents: 0, status: 'decided', recorded_at: at,
          });
        }
        movement(gp, d.grantId, 'decided', d.conventionDate, d.amountCents, 0, at);
        break;
      }
      case 'funding.GrantAmended.v1': {
        const d = e.data;
        if (movement(gp, d.grantId, 'amended', d.amendedOn, d.amountCents - d.previousAmountCents, 0, at)) {
          const g = grants.get(d.grantId) as GrantState;
          g.amount_cents = d.amountCents;
          g.dirty = true;
        }
        break;
      }
      case 'funding.GrantPaymentMade.v1': {
        const d = e.data;
        if (movement(gp, d.grantId, 'paid', d.paidOn, 0, d.amountCents, at)) {
          const g = grants.get(d.grantId) as GrantState;
          g.paid_cents += d.amountCents;
          g.dirty = true;
        }
        break;
      }
      case 'funding.GrantCancelled.v1': {
        const g = grants.get(e.data.grantId);
        if (!g) throw new Error(`bilan projection: grant ${e.data.grantId} cancelled at global position ${gp} is not projected`);
        // A cancelled grant keeps what was paid; the unpaid remainder leaves the amount decided.
        if (movement(gp, g.grant_id, 'cancelled', e.data.cancelledOn, -(g.amount_cents - g.paid_cents), 0, at)) {
          g.status = 'cancelled';
          g.amount_cents = g.paid_cents;
          g.dirty = true;
        }
        break;
      }
      case 'insertion.InsertionHoursDeclared.v1': {
        const d = e.data;
        const k: InsertionKeys = { operationId: d.operationId, operationKind: d.operationKind, epciCode: d.epciCode, bailleurCode: d.bailleurCode, marcheRef: d.marcheRef, periodStart: d.periodStart, periodEnd: d.periodEnd };
        if (!declarations.has(d.declarationId)) declarations.set(d.declarationId, k);
        insertion(gp, d.declarationId, k, d.hours, d.participants, d.recruitments, at);
        break;
      }
      case 'insertion.InsertionDeclarationCorrected.v1': {
        const d = e.data;
        const k = declarations.get(d.declarationId);
        if (!k) throw new Error(`bilan projection: declaration ${d.declarationId} corrected at global position ${gp} is not projected`);
        const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((x) => [x, a[x] - b[x]]));
        insertion(gp, d.declarationId, k, d.hours - d.previous.hours, minus(d.participants, d.previous.participants), minus(d.recruitments, d.previous.recruitments), at);
        break;
      }
      default:
        break;
    }
  }

  await writeOperations(m, [...operations.values()]);
  await writeGrants(m, [...grants.values()]);
  // Ledgers that end before this batch cannot hold its rows (a rebuild, or any batch but a replay): plain INSERTs
  // then skip the speculative-insertion cost of ON CONFLICT. The runner holds the checkpoint lock: nobody else writes.
  const ledgers = [steps, deliveries, grantLedger, insertions];
  const [ends]: Record<string, string | null>[] = await m.query(`SELECT ${ledgers.map((b, i) => `(SELECT max(global_position)::text FROM ${b.table}) AS t${i}`).join(', ')}`);
  const first = BigInt(events[0].globalPosition);
  for (const [i, b] of ledgers.entries()) {
    const end = ends[`t${i}`];
    await b.insert(m, end === null || BigInt(end) < first ? '' : 'ON CONFLICT DO NOTHING');
  }
}

async function writeOperations(m: EntityManager, all: OperationState[]): Promise<void> {
  const inserts = new RowBuffer('rm_operation', OPERATION_COLUMNS);
  const updates = new RowBuffer('rm_operation', [['operation_id', 'text'], ['planned_logements', 'integer'], ['planned_dates', 'jsonb']]);
  for (const o of all) {
    if (o.isNew) {
      inserts.push(o.operation_id, o.kind, o.cite_id, o.epci_code, o.bailleur_code, o.financing, o.axis_code, o.title, o.lead_kind, o.lead_name,
        o.planned_logements, o.programmed_on, o.planned_dates, o.recorded_at);
    } else if (o.dirty) updates.push(o.operation_id, o.planned_logements, o.planned_dates);
  }
  await inserts.insert(m);
  if (updates.length) {
    await m.query(
      `UPDATE rm_operation o SET planned_logements = u.planned_logements, planned_dates = u.planned_dates
         FROM (SELECT ${updates.select()} FROM jsonb_array_elements($1::jsonb) AS r) u WHERE o.operation_id = u.operation_id`,
      [JSON.stringify(updates.rows)],
    );
  }
}

async function writeGrants(m: EntityManager, all: GrantState[]): Promise<void> {
  const inserts = new RowBuffer('rm_grant', GRANT_COLUMNS);
  const updates = new RowBuffer('rm_grant', [['grant_id', 'text'], ['amount_cents', 'bigint'], ['paid_cents', 'bigint'], ['status', 'text']]);
  for (const g of all) {
    if (g.isNew) {
      inserts.push(g.grant_id, g.financer_code, g.financer_category, g.operation_id, g.operation_kind, g.epci_code, g.axis_code, g.dispositif,
        g.beneficiary_kind, g.beneficiary_code, g.beneficiary_name, g.convention_date, g.decision_ref, g.amount_cents, g.paid_cents, g.status, g.recorded_at);
    } else if (g.dirty) updates.push(g.grant_id, g.amount_cents, g.paid_cents, g.status);
  }
  await inserts.insert(m);
  if (updates.length) {
    await m.query(
      `UPDATE rm_grant g SET amount_cents = u.amount_cents, paid_cents = u.paid_cents, status = u.status
         FROM (SELECT ${updates.select()} FROM jsonb_array_elements($1::jsonb) AS r) u WHERE g.grant_id = u.grant_id`,
      [JSON.stringify(updates.rows)],
    );
  }
}
