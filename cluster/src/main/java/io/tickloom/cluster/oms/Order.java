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
import io.tickloom.protocol.CborSerializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One order's state, rebuilt from its events by {@link #apply} (also the entity's snapshot). Immutable: every
 * event gives a new instance. {@link #EMPTY} is the state before {@code OrderSubmitted}. Invariants:
 * {@code 0 <= filledQty <= qty}, {@code filledQty} is the sum of {@code fills}' quantities, trade ids in
 * {@code fills} are unique, {@code pendingQty/pendingPrice} are non-zero only while a modify is outstanding at the venue:
 * in {@code PENDING_MODIFY}, or in {@code PENDING_CANCEL} when the cancel was requested while the modify was pending
 * (FIX's cancel of a pending cancel/replace: both requests are at the venue, the cancel wins unless a fill comes first).
 *
 * @param qty the current total quantity (the request's, until a modify is acknowledged)
 * @param price the current limit price (0 for MARKET/SL_M)
 * @param reason the reason of the last reject, cancel request, cancel or expiry (null when none)
 */
public record Order(OrderId orderId, OrderRequest request, OrderStatus status, long qty, long price, long filledQty, List<Fill> fills,
    long pendingQty, long pendingPrice, String reason, long updatedAt) implements CborSerializable {

  /** One trade applied to the order. */
  public record Fill(String tradeId, long qty, long price, long tsEvent) implements CborSerializable {}

  public static final Order EMPTY = new Order(null, null, null, 0, 0, 0, List.of(), 0, 0, null, 0);

  public Order {
    fills = List.copyOf(fills);
  }

  /** Whether the order was placed (false for {@link #EMPTY}). */
  public boolean exists() {
    return request != null;
  }

  /** Whether a trade with this id was already applied. */
  public boolean hasTrade(String tradeId) {
    for (Fill f : fills) {
      if (f.tradeId().equals(tradeId)) return true;
    }
    return false;
  }

  /** Whether a modify is outstanding at the venue (in PENDING_MODIFY, or in PENDING_CANCEL behind the cancel). */
  public boolean modifyOutstanding() {
    return pendingQty != 0;
  }

  /** Quantity still open at the venue if the order is working. */
  public long remainingQty() {
    return qty - filledQty;
  }

  /** The state after {@code event}. */
  public Order apply(OrderEvent event) {
    long ts = event.tsEvent();
    if (event instanceof OrderSubmitted e) {
      OrderRequest r = e.request();
      return new Order(e.orderId(), r, OrderStatus.PENDING_NEW, r.qty(), r.price(), 0, List.of(), 0, 0, null, ts);
    }
    if (event instanceof OrderAccepted) return with(OrderStatus.ACCEPTED, reason, ts);
    if (event instanceof OrderRejected e) return with(OrderStatus.REJECTED, e.reason(), ts);
    if (event instanceof OrderPartiallyFilled e) {
      OrderStatus next = status == OrderStatus.PENDING_NEW || status == OrderStatus.ACCEPTED ? OrderStatus.PARTIALLY_FILLED : status;
      return filled(e.tradeId(), e.qty(), e.price(), ts, next);
    }
    if (event instanceof OrderFilled e) return filled(e.tradeId(), e.qty(), e.price(), ts, OrderStatus.FILLED);
    if (event instanceof OrderModifyRequested e) {
      return new Order(orderId, request, OrderStatus.PENDING_MODIFY, qty, price, filledQty, fills, e.qty(), e.price(), reason, ts);
    }
    // Behind a pending cancel, the modify's answer changes the order but not the cancel's standing (nor its reason).
    if (event instanceof OrderModifyRejected e) {
      return status == OrderStatus.PENDING_CANCEL ? with(OrderStatus.PENDING_CANCEL, reason, ts) : with(working(filledQty), e.reason(), ts);
    }
    if (event instanceof OrderModified e) {
      OrderStatus next = filledQty >= e.qty() ? OrderStatus.FILLED : status == OrderStatus.PENDING_CANCEL ? status : working(filledQty);
      return new Order(orderId, request, next, e.qty(), e.price(), filledQty, fills, 0, 0, reason, ts);
    }
    if (event instanceof OrderCancelRequested e) {
      // Requested while a modify is pending: the modify stays outstanding.
      return new Order(orderId, request, OrderStatus.PENDING_CANCEL, qty, price, filledQty, fills, pendingQty, pendingPrice, e.reason(), ts);
    }
    if (event instanceof OrderCancelRejected e) {
      if (modifyOutstanding()) {
        return new Order(orderId, request, OrderStatus.PENDING_MODIFY, qty, price, filledQty, fills, pendingQty, pendingPrice, e.reason(), ts);
      }
      return with(working(filledQty), e.reason(), ts);
    }
    if (event instanceof OrderCancelled e) return with(OrderStatus.CANCELLED, e.reason(), ts);
    if (event instanceof OrderExpired) return with(OrderStatus.EXPIRED, "expired", ts);
    throw new IllegalArgumentException("unknown order event " + event.getClass().getName());
  }

  /** The status of a working order with {@code filledQty} filled. */
  static OrderStatus working(long filledQty) {
    return filledQty > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.ACCEPTED;
  }

  private Order with(OrderStatus next, String why, long ts) {
    return new Order(orderId, request, next, qty, price, filledQty, fills, 0, 0, why, ts);
  }

  private Order filled(String tradeId, long fillQty, long fillPrice, long ts, OrderStatus next) {
    List<Fill> more = new ArrayList<>(fills.size() + 1);
    more.addAll(fills);
    more.add(new Fill(tradeId, fillQty, fillPrice, ts));
    boolean keepPending = !next.terminal() && modifyOutstanding();
    return new Order(orderId, request, next, qty, price, filledQty + fillQty, more, keepPending ? pendingQty : 0,
        keepPending ? pendingPrice : 0, reason, ts);
  }

  /** Fill-weighted average price, rounded half up to the price scale; 0 before the first fill. Exact (no floating point). */
  public long avgPrice() {
    if (filledQty == 0) return 0;
    long cost = 0;
    boolean overflow = false;
    for (Fill f : fills) {
      long hi = Math.multiplyHigh(f.qty(), f.price());
      long lo = f.qty() * f.price();
      if (hi != 0 || lo < 0) {
        overflow = true;
        break;
      }
      long sum = cost + lo;
      if (sum < 0) {
        overflow = true;
        break;
      }
      cost = sum;
    }
    if (!overflow) return (cost + filledQty / 2) / filledQty;
    BigInteger big = BigInteger.ZERO;
    for (Fill f : fills) big = big.add(BigInteger.valueOf(f.qty()).multiply(BigInteger.valueOf(f.price())));
    BigInteger q = BigInteger.valueOf(filledQty);
    return big.add(q.shiftRight(1)).divide(q).longValueExact();
  }

  /** The reply form. */
  public OrderView view() {
    return new OrderView(orderId.value(), request.clientOrderId(), request.account(), request.token(), request.side(), qty, filledQty,
        avgPrice(), request.type(), price, request.triggerPrice(), request.tif(), status, reason, pendingQty, pendingPrice, updatedAt);
  }
}
