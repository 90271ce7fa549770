/**
 * A projection written once: per event type, the rows it reads and the row changes it makes, as data. The same
 * definitions drive the per-event path (`apply`: one event at a time) and the batched path (`applyBatch`): the
 * generic writer of `batch-writer.ts` loads every row a batch reads in one query per table, folds the events in log
 * order over those rows, and derives one multi-row statement per table and kind of change.
 */

/** A row: column name → value as JSON gives it (dates `YYYY-MM-DD`, time stamps ISO strings, numbers, objects for jsonb). */
export type Row = Record<string, unknown>;

/** PostgreSQL type of a column, used to unpack the JSON rows the writer sends. */
export type ColumnType = 'text' | 'text[]' | 'integer' | 'smallint' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

/** A read-model table as the writer sees it (the migration creates it; keep both in step). */
export interface TableSpec {
  name: string;
  columns: Readonly<Record<string, ColumnType>>;
  /** Primary-key columns (what `insert`/`upsert` conflict on, what `update`/`increment` and reads address). */
  key: readonly string[];
  /**
   * Append-only ledger keyed by `global_position` first: a batch whose rows all come after the table's last position
   * is inserted without `ON CONFLICT` (no speculative insertion).
   */
  ledger?: boolean;
}

/**
 * One change to one row:
 * - `insert`: the row (key and values) unless its key exists (`ON CONFLICT DO NOTHING`);
 * - `upsert`: the row, or the given values over the existing row;
 * - `update`: the given values over the existing row (nothing when there is none);
 * - `increment`: adds the given numbers to the row, created with them when missing (roll-ups).
 * `key` holds the key columns; `values` the columns set — for `insert` and `upsert` the whole row, key included (the
 * writer keeps it as given: a handler must not change it afterwards). Later changes of a batch see earlier ones (the
 * writer folds them in log order).
 */
export type RowChange =
  | { table: TableSpec; kind: 'insert' | 'upsert' | 'update'; key: Row; values: Row }
  | { table: TableSpec; kind: 'increment'; key: Row; values: Record<string, number> };

/** A row an event reads, by its primary key. */
export interface RowRef {
  table: TableSpec;
  key: Row;
}

/** The event's place in the log and its knowledge time. */
export interface EventMeta {
  globalPosition: string;
  /** ISO date-time. */
  recordedAt: string;
}

/** The current value of a row the event declared in `reads` (with the earlier events of the batch applied); null when absent. */
export type ReadRow = (table: TableSpec, key: Row) => Row | null;

export interface EventHandler<D> {
  /** Rows `changes` reads (keys from the event alone). Reading an undeclared row throws. */
  reads?(data: D, meta: EventMeta): RowRef[];
  /** The row changes of one event. Must be a function of the event and the rows read. */
  changes(data: D, meta: EventMeta, read: ReadRow): RowChange[];
}

/** Handlers by event type of a union of `{ type, data }` events. */
export type EventHandlers<E extends { type: string; data: unknown }> = { [K in E['type']]?: EventHandler<Extract<E, { type: K }>['data']> };

/** One read model: the tables it owns and what each event does to them. */
export interface ReadModel {
  name: string;
  tables: readonly TableSpec[];
  handlers: Readonly<Record<string, EventHandler<never>>>;
}

export function defineReadModel<E extends { type: string; data: unknown }>(name: string, tables: readonly TableSpec[], handlers: EventHandlers<E>): ReadModel {
  return { name, tables, handlers: handlers as Record<string, EventHandler<never>> };
}

/** Shorthands for changes. */
export const insert = (table: TableSpec, row: Row): RowChange => ({ table, kind: 'insert', key: keyOf(table, row), values: row });
export const upsert = (table: TableSpec, row: Row): RowChange => ({ table, kind: 'upsert', key: keyOf(table, row), values: row });
export const update = (table: TableSpec, key: Row, values: Row): RowChange => ({ table, kind: 'update', key, values });
export const increment = (table: TableSpec, key: Row, values: Record<string, number>): RowChange => ({ table, kind: 'increment', key, values });
export const ref = (table: TableSpec, key: Row): RowRef => ({ table, key });

/** The key columns of `row`. */
function keyOf(table: TableSpec, row: Row): Row {
  const key: Row = {};
  for (const c of table.key) key[c] = row[c];
  return key;
}

/** Handlers of several read models by event type (a type handled by several models runs them in the order given). */
export type HandlerIndex = ReadonlyMap<string, readonly EventHandler<unknown>[]>;

export function indexHandlers(models: readonly ReadModel[]): HandlerIndex {
  const index = new Map<string, EventHandler<unknown>[]>();
  for (const model of models) {
    for (const [type, h] of Object.entries(model.handlers)) index.set(type, [...(index.get(type) ?? []), h as EventHandler<unknown>]);
  }
  return index;
}
