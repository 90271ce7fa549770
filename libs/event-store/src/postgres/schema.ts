import { KEYED_FIELDS } from '../event-store.port';

/**
 * DDL of the PostgreSQL event store. `EVENT_STORE_DDL` (the log) is applied by the migration
 * `migrations/1732200000000-event-store.ts`, `EVENT_STORE_APPEND_DDL` (stream heads, snapshots and the append
 * function) by `migrations/1732200020000-event-store-append.ts`; `PostgresEventStore.ensureSchema` applies both
 * (tests, tools). Both are idempotent.
 *
 * Gap-safe global ordering (technique from Oskar Dudycz's Emmett, see docs/adr/0002): each event stores the
 * writing transaction's id (`xid8`); readers only take events whose transaction is older than the oldest
 * transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`), in `(transaction_id, global_position)`
 * order, and checkpoint on that pair.
 */
export const EVENT_STORE_DDL = `
CREATE TABLE IF NOT EXISTS es_events (
  global_position  bigserial    PRIMARY KEY,
  transaction_id   xid8         NOT NULL DEFAULT pg_current_xact_id(),
  event_id         uuid         NOT NULL,
  stream_id        text         NOT NULL,
  stream_position  integer      NOT NULL,
  type             text         NOT NULL,
  data             jsonb        NOT NULL,
  metadata         jsonb        NOT NULL,
  recorded_at      timestamptz  NOT NULL,
  CONSTRAINT es_events_event_id_key UNIQUE (event_id),
  CONSTRAINT es_events_stream_key UNIQUE (stream_id, stream_position)
);
CREATE INDEX IF NOT EXISTS es_events_log_idx ON es_events (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS es_events_stream_recorded_idx ON es_events (stream_id, recorded_at);
`;

/**
 * The append in one round trip (docs/adr/0016):
 * - `es_streams`: each stream's version (its last `stream_position`), written by `es_append` in the append's own
 *   transaction. A stream without a row (events written by a bulk loader) reads its head from `es_events` once.
 * - `es_snapshots`: the latest snapshot of a stream's aggregate state, keyed by the decider's name and version
 *   (`schema_version`); written by `es_append` with the events that lead to it, so it is never ahead of the stream.
 * - `es_append(stream, expected, ids, types, data, metadata, recorded_at, snapshot…, notify)`: takes the stream's
 *   advisory lock (before the transaction has an xid: the xid is assigned by the INSERT, so stream order and log
 *   order agree), reads the head, checks event ids (idempotent replay, or ids stored elsewhere) then the expected
 *   version (`NULL`: any), inserts the events, moves the head, stores the snapshot if one is given, and returns
 *   `(outcome, stream_version, conflicting_ids)` with outcome `appended`, `replay`, `wrong_version` or `duplicate`.
 *   Called alone in autocommit: one round trip, one commit. Nothing is written unless the outcome is `appended`.
 * - `TRUNCATE es_events` (tests) empties the heads and snapshots with it.
 */
export const EVENT_STORE_APPEND_DDL = `
CREATE TABLE IF NOT EXISTS es_streams (
  stream_id  text     PRIMARY KEY,
  version    integer  NOT NULL
);
CREATE TABLE IF NOT EXISTS es_snapshots (
  stream_id       text         PRIMARY KEY,
  name            text         NOT NULL,
  schema_version  integer      NOT NULL,
  stream_version  integer      NOT NULL,
  state           jsonb        NOT NULL,
  taken_at        timestamptz  NOT NULL DEFAULT now()
);
INSERT INTO es_streams (stream_id, version)
  SELECT stream_id, max(stream_position) FROM es_events GROUP BY stream_id
  ON CONFLICT (stream_id) DO UPDATE SET version = greatest(es_streams.version, EXCLUDED.version);

CREATE OR REPLACE FUNCTION es_append(
  p_stream_id text,
  p_expected integer,
  p_ids uuid[],
  p_types text[],
  p_data jsonb,
  p_metadata jsonb,
  p_recorded_at timestamptz[],
  p_snapshot_name text,
  p_snapshot_version integer,
  p_snapshot_state jsonb,
  p_notify boolean,
  OUT outcome text,
  OUT stream_version integer,
  OUT conflicting_ids uuid[]
) LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_found integer;
  v_here integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
  SELECT s.version INTO stream_version FROM es_streams s WHERE s.stream_id = p_stream_id;
  IF NOT FOUND THEN
    SELECT coalesce(max(e.stream_position), 0) INTO stream_version FROM es_events e WHERE e.stream_id = p_stream_id;
  END IF;
  SELECT count(*), count(*) FILTER (WHERE e.stream_id = p_stream_id) INTO v_found, v_here
    FROM es_events e WHERE e.event_id = ANY (p_ids);
  IF v_found > 0 THEN
    IF v_found = v_count AND v_here = v_count THEN
      outcome := 'replay';
    ELSE
      outcome := 'duplicate';
      conflicting_ids := ARRAY(SELECT e.event_id FROM es_events e WHERE e.event_id = ANY (p_ids));
    END IF;
    RETURN;
  END IF;
  IF p_expected IS NOT NULL AND p_expected <> stream_version THEN
    outcome := 'wrong_version';
    RETURN;
  END IF;
  INSERT INTO es_events (event_id, stream_id, stream_position, type, data, metadata, recorded_at)
    SELECT u.id, p_stream_id, stream_version + u.i::integer, u.t, p_data -> (u.i::integer - 1), p_metadata -> (u.i::integer - 1), coalesce(u.r, now())
      FROM unnest(p_ids, p_types, p_recorded_at) WITH ORDINALITY AS u (id, t, r, i)
     ORDER BY u.i;
  stream_version := stream_version + v_count;
  INSERT INTO es_streams AS s (stream_id, version) VALUES (p_stream_id, stream_version)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version;
  IF p_snapshot_state IS NOT NULL THEN
    INSERT INTO es_snapshots AS s (stream_id, name, schema_version, stream_version, state)
      VALUES (p_stream_id, p_snapshot_name, p_snapshot_version, stream_version, p_snapshot_state)
      ON CONFLICT (stream_id) DO UPDATE
        SET name = EXCLUDED.name, schema_version = EXCLUDED.schema_version, stream_version = EXCLUDED.stream_version,
            state = EXCLUDED.state, taken_at = EXCLUDED.taken_at;
  END IF;
  IF p_notify THEN
    PERFORM pg_notify('es_events_appended', '');
  END IF;
  outcome := 'appended';
END
$fn$;

CREATE OR REPLACE FUNCTION es_events_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM es_streams;
  DELETE FROM es_snapshots;
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE TRIGGER es_events_truncated AFTER TRUNCATE ON es_events
  FOR EACH STATEMENT EXECUTE FUNCTION es_events_truncated();
`;

/**
 * Per-stream lookup of an event by a data field (`LoadStreamOptions.keyed`, docs/adr/0023): one partial index per
 * field of `KEYED_FIELDS`, on `(stream_id, data->>field, stream_position)` for the events that carry the field.
 * Applied by `migrations/1732200090000-event-store-keys.ts` and `ensureSchema`; idempotent.
 */
export const EVENT_STORE_KEYS_DDL = KEYED_FIELDS.map(
  (f) => `CREATE INDEX IF NOT EXISTS es_events_${f.toLowerCase()}_idx ON es_events (stream_id, (data->>'${f}'), stream_position) WHERE data ? '${f}';`,
).join('\n');
