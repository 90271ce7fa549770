import { type RecordedEvent } from '@erbm/event-store';
import { type EntityManager } from 'typeorm';
import { type Projection } from './projection';
import { type EventHandler, type EventMeta, type HandlerIndex, type ReadModel, type Row, type RowChange, type TableSpec, indexHandlers } from './row-changes';

/**
 * The generic writer of read models written once (`row-changes.ts`), for one event (`apply`) or a whole batch
 * (`applyBatch`), with the same result:
 * 1. every row the events declare in `reads` is loaded once, in one round trip with the ledgers' ends (one `= ANY`
 *    lookup per table; rows of a ledger keyed by position are looked up only up to the ledger's end: never in a
 *    rebuild);
 * 2. events are folded in log order: each event's changes are computed from the rows read, as changed by the earlier
 *    events of the batch (an operation programmed then delivered, a grant decided, paid then cancelled);
 * 3. changes are buffered per table and kind and merged per key — the first `insert` wins, `upsert`s and `update`s
 *    merge their values, `increment`s are summed — then written with one multi-row statement per table and kind
 *    (`INSERT … SELECT FROM jsonb_array_elements($n) [ON CONFLICT …]`, `UPDATE … FROM (…)`), kinds in the order
 *    insert, upsert, update, increment, every table at once (see `BatchWriter`). When a key receives a change of an
 *    earlier kind after a later one (an update then an insert of the same row), that table's buffer is written
 *    first, so the order of the events is kept.
 * Statements never read another table, so tables may be written in any order.
 * Errors: a handler reading a row it did not declare, or throwing (e.g. a correction of an unknown declaration),
 * fails the call; the runner's transaction then rolls the batch back.
 */

/** A row's key as one string (NUL-separated; SOH for null). */
const keyString = (table: TableSpec, row: Row): string => {
  let k = '';
  for (const c of table.key) {
    const v = row[c];
    k += `${v === null || v === undefined ? '\u0001' : String(v)}\u0000`;
  }
  return k;
};

/** Loaded rows by table and key string; null for a key read but absent. */
type State = Map<TableSpec, Map<string, Row | null>>;

/** Last global position of each ledger (null: empty), known for the whole call and kept up to date by the writer. */
type Ends = Map<TableSpec, bigint | null>;

const position = (r: Row): bigint => BigInt(String(r.global_position));

/** One `= ANY` lookup of `keys` in `table`, as a `UNION ALL` part tagged `tag`, its parameter pushed onto `params`. */
function lookupPart(table: TableSpec, keys: Row[], tag: number, params: unknown[]): string {
  const cols = table.key;
  if (cols.length === 1) {
    // One key column: a typed array parameter (an index scan per key, no JSON to unpack).
    params.push(keys.map((k) => (k[cols[0]] === null || k[cols[0]] === undefined ? null : String(k[cols[0]]))));
    return `SELECT ${tag} AS t, to_jsonb(t) AS r FROM ${table.name} t WHERE t.${cols[0]} = ANY($${params.length}::${table.columns[cols[0]]}[])`;
  }
  params.push(JSON.stringify(keys));
  return `SELECT ${tag} AS t, to_jsonb(t) AS r FROM ${table.name} t
           WHERE (${cols.map((c) => `t.${c}`).join(', ')}) IN (SELECT ${cols.join(', ')} FROM jsonb_populate_recordset(NULL::${table.name}, $${params.length}::jsonb))`;
}

/**
 * Every row the batch reads, and the ends of `ledgers`, in one round trip (`UNION ALL` of one lookup per table; the
 * ends, and `SET LOCAL synchronous_commit = off` when asked, in a first row tagged -1). Rows of a ledger are looked
 * up in a second round trip, and only at positions up to the ledger's end (none in a rebuild: nothing to replay).
 */
