package io.tickloom.cluster.oms;

import io.tickloom.cluster.oms.OrderAck.Outcome;
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
import java.util.List;

/**
 * The order state machine (SPEC §5) as pure functions: given an {@link Order} and a command, the events to
 * journal, a no-op answer, or a refusal with its reason. No Pekko, no I/O, no clock (the caller passes
 * {@code now}); {@link OrderEntity} feeds it and journals what it decides. The full table is in docs/oms.md.
 *
 * <p>Venue races, the way venues produce them: a fill that arrives while a cancel or modify is pending is
 * applied (the order may end FILLED); a fill reported after a cancel or expiry is applied too (the trade
 * happened) and completes the order if it fills the rest; acks and rejects that arrive after the order ended
 * (a cancel ack after the full fill, a modify ack after a cancel) change nothing; a repeated trade id is
 * ignored. Anything else that does not fit the state is refused and changes nothing.
 *
 * <p>A cancel while a modify is pending follows FIX (an order cancel request behind a pending cancel/replace): it is
 * accepted as pending (PENDING_CANCEL, the modify still outstanding) and wins unless the venue fills the order first. The
 * venue then answers both: a modify ack applies the new qty and price and the cancel stays pending; a modify reject leaves
 * it pending; a cancel ack ends the order whatever the modify's fate; a cancel reject goes back to PENDING_MODIFY while
 * the modify is still unanswered. A modify while a cancel is pending is refused.
 */
public final class OrderRules {
  private OrderRules() {}

  /** What a command does. */
  public sealed interface Decision {}

  /** Journal these events, then answer with the resulting order. */
  public record Persist(List<OrderEvent> events, Outcome outcome) implements Decision {}

  /** Journal nothing; answer with the order as it is. */
  public record Keep(Outcome outcome) implements Decision {}

  /** Journal nothing; answer with this error. */
  public record Refuse(String reason) implements Decision {}

  private static final Keep UNCHANGED = new Keep(Outcome.UNCHANGED);

  public static Decision place(Order o, OrderRequest request, RiskCheck risk, RiskCheck.Market market, int openOrders, long now) {
    String problem = request.problem();
    if (problem != null) return new Refuse("invalid order: " + problem);
    if (o.exists()) {
      if (o.request().equals(request)) return new Keep(Outcome.EXISTING);
      return new Refuse("clientOrderId '" + request.clientOrderId() + "' already names order " + o.orderId()
          + " with different parameters");
    }
    OrderSubmitted submitted = new OrderSubmitted(request.orderId(), request, now);
    String refusal = risk.check(request.account(), request.type(), request.qty(), request.price(), market, openOrders);
    // A fat finger the limits catch is a journaled, audited rejection whatever its size (risk works on exact numbers)...
    if (refusal != null) return new Persist(List.of(submitted, new OrderRejected("risk: " + refusal, now)), Outcome.CREATED);
    // ...and one they let through (limits off) is still refused when the OMS could not account for it.
    String range = outOfRange(request.qty(), request.type().priced() ? request.price() : market.lastPrice());
    if (range != null) return new Refuse("invalid order: " + range);
    return new Persist(List.of(submitted), Outcome.CREATED);
  }

  /** A modify to a new total {@code qty} and {@code price} (0 for MARKET/SL_M), risk-checked as the order would be. */
  public static Decision modify(Order o, long qty, long price, RiskCheck risk, RiskCheck.Market market, long now) {
    if (!o.exists()) return noOrder();
    switch (o.status()) {
      case PENDING_NEW:
        return new Refuse("order " + o.orderId() + " is PENDING_NEW: not yet accepted by the venue; modify once it is ACCEPTED");
      case PENDING_MODIFY:
        return new Refuse("order " + o.orderId() + " is PENDING_MODIFY: a modify is already pending");
      case PENDING_CANCEL:
        return new Refuse("order " + o.orderId() + " is PENDING_CANCEL: a cancel is pending");
      case ACCEPTED:
      case PARTIALLY_FILLED:
        break;
      default:
        return new Refuse("order " + o.orderId() + " is " + o.status() + ": nothing left to modify");
    }
    OrderType type = o.request().type();
    if (qty <= o.filledQty()) return new Refuse("modify: qty " + qty + " must exceed the filled qty " + o.filledQty());
    if (type.priced() && price <= 0) return new Refuse("modify: a " + type + " order needs a positive price, got " + price);
    if (!type.priced() && price != 0) return new Refuse("modify: a " + type + " order has no price, got " + price);
    if (qty == o.qty() && price == o.price()) return new Refuse("modify: qty and price are unchanged");
    String range = outOfRange(qty, type.priced() ? price : market.lastPrice());
    if (range != null) return new Refuse("modify: " + range);
    String refusal = risk.check(o.request().account(), type, qty, price, market, RiskCheck.UNKNOWN_OPEN_ORDERS);
    if (refusal != null) return new Refuse("risk: " + refusal);
    return new Persist(List.of(new OrderModifyRequested(qty, price, now)), Outcome.APPLIED);
  }

