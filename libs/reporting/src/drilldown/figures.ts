import { type RecordedEvent } from '@erbm/event-store';
import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { targetAsOf } from '../progress/logements.queries';
import { centsToEur } from '@erbm/shared';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { type FigureSpec, type FigureUnit, figureSpec } from '../figures/catalogue';
import { type ProjectionCheckpoint, readSnapshot } from '../shared/snapshot';

/**
 * Drill-down from a figure of the bilan to the events behind it (issue #4). Every figure has a stable key
 * (`logements.delivered`, `logements.byEpci.CALL`, `subsidies.byFinancer.ETAT.decided`…). The rows behind a
 * figure are the ledger rows its SQL sums, filtered exactly as that SQL (asOf, knownAt, scope, filters); each row
 * carries the global position of the event that wrote it and its contribution to the figure, so the contributions
 * add up to the figure (in `unit`).
 */

export interface FigureRow {
  globalPosition: string;
  seq: number;
  businessDate: string;
  contribution: number;
}

const DELIVERY_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code', bailleurCode: 'l.bailleur_code' };
const GRANT_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code' };
const INSERTION_COLS = { operationId: 'l.operation_id', epciCode: 'l.epci_code', bailleurCode: 'l.bailleur_code' };

/** The ledger rows behind a figure with their contributions, filtered like the figure's own SQL. */
export async function figureRows(db: Sql, spec: FigureSpec, q: AsOf, scope?: ReadScope): Promise<FigureRow[]> {
  const params: unknown[] = [q.asOf, knownAtParam(q)];
  if (spec.ledger === 'delivery') {
    if (spec.key === 'energy.logementsUnderGoal') {
      const target = await targetAsOf(db, q);
      params.push(target?.energyGoalKwhPerM2Year ?? 130);
    }
    const where = ['l.delivered_on <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, DELIVERY_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; seq: number; on: string; c: string; v: string | null }[]>(
      `SELECT l.global_position AS gp, l.seq, to_char(l.delivered_on,'YYYY-MM-DD') AS on, ${spec.contribution} AS c, ${spec.average ? spec.average.value : 'NULL'} AS v
         FROM rm_delivery_ledger l WHERE ${where.join(' AND ')} ORDER BY l.global_position, l.seq`,
      params,
    );
    if (spec.average) {
      const total = rows.reduce((s, r) => s + num(r.c), 0);
      return rows.map((r) => ({ globalPosition: r.gp, seq: num(r.seq), businessDate: r.on, contribution: total ? Math.round(((num(r.c) * num(r.v)) / total) * 1e6) / 1e6 : 0 }));
    }
    return rows.map((r) => ({ globalPosition: r.gp, seq: num(r.seq), businessDate: r.on, contribution: num(r.c) }));
  }
  if (spec.ledger === 'grant') {
    const where = ['l.effective_on <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, GRANT_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; on: string; c: string }[]>(
      `SELECT l.global_position AS gp, to_char(l.effective_on,'YYYY-MM-DD') AS on, ${spec.contribution} AS c
         FROM rm_grant_ledger l WHERE ${where.join(' AND ')} AND ${spec.contribution} <> 0 ORDER BY l.global_position`,
      params,
    );
    return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: num(r.c) }));
  }
  if (spec.ledger === 'insertion') {
    const where = ['l.period_end <= $1', 'l.recorded_at <= $2::timestamptz', scopeCondition(scope, INSERTION_COLS, params, q), ...spec.where(params)];
    const rows = await db.query<{ gp: string; on: string; c: string }[]>(
      `SELECT l.global_position AS gp, to_char(l.period_end,'YYYY-MM-DD') AS on, ${spec.contribution} AS c
         FROM rm_insertion_ledger l WHERE ${where.join(' AND ')} ORDER BY l.global_position`,
      params,
    );
    return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: num(r.c) })).filter((r) => r.contribution !== 0);
  }
  // Operations by phase (operationsByPhase): the last phase started by asOf of each operation programmed by then,
  // unless its status then was suspended or abandoned. The row behind an operation is that phase's event.
  const scopeSql = scopeCondition(scope, { operationId: 'o.operation_id', epciCode: 'o.epci_code', bailleurCode: 'o.bailleur_code' }, params, q);
  const extra = spec.where(params);
  const rows = await db.query<{ gp: string; on: string }[]>(
    `WITH steps AS (
       SELECT * FROM rm_operation_step WHERE effective_on <= $1 AND recorded_at <= $2::timestamptz
     ), phase AS (
       SELECT DISTINCT ON (operation_id) operation_id, phase, global_position, effective_on FROM steps WHERE step IN ('programmed','phase')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), status AS (
       SELECT DISTINCT ON (operation_id) operation_id, step FROM steps WHERE step IN ('suspended','resumed','abandoned')
        ORDER BY operation_id, effective_on DESC, global_position DESC
     ), l AS (
       SELECT o.operation_id, o.kind AS operation_kind_, o.financing, p.global_position, p.effective_on,
              CASE WHEN s.step = 'abandoned' THEN 'abandonnee' WHEN s.step = 'suspended' THEN 'suspendue' ELSE p.phase END AS phase_
         FROM rm_operation o JOIN phase p USING (operation_id) LEFT JOIN status s USING (operation_id)
        WHERE o.recorded_at <= $2::timestamptz AND ${scopeSql}
     )
     SELECT l.global_position AS gp, to_char(l.effective_on,'YYYY-MM-DD') AS on FROM l JOIN rm_operation o USING (operation_id)
      WHERE ${extra.join(' AND ')} ORDER BY l.global_position`,
    params,
  );
  return rows.map((r) => ({ globalPosition: r.gp, seq: 0, businessDate: r.on, contribution: 1 }));
}