async function loadState(m: EntityManager, wanted: Map<TableSpec, Map<string, Row>>, ledgers: readonly TableSpec[], asynchronousCommit: boolean): Promise<{ state: State; ends: Ends }> {
  const state: State = new Map();
  const ends: Ends = new Map();
  const tables: TableSpec[] = [];
  const found = (rows: { t: number; r: Row }[]) => {
    for (const { t, r } of rows) if (t >= 0) state.get(tables[t])?.set(keyString(tables[t], r), r);
  };
  const params: unknown[] = [];
  const parts: string[] = [];
  const head = [...ledgers.map((t, i) => `'e${i}', (SELECT max(global_position)::text FROM ${t.name})`), ...(asynchronousCommit ? [`'sc', set_config('synchronous_commit', 'off', true)`] : [])];
  if (head.length) parts.push(`SELECT -1 AS t, jsonb_build_object(${head.join(', ')}) AS r`);
  for (const [table, keys] of wanted) {
    state.set(table, new Map([...keys.keys()].map((k) => [k, null])));
    if (table.ledger) continue;
    parts.push(lookupPart(table, [...keys.values()], tables.length, params));
    tables.push(table);
  }
  if (parts.length) {
    const rows = await m.query<{ t: number; r: Row }[]>(parts.join(' UNION ALL '), params);
    const e = rows.find((r) => r.t === -1)?.r;
    ledgers.forEach((t, i) => ends.set(t, e?.[`e${i}`] === null || e?.[`e${i}`] === undefined ? null : BigInt(e[`e${i}`] as string)));
    found(rows);
  }
  const ledgerParams: unknown[] = [];
  const ledgerParts: string[] = [];
  for (const [table, keys] of wanted) {
    if (!table.ledger) continue;
    // Positions after the ledger's end cannot be there (a rebuild, or any batch but a replay): no lookup.
    if (!ends.has(table)) {
      const [{ max }] = await m.query<{ max: string | null }[]>(`SELECT max(global_position)::text AS max FROM ${table.name}`);
      ends.set(table, max === null ? null : BigInt(max));
    }
    const end = ends.get(table) ?? null;
    const lookup = end === null ? [] : [...keys.values()].filter((k) => position(k) <= end);
    if (lookup.length === 0) continue;
    ledgerParts.push(lookupPart(table, lookup, tables.length, ledgerParams));
    tables.push(table);
  }
  if (ledgerParts.length) found(await m.query<{ t: number; r: Row }[]>(ledgerParts.join(' UNION ALL '), ledgerParams));
  return { state, ends };
}

/** The change applied to the loaded rows (only rows read are tracked: no other row is ever read). */
function applyToState(state: State, c: RowChange, k: string): void {
  const rows = state.get(c.table);
  if (!rows?.has(k)) return;
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
  /** Merged rows (key and values) by kind and key string. */
  readonly rows: Record<Kind, Map<string, Row>> = { insert: new Map(), upsert: new Map(), update: new Map(), increment: new Map() };
  readonly lastPhase = new Map<string, number>();
  constructor(readonly table: TableSpec) {}

  /** False when the change must wait until the buffer is written (its kind comes before one the key already has). */
  add(c: RowChange, k: string): boolean {
    const phase = PHASE[c.kind];
    if ((this.lastPhase.get(k) ?? -1) > phase) return false;
    this.lastPhase.set(k, phase);
    const buf = this.rows[c.kind];
    const prev = buf.get(k);
    // insert and upsert carry the whole row (an insert's is never changed here: kept as is); the others key + values.
    if (!prev) buf.set(k, c.kind === 'insert' ? c.values : c.kind === 'upsert' ? { ...c.values } : { ...c.key, ...c.values });
    else if (c.kind === 'upsert' || c.kind === 'update') Object.assign(prev, c.values);
    else if (c.kind === 'increment') for (const col in c.values) prev[col] = Number(prev[col] ?? 0) + c.values[col];
    // insert: the first one wins
    return true;
  }

  get empty(): boolean {
    return this.lastPhase.size === 0;
  }

  /**
   * The buffered changes as statements in kind order (each with one JSON parameter, written `$P`), emptied. A ledger
   * whose end is before every row inserted takes a plain `INSERT` (the batch's guards already skipped replays).
   */
  take(ends: Ends): Statement[] {
    const t = this.table;
    const out: Statement[] = [];
    const all = (kind: Kind) => [...this.rows[kind].values()];
    const nonKey = (cols: string[]) => cols.filter((c) => !t.key.includes(c));
    for (const [cols, rows] of bySignature(all('insert'))) {
      let conflict = 'ON CONFLICT DO NOTHING';
      if (t.ledger && ends.has(t)) {
        // Positions are not in log order across transactions: compare the ledger's end with the smallest one here.
        const first = rows.reduce((min, r) => (position(r) < min ? position(r) : min), position(rows[0]));
        const last = rows.reduce((max, r) => (position(r) > max ? position(r) : max), position(rows[0]));
        const end = ends.get(t) ?? null;
        if (end === null || end < first) conflict = '';
        ends.set(t, end === null || last > end ? last : end);
      }
      out.push({ sql: `INSERT INTO ${t.name} (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($P) AS r ${conflict}`, param: json(rows, cols) });
    }
    for (const [cols, rows] of bySignature(all('upsert'))) {
      const set = nonKey(cols);
      const action = set.length ? `DO UPDATE SET ${set.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` : 'DO NOTHING';
      out.push({ sql: `INSERT INTO ${t.name} (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($P) AS r ON CONFLICT (${t.key.join(', ')}) ${action}`, param: json(rows, cols) });
    }
    for (const [cols, rows] of bySignature(all('update'))) {
      const set = nonKey(cols);
      if (set.length === 0) continue;
      out.push({
        sql: `UPDATE ${t.name} AS t SET ${set.map((c) => `${c} = u.${c}`).join(', ')}
                FROM (SELECT ${unpack(t, cols)} FROM jsonb_array_elements($P) AS r) u WHERE ${t.key.map((c) => `t.${c} = u.${c}`).join(' AND ')}`,
        param: json(rows, cols),
      });
    }
    for (const [cols, rows] of bySignature(all('increment'))) {
      const set = nonKey(cols);
      out.push({
        sql: `INSERT INTO ${t.name} AS t (${cols.join(', ')}) SELECT ${unpack(t, cols)} FROM jsonb_array_elements($P) AS r
                ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${set.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`,
        param: json(rows, cols),
      });
    }
    for (const b of Object.values(this.rows)) b.clear();
    this.lastPhase.clear();
    return out;
  }
}