  public static Decision cancel(Order o, String reason, long now) {
    if (!o.exists()) return noOrder();
    return switch (o.status()) {
      case ACCEPTED, PARTIALLY_FILLED ->
          new Persist(List.of(new OrderCancelRequested(reason == null || reason.isBlank() ? "cancel requested" : reason, now)),
              Outcome.APPLIED);
      // Cancelling twice is answered like the first time (DELETE is idempotent).
      case PENDING_CANCEL, CANCELLED -> UNCHANGED;
      case PENDING_NEW ->
          new Refuse("order " + o.orderId() + " is PENDING_NEW: not yet accepted by the venue; cancel once it is ACCEPTED");
      // FIX: a cancel behind a pending modify is pending too, and wins unless a fill comes first.
      case PENDING_MODIFY ->
          new Persist(List.of(new OrderCancelRequested(reason == null || reason.isBlank() ? "cancel requested" : reason, now)),
              Outcome.APPLIED);
      default -> new Refuse("order " + o.orderId() + " is " + o.status() + ": nothing left to cancel");
    };
  }

  public static Decision accept(Order o, long now) {
    if (!o.exists()) return noOrder();
    return switch (o.status()) {
      case PENDING_NEW -> new Persist(List.of(new OrderAccepted(now)), Outcome.APPLIED);
      case REJECTED -> new Refuse("order " + o.orderId() + " is REJECTED (" + o.reason() + "): an accept contradicts it");
      // A repeated ack, or one overtaken by fills, a cancel or an expiry.
      default -> UNCHANGED;
    };
  }

  /**
   * The venue's refusal of whichever request is pending: the order (PENDING_NEW), the cancel or the modify. With both a
   * cancel and a modify pending the venue must say which it refuses ({@link #cancelReject}, {@link #modifyReject}).
   */
  public static Decision reject(Order o, String reason, long now) {
    if (!o.exists()) return noOrder();
    String why = reason == null || reason.isBlank() ? "rejected by the venue" : reason;
    if (o.status() == OrderStatus.PENDING_CANCEL && o.modifyOutstanding()) {
      return new Refuse("order " + o.orderId() + " has a cancel and a modify pending: a venue reject must name the request it refuses"
          + " (cancel reject or modify reject)");
    }
    return switch (o.status()) {
      case PENDING_NEW -> new Persist(List.of(new OrderRejected(why, now)), Outcome.APPLIED);
      case PENDING_CANCEL -> new Persist(List.of(new OrderCancelRejected(why, now)), Outcome.APPLIED);
      case PENDING_MODIFY -> new Persist(List.of(new OrderModifyRejected(why, now)), Outcome.APPLIED);
      // The refusal of a request the order outran ("too late to cancel: filled").
      case FILLED, CANCELLED, EXPIRED, REJECTED -> UNCHANGED;
      default -> new Refuse("order " + o.orderId() + " is " + o.status() + ": no request is pending for the venue to reject");
    };
  }

  /** The venue's refusal of the pending cancel (FIX OrderCancelReject in response to a cancel). */
  public static Decision cancelReject(Order o, String reason, long now) {
    if (!o.exists()) return noOrder();
    String why = reason == null || reason.isBlank() ? "cancel rejected by the venue" : reason;
    return switch (o.status()) {
      case PENDING_CANCEL -> new Persist(List.of(new OrderCancelRejected(why, now)), Outcome.APPLIED);
      case FILLED, CANCELLED, EXPIRED, REJECTED -> UNCHANGED;
      default -> new Refuse("order " + o.orderId() + " is " + o.status() + ": no cancel is pending");
    };
  }

  /** The venue's refusal of the pending modify (FIX OrderCancelReject in response to a cancel/replace), also behind a cancel. */
  public static Decision modifyReject(Order o, String reason, long now) {
    if (!o.exists()) return noOrder();
    String why = reason == null || reason.isBlank() ? "modify rejected by the venue" : reason;
    if (o.status().terminal()) return UNCHANGED;
    if (!o.modifyOutstanding()) return new Refuse("order " + o.orderId() + " is " + o.status() + ": no modify is pending");
    return new Persist(List.of(new OrderModifyRejected(why, now)), Outcome.APPLIED);
  }

