-- Tickloom storage, version 5 (SPEC §9: book snapshots and events; issue 5).

-- The order-book log of every instrument: each depth message its entity applied (kind 0) and, interleaved where they
-- were taken, states of the whole book (kind 1: the periodic snapshots, and an empty book where an entity started).
-- id orders the entries of one instrument as they were applied (one entity owns an instrument at a time and hands
-- its entries to one writer in order; COPY assigns ids in row order). ts is the book clock after the entry (the
-- greatest exchange timestamp applied, monotone within one entity's life). A book as of T = the last state with
-- ts <= T, then the messages after it (by id) with ts <= T, applied by io.tickloom.protocol.book.LiveBook, whose
-- versioned binary encodings the payloads are.
CREATE TABLE book_log (
  id      bigserial PRIMARY KEY,
  token   bigint   NOT NULL,
  ts      bigint   NOT NULL,
  kind    smallint NOT NULL CHECK (kind IN (0, 1)),
  payload bytea    NOT NULL
);

CREATE INDEX book_log_token_id ON book_log (token, id);
CREATE INDEX book_log_states ON book_log (token, id) WHERE kind = 1;
