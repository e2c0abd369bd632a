-- Events a consumer could not apply (a read-side projection meeting an event its tables refuse, a value out of range):
-- recorded here with where they come from, and skipped, so one bad event never stops the stream behind it. Listed and
-- retried by an operator: GET /api/v1/admin/dead-letters, POST /api/v1/admin/dead-letters/retry (tickloom dead-letters).
CREATE TABLE dead_letters (
  id             bigserial PRIMARY KEY,
  source         text   NOT NULL,
  persistence_id text   NOT NULL,
  seq_nr         bigint NOT NULL,
  event_type     text   NOT NULL,
  error          text   NOT NULL,
  created_at     bigint NOT NULL,
  retries        integer NOT NULL DEFAULT 0,
  resolved_at    bigint,
  CONSTRAINT dead_letters_event UNIQUE (source, persistence_id, seq_nr)
);
CREATE INDEX dead_letters_open ON dead_letters (id) WHERE resolved_at IS NULL;