  /**
   * The OMS gives up on what it asked the venue (no acknowledgement within the hand-off timeout): as the venue's reject of
   * every pending request, the modify behind a pending cancel included.
   */
  public static Decision timeOut(Order o, String reason, long now) {
    if (o.exists() && o.status() == OrderStatus.PENDING_CANCEL && o.modifyOutstanding()) {
      return new Persist(List.of(new OrderModifyRejected(reason, now), new OrderCancelRejected(reason, now)), Outcome.APPLIED);
    }
    return reject(o, reason, now);
  }

  public static Decision fill(Order o, long qty, long price, String tradeId, long now) {
    if (!o.exists()) return noOrder();
    if (tradeId == null || tradeId.isBlank()) return new Refuse("fill: a trade id is required");
    if (qty <= 0) return new Refuse("fill: qty must be positive, got " + qty);
    if (price <= 0) return new Refuse("fill: price must be positive, got " + price);
    if (o.hasTrade(tradeId)) return UNCHANGED;
    if (o.status() == OrderStatus.REJECTED) {
      return new Refuse("order " + o.orderId() + " is REJECTED: trade " + tradeId + " cannot be applied; reconcile with the venue");
    }
    if (qty > o.remainingQty()) {
      return new Refuse("overfill: trade " + tradeId + " of qty " + qty + " exceeds the remaining qty " + o.remainingQty()
          + " of order " + o.orderId() + " (" + o.status() + ", " + o.filledQty() + " of " + o.qty() + " filled)");
    }
    OrderEvent fill = qty == o.remainingQty() ? new OrderFilled(tradeId, qty, price, now) : new OrderPartiallyFilled(tradeId, qty, price, now);
    // A fill before the ack accepts the order implicitly.
    if (o.status() == OrderStatus.PENDING_NEW) return new Persist(List.of(new OrderAccepted(now), fill), Outcome.APPLIED);
    return new Persist(List.of(fill), Outcome.APPLIED);
  }

  /** The venue's cancel confirmation, or a cancel it made on its own (unsolicited). */
  public static Decision cancelAck(Order o, long now) {
    if (!o.exists()) return noOrder();
    return switch (o.status()) {
      case PENDING_CANCEL -> new Persist(List.of(new OrderCancelled(o.reason(), now)), Outcome.APPLIED);
      case PENDING_NEW, ACCEPTED, PARTIALLY_FILLED, PENDING_MODIFY ->
          new Persist(List.of(new OrderCancelled("cancelled by the venue", now)), Outcome.APPLIED);
      // Overtaken: the order filled (or ended otherwise) before the cancel took effect.
      default -> UNCHANGED;
    };
  }

  public static Decision modifyAck(Order o, long now) {
    if (!o.exists()) return noOrder();
    return switch (o.status()) {
      // Fills while the modify was pending may exceed the new qty: the order then ends FILLED at what filled.
      case PENDING_MODIFY -> new Persist(List.of(new OrderModified(Math.max(o.pendingQty(), o.filledQty()), o.pendingPrice(), now)),
          Outcome.APPLIED);
      // The modify behind a pending cancel took effect: the new qty and price apply, the cancel stays pending.
      case PENDING_CANCEL -> o.modifyOutstanding()
          ? new Persist(List.of(new OrderModified(Math.max(o.pendingQty(), o.filledQty()), o.pendingPrice(), now)), Outcome.APPLIED)
          : new Refuse("order " + o.orderId() + " is PENDING_CANCEL: no modify is pending");
      case FILLED, CANCELLED, EXPIRED -> UNCHANGED;
      default -> new Refuse("order " + o.orderId() + " is " + o.status() + ": no modify is pending");
    };
  }

  public static Decision expire(Order o, long now) {
    if (!o.exists()) return noOrder();
    if (o.status().terminal()) return UNCHANGED;
    return new Persist(List.of(new OrderExpired(now)), Outcome.APPLIED);
  }

  /**
   * Whether an order of {@code qty} at {@code price} (fixed point) is too large for the OMS to account for: qty × price
   * must stay within 2^62, so fills, positions and P&L keep far from the 64-bit range whatever the risk limits say.
   */
  static String outOfRange(long qty, long price) {
    if (java.math.BigInteger.valueOf(qty).multiply(java.math.BigInteger.valueOf(Math.max(1, price))).bitLength() > 62) {
      return "qty x price is out of range (beyond 2^62 at the instrument's scales)";
    }
    return null;
  }

  private static Refuse noOrder() {
    return new Refuse("no such order");
  }
}
