import { type RecordedEvent } from '@erbm/event-store';
import { type EntityManager } from 'typeorm';
import { type Projection } from './projection';
import { type EventHandler, type EventMeta, type HandlerIndex, type ReadModel, type Row, type RowChange, type TableSpec, indexHandlers } from './row-changes';

/**
 * The generic writer of read models written once (`row-changes.ts`), for one event (`apply`) or a whole batch
 * (`applyBatch`), with the same result:
 * 1. every row the batch's events declare in `reads` is loaded once, one `= ANY` query per table (rows of a ledger
 *    keyed by position are not looked up when the ledger ends before them);
 * 2. events are folded in log order: each event's changes are computed from the rows read, as changed by the earlier
 *    events of the batch (an operation programmed then delivered, a grant decided, paid then cancelled);
 * 3. changes are buffered per table and kind and merged per key — the first `insert` wins, `upsert`s and `update`s
 *    merge their values, `increment`s are summed — then written with one multi-row statement per table and kind
 *    (`INSERT … SELECT FROM jsonb_array_elements($1) [ON CONFLICT …]`, `UPDATE … FROM (…)`), kinds in the order
 *    insert, upsert, update, increment. When a key receives a change of an earlier kind after a later one (an update
 *    then an insert of the same row), the table's buffer is written first, so the order of the events is kept.
 * Statements never read another table, so tables may be written in any order.
 */

const keyString = (table: TableSpec, row: Row): string => JSON.stringify(table.key.map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))));

/** Loaded rows by table and key string; null for a key read but absent. */
type State = Map<TableSpec, Map<string, Row | null>>;

async function loadReads(m: EntityManager, wanted: Map<TableSpec, Map<string, Row>>): Promise<State> {
  const state: State = new Map();
  for (const [table, keys] of wanted) {
    const rows = new Map<string, Row | null>();
    for (const k of keys.keys()) rows.set(k, null);
    state.set(table, rows);
    let lookup = [...keys.values()];
    if (table.ledger) {
      // Positions after the ledger's end cannot be there (a rebuild, or any batch but a replay): no lookup.
      const [{ max }] = await m.query<{ max: string | null }[]>(`SELECT max(global_position)::text AS max FROM ${table.name}`);
      lookup = max === null ? [] : lookup.filter((k) => BigInt(String(k.global_position)) <= BigInt(max));
    }
    if (lookup.length === 0) continue;
    const cols = table.key;
    const found = await m.query<{ r: Row }[]>(
      cols.length === 1
        ? `SELECT to_jsonb(t) AS r FROM ${table.name} t WHERE t.${cols[0]} = ANY(SELECT ${cols[0]} FROM jsonb_populate_recordset(NULL::${table.name}, $1::jsonb))`
        : `SELECT to_jsonb(t) AS r FROM ${table.name} t WHERE (${cols.map((c) => `t.${c}`).join(', ')}) IN (SELECT ${cols.join(', ')} FROM jsonb_populate_recordset(NULL::${table.name}, $1::jsonb))`,
      [JSON.stringify(lookup)],
    );
    for (const { r } of found) rows.set(keyString(table, r), r);
  }
  return state;
}

/** The change applied to the loaded rows (only rows read are tracked: no other row is ever read). */
function applyToState(state: State, c: RowChange): void {
  const rows = state.get(c.table);
  if (!rows) return;
  const k = keyString(c.table, c.key);
  if (!rows.has(k)) return;
  const cur = rows.get(k) ?? null;
  switch (c.kind) {
    case 'insert':
      if (cur === null) rows.set(k, { ...c.key, ...c.values });
      return;
    case 'upsert':
      rows.set(k, { ...(cur ?? {}), ...c.key, ...c.values });
      return;
    case 'update':
      if (cur !== null) rows.set(k, { ...cur, ...c.values });
      return;
    case 'increment': {
      const next: Row = { ...(cur ?? c.key) };
      for (const [col, v] of Object.entries(c.values)) next[col] = Number(next[col] ?? 0) + v;
      rows.set(k, next);
      return;
    }
  }
}

const PHASE = { insert: 0, upsert: 1, update: 2, increment: 3 } as const;
type Kind = keyof typeof PHASE;