/** One event behind a figure, with its contribution. */
export interface FigureEvent {
  globalPosition: string;
  /** 0, or 0 / 1 for the two rows of a delivery correction (minus the previous figures, plus the corrected ones). */
  seq: number;
  type: string;
  streamId: string;
  recordedAt: string;
  /** The fact's business date as the figure filters on it (delivery, movement or period-end date). */
  businessDate: string;
  actor: { organisation: string; user: string; channel: string } | null;
  data: Record<string, unknown>;
  contribution: number;
}

export interface FigureEvents {
  key: string;
  label: string;
  unit: FigureUnit;
  asOf: string;
  knownAt: string | null;
  /** Sum of the contributions: the figure as the bilan computes it (unrounded for averages). */
  total: number;
  /** For money figures: the total in decimal euros. */
  totalEur?: string;
  count: number;
  events: FigureEvent[];
  /** The projection checkpoint the rows reflect (they are read in one snapshot, `readSnapshot`). */
  checkpoint: ProjectionCheckpoint;
}

/** Reads events by global position: the EventStore port's drill-down read. */
export interface ReadsByGlobalPositions {
  readByGlobalPositions(positions: string[]): Promise<RecordedEvent[]>;
}


/**
 * The events behind a figure of the bilan at (asOf, knownAt), scoped like the figure. The ledger rows (and the
 * goal of `energy.logementsUnderGoal`) are read in one snapshot (`readSnapshot`), whose checkpoint the answer
 * states; the events are read from the store after the snapshot is closed (they never change, and no transaction
 * may wait on another connection, ADR 0012).
 * @returns null when `key` names no figure.
 */
export async function figureEvents(db: Sql, store: ReadsByGlobalPositions, key: string, q: AsOf, scope?: ReadScope): Promise<FigureEvents | null> {
  const spec = figureSpec(key);
  if (!spec) return null;
  const { checkpoint, value: rows } = await readSnapshot(db, (tx) => figureRows(tx, spec, q, scope));
  const events = await store.readByGlobalPositions([...new Set(rows.map((r) => r.globalPosition))]);
  const byGp = new Map(events.map((e) => [e.globalPosition, e]));
  const total = spec.unit === 'kWhEP/m².an' ? Math.round(rows.reduce((s, r) => s + r.contribution, 0) * 1e4) / 1e4 : rows.reduce((s, r) => s + r.contribution, 0);
  return {
    key,
    label: spec.label,
    unit: spec.unit,
    asOf: q.asOf,
    knownAt: q.knownAt ?? null,
    total,
    ...(spec.unit === 'cents' ? { totalEur: centsToEur(total) } : {}),
    count: rows.length,
    events: rows.map((r) => {
      const e = byGp.get(r.globalPosition);
      const a = e?.metadata.actor;
      return {
        globalPosition: r.globalPosition,
        seq: r.seq,
        type: e?.type ?? 'unknown',
        streamId: e?.streamId ?? '',
        recordedAt: e?.recordedAt ?? '',
        businessDate: r.businessDate,
        actor: a ? { organisation: a.organisation, user: a.user, channel: a.channel } : null,
        data: e?.data ?? {},
        contribution: r.contribution,
      };
    }),
    checkpoint,
  };
}
