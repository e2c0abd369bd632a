package io.tickloom.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Reads of the order read side (V4: {@code orders}, {@code positions}), as written by the order projections: order
 * history with keyset pagination, an account's open-order count, its positions. Eventually consistent with the
 * journal (the projections' lag: the read journal's poll interval plus one batch). Blocking JDBC: call on a blocking
 * executor. Thread-safe.
 */
public final class OrderQueries {
  private final DataSource ds;

  public OrderQueries(DataSource ds) {
    this.ds = Objects.requireNonNull(ds, "ds");
  }

  public OrderQueries(Database db) {
    this(db.dataSource());
  }

  /**
   * The orders of {@code account} created in {@code [from, to)} (epoch ns), newest first (by created time, then
   * order id), at most {@code limit}, starting after {@code cursor} (null for the first page).
   *
   * @param statuses only these statuses (names); empty for all
   * @throws IllegalArgumentException when the cursor is not one this query returned
   */
  public Page<OrderRow> page(String account, Collection<String> statuses, long from, long to, int limit, String cursor) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    Cursor after = cursor == null ? null : Cursor.decode(cursor);
    StringBuilder sql = new StringBuilder("SELECT ").append(OrderReadStore.ORDER_COLUMNS)
        .append(" FROM orders WHERE account = ? AND created_at >= ? AND created_at < ?");
    if (!statuses.isEmpty()) sql.append(" AND status = ANY(?)");
    if (after != null) sql.append(" AND (created_at, order_id) < (?, ?)");
    sql.append(" ORDER BY created_at DESC, order_id DESC LIMIT ?");
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, account);
      ps.setLong(i++, from);
      ps.setLong(i++, to);
      if (!statuses.isEmpty()) ps.setArray(i++, c.createArrayOf("text", statuses.toArray()));
      if (after != null) {
        ps.setLong(i++, after.createdAt());
        ps.setString(i++, after.orderId());
      }
      ps.setInt(i, limit + 1);
      List<OrderRow> items = new ArrayList<>(Math.min(limit + 1, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) items.add(OrderReadStore.orderRow(rs));
      }
      if (items.size() <= limit) return new Page<>(items, null);
      List<OrderRow> page = items.subList(0, limit);
      OrderRow last = page.get(limit - 1);
      return new Page<>(page, new Cursor(last.createdAt(), last.orderId()).encode());
    } catch (SQLException e) {
      throw new PersistenceException("reading orders of " + account + " failed", e);
    }
  }

  /**
   * The open-order count of an account in the read side, and which of {@code recent} (order ids the caller created
   * lately and cannot know to be projected yet) the read side already holds.
   *
   * @param open orders of the account with an open status ({@link OrderRow#OPEN_STATUSES})
   * @param projected the ids of {@code recent} present in the read side (open or not)
   */
  public record OpenOrders(int open, java.util.Set<String> projected) {}

  /** {@link OpenOrders} of {@code account}: one statement. */
  public OpenOrders openOrders(String account, Collection<String> recent) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FILTER (WHERE status IN ('PENDING_NEW', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_MODIFY')), "
            + "array_agg(order_id) FILTER (WHERE order_id = ANY(?)) FROM orders WHERE account = ?")) {
      ps.setArray(1, c.createArrayOf("text", recent.toArray()));
      ps.setString(2, account);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        java.util.Set<String> projected = new java.util.HashSet<>();
        java.sql.Array ids = rs.getArray(2);
        if (ids != null) {
          for (Object id : (Object[]) ids.getArray()) projected.add((String) id);
        }
        return new OpenOrders(Math.toIntExact(rs.getLong(1)), projected);
      }
    } catch (SQLException e) {
      throw new PersistenceException("counting open orders of " + account + " failed", e);
    }
  }

  /**
   * Ids of orders waiting for the venue (PENDING_NEW, PENDING_CANCEL, PENDING_MODIFY) whose last event is older than
   * {@code updatedBefore} (epoch ns), oldest first, at most {@code limit}.
   */
  public List<String> pendingBefore(long updatedBefore, int limit) {
    return orderIds("pending", "SELECT order_id FROM orders WHERE status IN ('PENDING_NEW', 'PENDING_CANCEL', 'PENDING_MODIFY') "
        + "AND updated_at < ? ORDER BY updated_at LIMIT ?", updatedBefore, limit);
  }

  /** Ids of working orders (ACCEPTED, PARTIALLY_FILLED), least recently changed first, at most {@code limit}. */
  public List<String> working(int limit) {
    return orderIds("working", "SELECT order_id FROM orders WHERE status IN ('ACCEPTED', 'PARTIALLY_FILLED') ORDER BY updated_at LIMIT ?",
        limit);
  }

  /** The order ids {@code sql} selects with {@code params} bound in order ({@code what} names them in a failure). */
  private List<String> orderIds(String what, String sql, long... params) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setLong(i + 1, params[i]);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new PersistenceException("reading " + what + " orders failed", e);
    }
  }

  /** {@code account}'s positions (flat ones included: they carry realized P&L), by token. */
  public List<Position> positions(String account) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + OrderReadStore.POSITION_COLUMNS + " FROM positions WHERE account = ? ORDER BY token")) {
      ps.setString(1, account);
      List<Position> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(OrderReadStore.position(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new PersistenceException("reading positions of " + account + " failed", e);
    }
  }

  /** The opaque cursor: base64url of {@code "createdAt:orderId"}. */
  /**
   * The fills of {@code account} (of instrument {@code token}, or of all with {@code token} null) with event time in
   * {@code [from, to)} (epoch ns), newest first (event time, then order id, then trade id), at most {@code limit},
   * starting after {@code cursor} (null for the first page).
   *
   * @throws IllegalArgumentException when the cursor is not one this query returned
   */
  public Page<FillRow> fills(String account, Long token, long from, long to, int limit, String cursor) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    FillCursor after = cursor == null ? null : FillCursor.decode(cursor);
    StringBuilder sql = new StringBuilder("SELECT order_id, trade_id, account, token, side, qty, price, ts_event, seq FROM fills"
        + " WHERE account = ? AND ts_event >= ? AND ts_event < ?");
    if (token != null) sql.append(" AND token = ?");
    if (after != null) sql.append(" AND (ts_event, order_id, trade_id) < (?, ?, ?)");
    sql.append(" ORDER BY ts_event DESC, order_id DESC, trade_id DESC LIMIT ?");
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, account);
      ps.setLong(i++, from);
      ps.setLong(i++, to);
      if (token != null) ps.setLong(i++, token);
      if (after != null) {
        ps.setLong(i++, after.tsEvent());
        ps.setString(i++, after.orderId());
        ps.setString(i++, after.tradeId());
      }
      ps.setInt(i, limit + 1);
      List<FillRow> items = new ArrayList<>(Math.min(limit + 1, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(new FillRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), io.tickloom.protocol.Side.valueOf(rs.getString(5)),
              rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
        }
      }
      if (items.size() <= limit) return new Page<>(items, null);
      List<FillRow> page = items.subList(0, limit);
      FillRow last = page.get(limit - 1);
      return new Page<>(page, new FillCursor(last.tsEvent(), last.orderId(), last.tradeId()).encode());
    } catch (SQLException e) {
      throw new PersistenceException("reading fills of " + account + " failed", e);
    }
  }

  /** Where a page of fills ended: order ids hold no ':', trade ids may (they come last). */
  record FillCursor(long tsEvent, String orderId, String tradeId) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((tsEvent + ":" + orderId + ":" + tradeId).getBytes(StandardCharsets.UTF_8));
    }

    static FillCursor decode(String cursor) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int first = plain.indexOf(':');
        int second = first < 0 ? -1 : plain.indexOf(':', first + 1);
        if (first <= 0 || second <= first + 1 || second == plain.length() - 1) throw new IllegalArgumentException("no separator");
        return new FillCursor(Long.parseLong(plain.substring(0, first)), plain.substring(first + 1, second), plain.substring(second + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cursor '" + cursor + "' is not one this query returned", e);
      }
    }
  }

  record Cursor(long createdAt, String orderId) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + ":" + orderId).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = plain.indexOf(':');
        if (colon <= 0 || colon == plain.length() - 1) throw new IllegalArgumentException("no separator");
        return new Cursor(Long.parseLong(plain.substring(0, colon)), plain.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cursor '" + cursor + "' is not one this query returned", e);
      }
    }
  }
}
