-- Tickloom storage, version 2 (SPEC §4 indicators and warm start).

-- Confirmed indicator values per final bar: the latest computation of each bar (a revision of the bar, or of an
-- earlier bar, rewrites the row). vals maps output names (SMA_20, MACD_12_26_9.signal, ...) to numbers rounded to
-- 8 decimals as the API renders them; an output without a value yet is absent. jsonb numbers are exact decimals,
-- so nothing is stored as a binary double.
CREATE TABLE indicator_values (
  token    bigint NOT NULL,
  tf       text   NOT NULL,
  start_ts bigint NOT NULL,
  vals     jsonb  NOT NULL,
  CONSTRAINT indicator_values_pkey PRIMARY KEY (token, tf, start_ts)
);

-- Warm-start snapshots of the instrument entities, the newest one per instrument (written periodically and when an
-- entity stops). payload is the entity's own versioned binary encoding (io.tickloom.cluster.InstrumentSnapshot):
-- indicator states per timeframe and where stored ticks must be replayed from.
CREATE TABLE instrument_snapshots (
  token    bigint NOT NULL PRIMARY KEY,
  taken_at bigint NOT NULL,
  payload  bytea  NOT NULL
);
