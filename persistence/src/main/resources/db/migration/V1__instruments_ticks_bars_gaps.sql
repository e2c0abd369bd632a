-- Tickloom storage, version 1 (SPEC §3, §9). All prices and quantities are fixed-point bigint at the
-- instrument's scales; all times are bigint epoch nanoseconds (UTC).
--
-- Small-integer codes (io.tickloom.persistence.Codes owns them; never reuse a code):
--   feed   0 primary, 1 secondary, 2 replay, 3 import
--   side   1 BUY, -1 SELL, NULL unknown
--   status 0 LIVE, 1 STALE

CREATE TABLE instruments (
  token        bigint   PRIMARY KEY,
  exchange     text     NOT NULL,
  symbol       text     NOT NULL,
  kind         text     NOT NULL,
  tick_size    bigint   NOT NULL,
  lot_size     bigint   NOT NULL,
  price_scale  smallint NOT NULL,
  qty_scale    smallint NOT NULL,
  underlying   text,
  expiry       date,
  strike       bigint   NOT NULL DEFAULT 0,
  option_type  text,
  CONSTRAINT instruments_exchange_symbol UNIQUE (exchange, symbol)
);
-- Symbol search is case-insensitive by prefix (this index) and substring (a scan: the universe is small).
CREATE INDEX instruments_symbol_prefix ON instruments (upper(symbol) text_pattern_ops);
CREATE INDEX instruments_underlying_expiry ON instruments (underlying, expiry) WHERE underlying IS NOT NULL;

-- Ticks: one partition per UTC day of exchange_ts ([day 00:00, next day 00:00) in epoch nanos), created on
-- demand by TickStore (CREATE TABLE + ATTACH PARTITION, which does not block readers and writers of ticks).
--
-- Key: (token, exchange_ts, dkey) with dkey = Tick.dedupeKey() (trade id when present, else seq).
--  * The dedupe identity of SPEC §4 is (token, dkey); PostgreSQL requires the partition key in every unique
--    constraint of a partitioned table, so exchange_ts joins the key. A redelivered tick carries the same
--    exchange_ts, so it hits the key and is absorbed; two distinct ticks sharing a timestamp differ in dkey
--    and are both kept. The same dkey at another exchange_ts (a feed that re-stamps a trade) is not caught
--    here: that is the deduper's job upstream (bounded window per instrument).
--  * The key's index serves every read: ticks of one token in time order, keyset-paginated on
--    (exchange_ts, dkey), without a sort.
CREATE TABLE ticks (
  token       bigint   NOT NULL,
  exchange_ts bigint   NOT NULL,
  dkey        bigint   NOT NULL,
  seq         bigint   NOT NULL,
  trade_id    bigint,
  price       bigint   NOT NULL,
  qty         bigint   NOT NULL,
  side        smallint,
  feed        smallint NOT NULL,
  receive_ts  bigint   NOT NULL,
  status      smallint NOT NULL,
  bid         bigint,
  ask         bigint,
  CONSTRAINT ticks_pkey PRIMARY KEY (token, exchange_ts, dkey)
) PARTITION BY RANGE (exchange_ts);

-- Final bars, every revision kept (a late tick appends revision + 1; readers take the highest).
CREATE TABLE bars (
  token    bigint  NOT NULL,
  tf       text    NOT NULL,
  start_ts bigint  NOT NULL,
  end_ts   bigint  NOT NULL,
  open     bigint  NOT NULL,
  high     bigint  NOT NULL,
  low      bigint  NOT NULL,
  close    bigint  NOT NULL,
  volume   bigint  NOT NULL,
  trades   bigint  NOT NULL,
  vwap     bigint  NOT NULL,
  revision integer NOT NULL,
  CONSTRAINT bars_pkey PRIMARY KEY (token, tf, start_ts, revision)
);

-- Sequence gaps, one row per gap, upserted as it opens, fills and closes (FILLED or LOST).
CREATE TABLE gaps (
  token     bigint NOT NULL,
  from_seq  bigint NOT NULL,
  to_seq    bigint NOT NULL,
  opened_at bigint NOT NULL,
  closed_at bigint NOT NULL,
  filled    bigint NOT NULL,
  state     text   NOT NULL CHECK (state IN ('OPEN', 'FILLED', 'LOST')),
  CONSTRAINT gaps_pkey PRIMARY KEY (token, from_seq)
);
CREATE INDEX gaps_token_opened ON gaps (token, opened_at);
