-- OMS read side (SPEC §5 order history and positions), written by the order projections
-- (cluster/.../oms/OrderProjection: Pekko Projections JDBC 1.0.0, one projection per tag slice order-N), read by
-- persistence/.../OrderQueries. Prices and quantities are fixed-point bigint at the instrument's scales; times are
-- bigint epoch nanoseconds (UTC). Rebuildable: drop the rows and the offsets of projection 'orders' and the
-- projections replay the journal.

-- Offset store of pekko-projection-jdbc 1.0.0, postgres-dialect with use-lowercase-schema = true (the default):
-- the statements of its DialectDefaults with the quotes removed and the names lower-cased, as the dialect issues
-- them (JdbcProjection.createTablesIfNotExists would create the same tables).
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);
CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);

-- One row per order: the order view of SPEC §5 as of its last projected event.
--   fill_cost   exact sum of qty x price over the order's fills (numeric: no overflow, no rounding); avg_price is
--               fill_cost / filled_qty rounded half up to the price scale, kept for display and filtering
--   last_seq    the order's journal sequence number last applied: an event at or below it is skipped, a second
--               guard behind the projection's offset
--   created_at  tsEvent of OrderSubmitted; updated_at tsEvent of the last event
CREATE TABLE orders (
  order_id        text     PRIMARY KEY,
  client_order_id text     NOT NULL,
  account         text     NOT NULL,
  token           bigint   NOT NULL,
  side            text     NOT NULL,
  type            text     NOT NULL,
  tif             text     NOT NULL,
  qty             bigint   NOT NULL,
  price           bigint   NOT NULL,
  trigger_price   bigint   NOT NULL,
  filled_qty      bigint   NOT NULL,
  fill_cost       numeric(38, 0) NOT NULL,
  avg_price       bigint   NOT NULL,
  status          text     NOT NULL,
  reason          text,
  pending_qty     bigint   NOT NULL,
  pending_price   bigint   NOT NULL,
  created_at      bigint   NOT NULL,
  updated_at      bigint   NOT NULL,
  last_seq        bigint   NOT NULL
);
-- GET /api/v1/orders?account=..: newest first, keyset on (created_at, order_id).
CREATE INDEX orders_account_created ON orders (account, created_at DESC, order_id DESC);
-- max-open-orders: the account's working orders.
CREATE INDEX orders_account_open ON orders (account)
  WHERE status IN ('PENDING_NEW', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_MODIFY');

-- One row per trade applied to an order (a venue trade id is unique per order: repeats never reach the journal).
CREATE TABLE fills (
  order_id  text   NOT NULL,
  trade_id  text   NOT NULL,
  account   text   NOT NULL,
  token     bigint NOT NULL,
  side      text   NOT NULL,
  qty       bigint NOT NULL,
  price     bigint NOT NULL,
  ts_event  bigint NOT NULL,
  seq       bigint NOT NULL,
  PRIMARY KEY (order_id, trade_id)
);
CREATE INDEX fills_account_ts ON fills (account, ts_event);

-- Net position per account and instrument (average-cost method, docs/oms.md):
--   net_qty       signed, qty scale (positive long, negative short)
--   avg_price     average cost of the open position, price scale, rounded half up on each increase; 0 when flat
--   realized_pnl  exact, at price scale + qty scale (the unit of a price times a qty)
CREATE TABLE positions (
  account       text   NOT NULL,
  token         bigint NOT NULL,
  net_qty       bigint NOT NULL,
  avg_price     bigint NOT NULL,
  realized_pnl  bigint NOT NULL,
  bought_qty    bigint NOT NULL,
  sold_qty      bigint NOT NULL,
  updated_at    bigint NOT NULL,
  PRIMARY KEY (account, token)
);
