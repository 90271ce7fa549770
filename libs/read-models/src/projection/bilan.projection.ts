import { type RecordedEvent } from '@erbm/event-store';
import { type GrantEvent } from '@erbm/funding';
import { type InsertionEvent } from '@erbm/insertion';
import { type OperationEvent } from '@erbm/operations';
import { type ProgrammeContextEvent } from '@erbm/programme';
import { type EntityManager } from 'typeorm';
import { type Projection } from './projection';

type AnyEvent = ProgrammeContextEvent | OperationEvent | GrantEvent | InsertionEvent;

/** Every table of the `bilan` projection (emptied on rebuild). */
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
  async apply(m: EntityManager, recorded: RecordedEvent): Promise<void> {
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
  },
};

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
