package io.tickloom.cluster.oms;

import io.tickloom.cluster.oms.OrderEvent.OrderAccepted;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelRequested;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelled;
import io.tickloom.cluster.oms.OrderEvent.OrderExpired;
import io.tickloom.cluster.oms.OrderEvent.OrderFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderModified;
import io.tickloom.cluster.oms.OrderEvent.OrderModifyRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderModifyRequested;
import io.tickloom.cluster.oms.OrderEvent.OrderPartiallyFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderSubmitted;
import io.tickloom.persistence.FillRow;
import io.tickloom.persistence.OrderReadStore.PositionKey;
import io.tickloom.persistence.OrderRow;
import io.tickloom.persistence.Position;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side's fold, pure (no Pekko, no JDBC): journaled {@link OrderEvent}s onto {@code orders} rows, new
 * {@code fills} and {@code positions}. The status rules are those of {@link Order#apply} (a differential test,
 * {@code OrderReadModelTest}, folds the same random event histories through both and compares the views). One
 * {@link Batch} is one projection transaction: load what it touches, {@link Batch#apply} each envelope in journal
 * order, write {@link Batch#changedOrders()}, {@link Batch#fills()} and {@link Batch#changedPositions()}.
 */
public final class OrderReadModel {
  private OrderReadModel() {}

  /** The order id of a persistence id {@code order|ACCOUNT.uuid}. */
  public static String orderId(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(bar + 1);
  }

  /** The row after {@code event} (journal sequence number {@code seq}); {@code row} is null before OrderSubmitted. */
  public static OrderRow apply(OrderRow row, long seq, OrderEvent event) {
    long ts = event.tsEvent();
    if (event instanceof OrderSubmitted e) {
      OrderRequest r = e.request();
      return new OrderRow(e.orderId().value(), r.clientOrderId(), r.account(), r.token(), r.side(), r.type().name(), r.tif().name(),
          r.qty(), r.price(), r.triggerPrice(), 0, BigInteger.ZERO, OrderStatus.PENDING_NEW.name(), null, 0, 0, ts, ts, seq);
    }
    if (row == null) throw new IllegalStateException("event " + event.getClass().getSimpleName() + " (seq " + seq + ") before OrderSubmitted");
    OrderStatus status = OrderStatus.valueOf(row.status());
    if (event instanceof OrderAccepted) return with(row, OrderStatus.ACCEPTED, row.reason(), ts, seq);
    if (event instanceof OrderRejected e) return with(row, OrderStatus.REJECTED, e.reason(), ts, seq);
    if (event instanceof OrderPartiallyFilled e) {
      OrderStatus next = status == OrderStatus.PENDING_NEW || status == OrderStatus.ACCEPTED ? OrderStatus.PARTIALLY_FILLED : status;
      return filled(row, e.qty(), e.price(), next, ts, seq);
    }
    if (event instanceof OrderFilled e) return filled(row, e.qty(), e.price(), OrderStatus.FILLED, ts, seq);
    if (event instanceof OrderModifyRequested e) {
      return copy(row, row.qty(), row.price(), row.filledQty(), row.fillCost(), OrderStatus.PENDING_MODIFY, row.reason(), e.qty(), e.price(), ts, seq);
    }
    // As Order.apply: behind a pending cancel, the modify's answer leaves the cancel (and its reason) standing.
    if (event instanceof OrderModifyRejected e) {
      return status == OrderStatus.PENDING_CANCEL ? with(row, status, row.reason(), ts, seq)
          : with(row, Order.working(row.filledQty()), e.reason(), ts, seq);
    }
    if (event instanceof OrderModified e) {
      OrderStatus next = row.filledQty() >= e.qty() ? OrderStatus.FILLED
          : status == OrderStatus.PENDING_CANCEL ? status : Order.working(row.filledQty());
      return copy(row, e.qty(), e.price(), row.filledQty(), row.fillCost(), next, row.reason(), 0, 0, ts, seq);
    }
    if (event instanceof OrderCancelRequested e) {
      return copy(row, row.qty(), row.price(), row.filledQty(), row.fillCost(), OrderStatus.PENDING_CANCEL, e.reason(), row.pendingQty(),
          row.pendingPrice(), ts, seq);
    }
    if (event instanceof OrderCancelRejected e) {
      if (row.pendingQty() != 0) {
        return copy(row, row.qty(), row.price(), row.filledQty(), row.fillCost(), OrderStatus.PENDING_MODIFY, e.reason(), row.pendingQty(),
            row.pendingPrice(), ts, seq);
      }
      return with(row, Order.working(row.filledQty()), e.reason(), ts, seq);
    }
    if (event instanceof OrderCancelled e) return with(row, OrderStatus.CANCELLED, e.reason(), ts, seq);
    if (event instanceof OrderExpired) return with(row, OrderStatus.EXPIRED, "expired", ts, seq);
    throw new IllegalArgumentException("unknown order event " + event.getClass().getName());
  }

  private static OrderRow with(OrderRow r, OrderStatus next, String reason, long ts, long seq) {
    return copy(r, r.qty(), r.price(), r.filledQty(), r.fillCost(), next, reason, 0, 0, ts, seq);
  }

  private static OrderRow filled(OrderRow r, long qty, long price, OrderStatus next, long ts, long seq) {
    boolean keepPending = !next.terminal() && r.pendingQty() != 0;
    BigInteger cost = r.fillCost().add(BigInteger.valueOf(qty).multiply(BigInteger.valueOf(price)));
    return copy(r, r.qty(), r.price(), r.filledQty() + qty, cost, next, r.reason(), keepPending ? r.pendingQty() : 0,
        keepPending ? r.pendingPrice() : 0, ts, seq);
  }

  private static OrderRow copy(OrderRow r, long qty, long price, long filledQty, BigInteger cost, OrderStatus status, String reason,
      long pendingQty, long pendingPrice, long ts, long seq) {
    return new OrderRow(r.orderId(), r.clientOrderId(), r.account(), r.token(), r.side(), r.type(), r.tif(), qty, price, r.triggerPrice(),
        filledQty, cost, status.name(), reason, pendingQty, pendingPrice, r.createdAt(), ts, seq);
  }

  /**
   * One transaction's worth of envelopes folded over the rows they touch. Not thread-safe (one projection instance
   * uses it, then drops it).
   */
  public static final class Batch {
    private final Map<String, OrderRow> orders;
    private final Map<String, OrderRow> changed = new LinkedHashMap<>();
    private final List<FillRow> fills = new ArrayList<>();
    private int skipped;

    /** @param loaded the stored rows of the batch's orders (absent: none stored yet) */
    public Batch(Map<String, OrderRow> loaded) {
      this.orders = new HashMap<>(loaded);
    }

    /**
     * Applies one journaled event; an event at or below the order's {@code lastSeq} is skipped (already applied: a
     * second guard behind the offset stored in the same transaction).
     */
    public void apply(String orderId, long seq, OrderEvent event) {
      OrderRow row = orders.get(orderId);
      if (row != null && seq <= row.lastSeq()) {
        skipped++;
        return;
      }
      OrderRow next = OrderReadModel.apply(row, seq, event);
      orders.put(orderId, next);
      changed.put(orderId, next);
      if (event instanceof OrderPartiallyFilled e) fills.add(fill(next, e.tradeId(), e.qty(), e.price(), e.tsEvent(), seq));
      if (event instanceof OrderFilled e) fills.add(fill(next, e.tradeId(), e.qty(), e.price(), e.tsEvent(), seq));
    }

    private static FillRow fill(OrderRow o, String tradeId, long qty, long price, long ts, long seq) {
      return new FillRow(o.orderId(), tradeId, o.account(), o.token(), o.side(), qty, price, ts, seq);
    }

    /** Orders whose row changed, in first-change order. */
    public java.util.Collection<OrderRow> changedOrders() {
      return changed.values();
    }

    /** New fills, in journal order. */
    public List<FillRow> fills() {
      return fills;
    }

    /** Events skipped as already applied. */
    public int skipped() {
      return skipped;
    }

    /** The positions the fills touch. */
    public java.util.Set<PositionKey> positionKeys() {
      java.util.Set<PositionKey> keys = new java.util.LinkedHashSet<>();
      for (FillRow f : fills) keys.add(new PositionKey(f.account(), f.token()));
      return keys;
    }

    /** {@code stored} (the stored positions among {@link #positionKeys()}) after this batch's fills, in journal order. */
    public java.util.Collection<Position> changedPositions(Map<PositionKey, Position> stored) {
      Map<PositionKey, Position> out = new LinkedHashMap<>();
      for (FillRow f : fills) {
        PositionKey k = new PositionKey(f.account(), f.token());
        Position p = out.containsKey(k) ? out.get(k) : stored.getOrDefault(k, Position.flat(f.account(), f.token()));
        out.put(k, p.apply(f.side(), f.qty(), f.price(), f.tsEvent()));
      }
      return out.values();
    }
  }
}
