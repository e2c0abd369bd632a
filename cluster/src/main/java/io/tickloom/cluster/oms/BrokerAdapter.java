package io.tickloom.cluster.oms;

import java.util.concurrent.CompletionStage;

/**
 * The OMS's side of a venue: how {@link OrderService} sends new orders, modifies and cancels to a broker, and how the
 * broker's reports come back. {@link PaperBroker} is the built-in one (simulated fills against the live market); a
 * REST or FIX adapter implements the same two halves.
 *
 * <h2>Requests (OMS → venue)</h2>
 * {@link OrderService} calls these <em>after</em> the order entity has journaled the request and answered it, so a
 * venue never sees an order or request the OMS has not recorded:
 * <ul>
 *   <li>{@link #place} when a place created the order and it passed risk (status {@code PENDING_NEW});</li>
 *   <li>{@link #modify} when a modify was journaled ({@code PENDING_MODIFY}; the new total qty and price are the
 *       view's {@code pendingQty}/{@code pendingPrice});</li>
 *   <li>{@link #cancel} when a cancel was journaled ({@code PENDING_CANCEL}).</li>
 * </ul>
 * They must not block and must not throw: they run on the actor system's dispatcher. An adapter queues the request
 * (an actor's mailbox, a socket's outbound queue) and answers later through {@link Reports}. An idempotent retry of a
 * place ({@code EXISTING}) is not sent again, nor is a request the entity refused. The venue's order id is the OMS's
 * {@link OrderView#orderId()} (or a mapping the adapter keeps): reports name orders by {@link OrderId}.
 *
 * <h2>Reports (venue → OMS)</h2>
 * {@link Reports} is implemented by the OMS ({@link OrderService#reports()}); each call is one command to the order's
 * entity ({@link OrderEntity.Accept}, {@link OrderEntity.Reject}, {@link OrderEntity.Fill}, {@link OrderEntity.CancelAck},
 * {@link OrderEntity.ModifyAck}, {@link OrderEntity.Expire}) and completes with the entity's answer once it is
 * journaled. The entity's state machine (docs/oms.md) takes venue races as venues produce them: a fill while a cancel
 * or modify is pending, an ack after the full fill, a repeated trade id ({@code UNCHANGED}), a fill with an implicit
 * accept. What an adapter must get right:
 * <ul>
 *   <li>send one order's reports in the order the venue produced them (from one thread or actor: reports through one
 *       node's shard region reach the entity in the order sent);</li>
 *   <li>give every fill a trade id unique at the venue, and reuse it when re-sending a report (replays after a
 *       reconnect are then harmless);</li>
 *   <li>a failed stage (timeout, journal down) means the report may or may not be journaled: retry it (reports are
 *       idempotent by the rules above) or reconcile; a refusal ({@code StatusReply.ErrorMessage}, e.g. an overfill)
 *       changes nothing and must be alerted on;</li>
 *   <li>{@link Reports#rejected} answers whichever request is pending: the new order (PENDING_NEW), the cancel
 *       (PENDING_CANCEL) or the modify (PENDING_MODIFY). A cancel may be requested while a modify is pending (FIX); with
 *       both at the venue, a reject must say which it refuses: {@link Reports#cancelRejected} or
 *       {@link Reports#modifyRejected} (FIX's CxlRejResponseTo), which an adapter should use whenever it knows.</li>
 * </ul>
 * Quantities and prices are {@code long} fixed point at the instrument's scales, as everywhere in the OMS.
 */
public interface BrokerAdapter {

  /** The venue's name in logs ({@code paper}, ...). */
  String name();

  /** Send the new order {@code order} (status {@code PENDING_NEW}, just journaled). */
  void place(OrderView order);

  /** Send a modify of {@code order} to total qty {@code order.pendingQty()} and price {@code order.pendingPrice()}. */
  void modify(OrderView order);

  /** Send a cancel of {@code order}'s open quantity. */
  void cancel(OrderView order);

  /**
   * The OMS has {@code order} working at this venue (ACCEPTED, PARTIALLY_FILLED, or with a cancel or modify pending): told
   * when the order's entity starts (after a node restart, a hand-off, a passivation), so venue and OMS agree again. A venue
   * that knows the order and ended it reports the end again (a fill or cancel the OMS missed); one that does not know it
   * takes it as it stands (the paper venue rests it again); a real adapter would ask the venue and report the
   * differences. Must not block; repeats are harmless. Default: nothing.
   */
  default void reconcile(OrderView order) {}

  /** Stop taking requests (node shutdown). A simulated venue forgets its resting orders. */
  default void stop() {}

  /** No venue: orders stay PENDING_NEW until something reports for them (tests, {@code tickloom.oms.broker = none}). */
  BrokerAdapter NONE = new BrokerAdapter() {
    @Override
    public String name() {
      return "none";
    }

    @Override
    public void place(OrderView order) {}

    @Override
    public void modify(OrderView order) {}

    @Override
    public void cancel(OrderView order) {}
  };

  /**
   * The venue's reports to the OMS, one method per broker report of the order state machine. Thread-safe; each
   * completes with the entity's answer after its journal write, or fails (refusal reason, timeout).
   */
  interface Reports {
    /** The venue took the order. */
    CompletionStage<OrderAck> accepted(OrderId id);

    /** The venue refused the new order, or the pending cancel or modify, for {@code reason}. */
    CompletionStage<OrderAck> rejected(OrderId id, String reason);

    /** The venue refused the pending cancel. By default as {@link #rejected}, which is ambiguous when a modify is pending too. */
    default CompletionStage<OrderAck> cancelRejected(OrderId id, String reason) {
      return rejected(id, reason);
    }

    /** The venue refused the pending modify. By default as {@link #rejected}, which is ambiguous when a cancel is pending too. */
    default CompletionStage<OrderAck> modifyRejected(OrderId id, String reason) {
      return rejected(id, reason);
    }

    /** A trade of {@code qty} at {@code price}; {@code tradeId} unique per venue trade. */
    CompletionStage<OrderAck> filled(OrderId id, long qty, long price, String tradeId);

    /** The venue cancelled the order's open quantity (requested or unsolicited). */
    CompletionStage<OrderAck> cancelled(OrderId id);

    /** The venue applied the pending modify. */
    CompletionStage<OrderAck> modified(OrderId id);

    /** The order's open quantity expired (IOC remainder, DAY at session end). */
    CompletionStage<OrderAck> expired(OrderId id);
  }
}