/** Pending changes of one table: per kind, merged rows by key; the latest kind each key received. */
class TableBuffer {
  readonly rows: Record<Kind, Map<string, { key: Row; values: Row }>> = { insert: new Map(), upsert: new Map(), update: new Map(), increment: new Map() };
  readonly lastPhase = new Map<string, number>();
  constructor(readonly table: TableSpec) {}

  /** False when the change must wait until the buffer is written (its kind comes before one the key already has). */
  add(c: RowChange): boolean {
    const k = keyString(this.table, c.key);
    const phase = PHASE[c.kind];
    if ((this.lastPhase.get(k) ?? -1) > phase) return false;
    this.lastPhase.set(k, phase);
    const buf = this.rows[c.kind];
    const prev = buf.get(k);
    if (!prev) buf.set(k, { key: c.key, values: { ...c.values } });
    else if (c.kind === 'upsert' || c.kind === 'update') Object.assign(prev.values, c.values);
    else if (c.kind === 'increment') for (const [col, v] of Object.entries(c.values)) prev.values[col] = Number(prev.values[col] ?? 0) + v;
    // insert: the first one wins
    return true;
  }

  get empty(): boolean {
    return this.lastPhase.size === 0;
  }

  async write(m: EntityManager): Promise<void> {
    const t = this.table;
    const all = (kind: Kind) => [...this.rows[kind].values()].map((r) => ({ ...r.key, ...r.values }));
    const nonKey = (cols: string[]) => cols.filter((c) => !t.key.includes(c));
    for (const [cols, rows] of bySignature(all('insert'))) {
      let conflict = 'ON CONFLICT DO NOTHING';
      if (t.ledger) {
        // Positions are not in log order across transactions: compare the table's end with the smallest one here.
        const first = rows.reduce((min, r) => (BigInt(String(r.global_position)) < min ? BigInt(String(r.global_position)) : min), BigInt(String(rows[0].global_position)));
        const [{ max }] = await m.query<{ max: string | null }[]>(`SELECT max(global_position)::text AS max FROM ${t.name}`);
        if (max === null || BigInt(max) < first) conflict = '';
      }
      await m.query(`INSERT INTO ${t.name} (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($1::jsonb) AS r ${conflict}`, [json(rows, cols)]);
    }
    for (const [cols, rows] of bySignature(all('upsert'))) {
      const set = nonKey(cols);
      const action = set.length ? `DO UPDATE SET ${set.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` : 'DO NOTHING';
      await m.query(`INSERT INTO ${t.name} (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($1::jsonb) AS r ON CONFLICT (${t.key.join(', ')}) ${action}`, [json(rows, cols)]);
    }
    for (const [cols, rows] of bySignature(all('update'))) {
      const set = nonKey(cols);
      if (set.length === 0) continue;
      await m.query(
        `UPDATE ${t.name} AS t SET ${set.map((c) => `${c} = u.${c}`).join(', ')}
           FROM (SELECT ${unpack(t, cols)} FROM jsonb_array_elements($1::jsonb) AS r) u WHERE ${t.key.map((c) => `t.${c} = u.${c}`).join(' AND ')}`,
        [json(rows, cols)],
      );
    }
    for (const [cols, rows] of bySignature(all('increment'))) {
      const set = nonKey(cols);
      await m.query(
        `INSERT INTO ${t.name} AS t (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($1::jsonb) AS r
           ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${set.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`,
        [json(rows, cols)],
      );
    }
    for (const b of Object.values(this.rows)) b.clear();
    this.lastPhase.clear();
  }
}

/** Rows grouped by their column list (a statement takes rows of one shape). */
function bySignature(rows: Row[]): Map<string[], Row[]> {
  const groups = new Map<string, { cols: string[]; rows: Row[] }>();
  for (const r of rows) {
    const cols = Object.keys(r).sort();
    const sig = cols.join(',');
    const g = groups.get(sig);
    if (g) g.rows.push(r);
    else groups.set(sig, { cols, rows: [r] });
  }
  return new Map([...groups.values()].map((g) => [g.cols, g.rows]));
}

/** Rows as one JSON array of arrays (`JSON.stringify` is native, far cheaper than the driver's array literals). */
const json = (rows: Row[], cols: string[]): string => JSON.stringify(rows.map((r) => cols.map((c) => r[c] ?? null)));

