package io.tickloom.persistence;

import io.tickloom.protocol.Side;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of the order read side (V4 tables {@code orders}, {@code fills}, {@code positions}) on a connection the
 * caller owns: the order projection runs them in the transaction that also stores its offset (exactly once). One
 * statement per table per batch: reads with {@code = ANY(array)}, writes as JDBC batches (multi-row INSERTs with the
 * pool's {@code reWriteBatchedInserts}). Stateless; blocking JDBC.
 */
public final class OrderReadStore {
  private OrderReadStore() {}

  /** Key of a position row. */
  public record PositionKey(String account, long token) {}

  static final String ORDER_COLUMNS = "order_id, client_order_id, account, token, side, type, tif, qty, price, trigger_price, "
      + "filled_qty, fill_cost, status, reason, pending_qty, pending_price, created_at, updated_at, last_seq";

  /** The rows of these orders that exist, by order id. */
  public static Map<String, OrderRow> loadOrders(Connection c, Collection<String> orderIds) throws SQLException {
    Map<String, OrderRow> rows = new HashMap<>();
    if (orderIds.isEmpty()) return rows;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM orders WHERE order_id = ANY(?)")) {
      Array ids = c.createArrayOf("text", orderIds.toArray());
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OrderRow r = orderRow(rs);
          rows.put(r.orderId(), r);
        }
      }
    }
    return rows;
  }

  /** Inserts or replaces these order rows. */
  public static void upsertOrders(Connection c, Collection<OrderRow> rows) throws SQLException {
    if (rows.isEmpty()) return;
    String sql = "INSERT INTO orders (" + ORDER_COLUMNS + ", avg_price) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        + "ON CONFLICT (order_id) DO UPDATE SET qty = EXCLUDED.qty, price = EXCLUDED.price, filled_qty = EXCLUDED.filled_qty, "
        + "fill_cost = EXCLUDED.fill_cost, avg_price = EXCLUDED.avg_price, status = EXCLUDED.status, reason = EXCLUDED.reason, "
        + "pending_qty = EXCLUDED.pending_qty, pending_price = EXCLUDED.pending_price, updated_at = EXCLUDED.updated_at, "
        + "last_seq = EXCLUDED.last_seq";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (OrderRow r : rows) {
        int i = 1;
        ps.setString(i++, r.orderId());
        ps.setString(i++, r.clientOrderId());
        ps.setString(i++, r.account());
        ps.setLong(i++, r.token());
        ps.setString(i++, r.side().name());
        ps.setString(i++, r.type());
        ps.setString(i++, r.tif());
        ps.setLong(i++, r.qty());
        ps.setLong(i++, r.price());
        ps.setLong(i++, r.triggerPrice());
        ps.setLong(i++, r.filledQty());
        ps.setBigDecimal(i++, new BigDecimal(r.fillCost()));
        ps.setString(i++, r.status());
        ps.setString(i++, r.reason());
        ps.setLong(i++, r.pendingQty());
        ps.setLong(i++, r.pendingPrice());
        ps.setLong(i++, r.createdAt());
        ps.setLong(i++, r.updatedAt());
        ps.setLong(i++, r.lastSeq());
        ps.setLong(i, r.avgPrice());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Inserts new fills; a (order id, trade id) already stored fails the batch (the projection applies each event once). */
  public static void insertFills(Connection c, List<FillRow> fills) throws SQLException {
    if (fills.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO fills (order_id, trade_id, account, token, side, qty, price, ts_event, seq) VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (FillRow f : fills) {
        ps.setString(1, f.orderId());
        ps.setString(2, f.tradeId());
        ps.setString(3, f.account());
        ps.setLong(4, f.token());
        ps.setString(5, f.side().name());
        ps.setLong(6, f.qty());
        ps.setLong(7, f.price());
        ps.setLong(8, f.tsEvent());
        ps.setLong(9, f.seq());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The stored positions among {@code keys}. */
  public static Map<PositionKey, Position> loadPositions(Connection c, Collection<PositionKey> keys) throws SQLException {
    Map<PositionKey, Position> out = new HashMap<>();
    if (keys.isEmpty()) return out;
    List<String> accounts = new ArrayList<>(keys.size());
    List<Long> tokens = new ArrayList<>(keys.size());
    for (PositionKey k : keys) {
      accounts.add(k.account());
      tokens.add(k.token());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + POSITION_COLUMNS + " FROM positions p "
        + "JOIN unnest(?::text[], ?::bigint[]) AS k(account, token) USING (account, token)")) {
      ps.setArray(1, c.createArrayOf("text", accounts.toArray()));
      ps.setArray(2, c.createArrayOf("bigint", tokens.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Position p = position(rs);
          out.put(new PositionKey(p.account(), p.token()), p);
        }
      }
    }
    return out;
  }

  /** Inserts or replaces these positions. */
  public static void upsertPositions(Connection c, Collection<Position> positions) throws SQLException {
    if (positions.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO positions (" + POSITION_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?) "
        + "ON CONFLICT (account, token) DO UPDATE SET net_qty = EXCLUDED.net_qty, avg_price = EXCLUDED.avg_price, "
        + "realized_pnl = EXCLUDED.realized_pnl, bought_qty = EXCLUDED.bought_qty, sold_qty = EXCLUDED.sold_qty, "
        + "updated_at = EXCLUDED.updated_at")) {
      for (Position p : positions) {
        ps.setString(1, p.account());
        ps.setLong(2, p.token());
        ps.setLong(3, p.netQty());
        ps.setLong(4, p.avgPrice());
        ps.setLong(5, p.realizedPnl());
        ps.setLong(6, p.boughtQty());
        ps.setLong(7, p.soldQty());
        ps.setLong(8, p.updatedAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static final String POSITION_COLUMNS = "account, token, net_qty, avg_price, realized_pnl, bought_qty, sold_qty, updated_at";

  static OrderRow orderRow(ResultSet rs) throws SQLException {
    BigDecimal cost = rs.getBigDecimal("fill_cost");
    return new OrderRow(rs.getString("order_id"), rs.getString("client_order_id"), rs.getString("account"), rs.getLong("token"),
        Side.valueOf(rs.getString("side")), rs.getString("type"), rs.getString("tif"), rs.getLong("qty"), rs.getLong("price"),
        rs.getLong("trigger_price"), rs.getLong("filled_qty"), cost.toBigIntegerExact(), rs.getString("status"),
        rs.getString("reason"), rs.getLong("pending_qty"), rs.getLong("pending_price"), rs.getLong("created_at"),
        rs.getLong("updated_at"), rs.getLong("last_seq"));
  }

  static Position position(ResultSet rs) throws SQLException {
    return new Position(rs.getString("account"), rs.getLong("token"), rs.getLong("net_qty"), rs.getLong("avg_price"),
        rs.getLong("realized_pnl"), rs.getLong("bought_qty"), rs.getLong("sold_qty"), rs.getLong("updated_at"));
  }
}
