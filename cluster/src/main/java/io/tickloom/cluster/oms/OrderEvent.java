package io.tickloom.cluster.oms;

import io.tickloom.protocol.CborSerializable;

/**
 * What happened to an order, in the order it happened: the journal's payloads (Jackson CBOR via
 * {@link CborSerializable}). Past tense, immutable, each with {@code tsEvent} (epoch nanoseconds when the OMS
 * recorded it). Never change a record's fields incompatibly: journaled events are read back forever.
 */
public sealed interface OrderEvent extends CborSerializable {
  long tsEvent();

  /** The order exists: its request as placed (after validation). */
  record OrderSubmitted(OrderId orderId, OrderRequest request, long tsEvent) implements OrderEvent {}

  /** The venue took the order. */
  record OrderAccepted(long tsEvent) implements OrderEvent {}

  /** The order was refused, by pre-trade risk (reason starts with {@code risk:}) or by the venue. */
  record OrderRejected(String reason, long tsEvent) implements OrderEvent {}

  /** A trade filled part of the order; quantity still open. */
  record OrderPartiallyFilled(String tradeId, long qty, long price, long tsEvent) implements OrderEvent {}

  /** A trade filled the rest of the order. */
  record OrderFilled(String tradeId, long qty, long price, long tsEvent) implements OrderEvent {}

  /** A modify (new total qty and price) was sent to the venue; the order keeps working as it was. */
  record OrderModifyRequested(long qty, long price, long tsEvent) implements OrderEvent {}

  /** The venue refused the pending modify; the order works on unchanged. */
  record OrderModifyRejected(String reason, long tsEvent) implements OrderEvent {}

  /** The venue applied a modify: the order's total qty and price are now these. */
  record OrderModified(long qty, long price, long tsEvent) implements OrderEvent {}

  /** A cancel was sent to the venue; the order keeps working (and may still fill) until the venue answers. */
  record OrderCancelRequested(String reason, long tsEvent) implements OrderEvent {}

  /** The venue refused the pending cancel; the order works on. */
  record OrderCancelRejected(String reason, long tsEvent) implements OrderEvent {}

  /** The order's open quantity is cancelled (on request, or by the venue unsolicited). */
  record OrderCancelled(String reason, long tsEvent) implements OrderEvent {}

  /** The order's open quantity expired (IOC remainder, DAY at session end). */
  record OrderExpired(long tsEvent) implements OrderEvent {}
}
