package io.tickloom.cluster.oms;

import io.tickloom.protocol.CborSerializable;

/**
 * A successful answer of an {@link OrderEntity}: the order after the command, and what the command did.
 * Refusals are {@code StatusReply.error(reason)} instead and change nothing.
 */
public record OrderAck(OrderView order, Outcome outcome) implements CborSerializable {

  public enum Outcome {
    /** A place created the order (it may be REJECTED by risk: see the view's status and reason). */
    CREATED,
    /** A retried place found the order its client order id already names; nothing changed. */
    EXISTING,
    /** Events were journaled. */
    APPLIED,
    /** A duplicate or overtaken report (repeated trade id, an ack after the order ended): nothing changed. */
    UNCHANGED
  }

  /** Whether this place created the order (false for an idempotent retry). */
  public boolean created() {
    return outcome == Outcome.CREATED;
  }
}