/** `SELECT` list unpacking the JSON array `r` into the typed columns `cols`. */
function unpack(t: TableSpec, cols: string[]): string {
  return cols
    .map((c, i) => {
      const type = t.columns[c];
      if (!type) throw new Error(`${t.name}.${c} is not a column of its table spec`);
      if (type === 'jsonb') return `r->${i} AS ${c}`;
      if (type === 'text[]') return `CASE WHEN jsonb_typeof(r->${i}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(r->${i})) END AS ${c}`;
      return `(r->>${i})::${type} AS ${c}`;
    })
    .join(', ');
}

/** Writes changes in table buffers, writing a table's buffer early when a key's changes would otherwise be reordered. */
class BatchWriter {
  private readonly tables = new Map<TableSpec, TableBuffer>();
  constructor(private readonly m: EntityManager) {}

  async add(c: RowChange): Promise<void> {
    let b = this.tables.get(c.table);
    if (!b) this.tables.set(c.table, (b = new TableBuffer(c.table)));
    if (b.add(c)) return;
    await b.write(this.m);
    b.add(c);
  }

  async flush(): Promise<void> {
    for (const b of this.tables.values()) if (!b.empty) await b.write(this.m);
  }
}

/**
 * Applies `events` (in log order) through `handlers`: reads, fold, one statement per table and kind (see above).
 * @throws Error when a handler reads a row it did not declare, or throws itself (e.g. a correction of an unknown declaration).
 */
export async function applyEvents(m: EntityManager, handlers: HandlerIndex, events: readonly RecordedEvent[]): Promise<void> {
  const work: { data: unknown; meta: EventMeta; hs: readonly EventHandler<unknown>[] }[] = [];
  for (const e of events) {
    const hs = handlers.get(e.type);
    if (hs) work.push({ data: e.data, meta: { globalPosition: e.globalPosition, recordedAt: e.recordedAt }, hs });
  }
  if (work.length === 0) return;
  const wanted = new Map<TableSpec, Map<string, Row>>();
  for (const w of work) {
    for (const h of w.hs) {
      for (const r of h.reads?.(w.data, w.meta) ?? []) {
        let keys = wanted.get(r.table);
        if (!keys) wanted.set(r.table, (keys = new Map()));
        keys.set(keyString(r.table, r.key), r.key);
      }
    }
  }
  const state = await loadReads(m, wanted);
  const read = (table: TableSpec, key: Row): Row | null => {
    const k = keyString(table, key);
    const rows = state.get(table);
    if (!rows?.has(k)) throw new Error(`projection: ${table.name} ${k} is read but not declared in the handler's reads`);
    return rows.get(k) ?? null;
  };
  const writer = new BatchWriter(m);
  for (const w of work) {
    for (const h of w.hs) {
      for (const c of h.changes(w.data, w.meta, read)) {
        applyToState(state, c);
        await writer.add(c);
      }
    }
  }
  await writer.flush();
}

export interface ProjectionDefinition {
  name: string;
  version: number;
  models: readonly ReadModel[];
  /** Events per batch when the runner is given no batch size. */
  preferredBatchSize?: number;
  /** `SET LOCAL synchronous_commit = off` for batches: a read model is rebuilt from the log, a lost commit loses its checkpoint too. */
  asynchronousCommit?: boolean;
}

/**
 * The `Projection` (runner interface) of read models written once: `apply` runs the definitions on one event,
 * `applyBatch` on the whole batch, through the same writer. A projection derived with `{ ...p, apply }` keeps its
 * own per-event semantics: its `applyBatch` then calls `this.apply` per event.
 */
export function projectionOf(def: ProjectionDefinition): Projection {
  const handlers = indexHandlers(def.models);
  const apply = (m: EntityManager, e: RecordedEvent): Promise<void> => applyEvents(m, handlers, [e]);
  return {
    name: def.name,
    version: def.version,
    tables: def.models.flatMap((r) => r.tables.map((t) => t.name)),
    preferredBatchSize: def.preferredBatchSize,
    apply,
    async applyBatch(this: Projection, m: EntityManager, events: RecordedEvent[]): Promise<void> {
      if (this.apply !== apply) {
        for (const e of events) await this.apply(m, e);
        return;
      }
      if (def.asynchronousCommit && events.length > 0) await m.query('SET LOCAL synchronous_commit = off');
      await applyEvents(m, handlers, events);
    },
  };
}