/** A statement with one JSON parameter, written `$P` (numbered when statements are combined). */
interface Statement {
  sql: string;
  param: string;
}

/** Rows grouped by their column list (a statement takes rows of one shape). */
function bySignature(rows: Row[]): Map<string[], Row[]> {
  const groups = new Map<string, { cols: string[]; rows: Row[] }>();
  for (const r of rows) {
    // Rows of one handler list their columns in one order: no sort needed (another order only adds a statement).
    const cols = Object.keys(r);
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

/**
 * Writes changes in table buffers, writing a table's buffer early when a key's changes would otherwise be reordered.
 * A flush sends the statements of every table in rounds, one statement per round trip: round k holds the k-th
 * statement of each table as data-modifying CTEs (`WITH w0 AS (INSERT …), w1 AS (UPDATE …) SELECT 1`). Statements of
 * one round touch different tables, and a table's statements run in kind order across rounds, so the CTEs' shared
 * snapshot never hides a change from a later one.
 */
class BatchWriter {
  private readonly tables = new Map<TableSpec, TableBuffer>();
  constructor(private readonly m: EntityManager, private readonly ends: Ends) {}

  async add(c: RowChange, k: string): Promise<void> {
    let b = this.tables.get(c.table);
    if (!b) this.tables.set(c.table, (b = new TableBuffer(c.table)));
    if (b.add(c, k)) return;
    await this.write([b]);
    b.add(c, k);
  }

  flush(): Promise<void> {
    return this.write([...this.tables.values()].filter((b) => !b.empty));
  }

  private async write(buffers: TableBuffer[]): Promise<void> {
    const lists = buffers.map((b) => b.take(this.ends));
    for (let round = 0; ; round++) {
      const statements = lists.map((l) => l[round]).filter((x): x is Statement => x !== undefined);
      if (statements.length === 0) return;
      if (statements.length === 1) await this.m.query(statements[0].sql.replace('$P', '$1::jsonb'), [statements[0].param]);
      else {
        await this.m.query(
          `WITH ${statements.map((st, i) => `w${i} AS (${st.sql.replace('$P', `$${i + 1}::jsonb`)})`).join(', ')} SELECT 1`,
          statements.map((st) => st.param),
        );
      }
    }
  }
}

export interface ApplyOptions {
  /** Every ledger the handlers may insert into (their ends are read once, with the reads' ends). */
  ledgers?: readonly TableSpec[];
  /** `SET LOCAL synchronous_commit = off` (in the same round trip). */
  asynchronousCommit?: boolean;
}

/**
 * Applies `events` (in log order) through `handlers`: reads, fold, one statement per table and kind (see above).
 * @throws Error when a handler reads a row it did not declare, or throws itself (e.g. a correction of an unknown declaration).
 */
export async function applyEvents(m: EntityManager, handlers: HandlerIndex, events: readonly RecordedEvent[], opts: ApplyOptions = {}): Promise<void> {
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
  const { state, ends } = await loadState(m, wanted, opts.ledgers ?? [], opts.asynchronousCommit ?? false);
  const read = (table: TableSpec, key: Row): Row | null => {
    const k = keyString(table, key);
    const rows = state.get(table);
    if (!rows?.has(k)) throw new Error(`projection: ${table.name} ${k} is read but not declared in the handler's reads`);
    return rows.get(k) ?? null;
  };
  const writer = new BatchWriter(m, ends);
  for (const w of work) {
    for (const h of w.hs) {
      for (const c of h.changes(w.data, w.meta, read)) {
        const k = keyString(c.table, c.key);
        applyToState(state, c, k);
        await writer.add(c, k);
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
  const ledgers = def.models.flatMap((r) => r.tables.filter((t) => t.ledger));
  const apply = (m: EntityManager, e: RecordedEvent): Promise<void> => applyEvents(m, handlers, [e], { ledgers });
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
      await applyEvents(m, handlers, events, { ledgers, asynchronousCommit: def.asynchronousCommit });
    },
  };
}
