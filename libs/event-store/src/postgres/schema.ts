/**
 * DDL of the PostgreSQL event store. Applied by the migration `migrations/1732200000000-event-store.ts` and by
 * `ensureEventStoreSchema` (tests, embedded use). Idempotent.
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
