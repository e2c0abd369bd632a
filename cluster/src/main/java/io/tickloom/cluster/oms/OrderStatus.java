package io.tickloom.cluster.oms;

/**
 * Order states of SPEC §5. {@code PENDING_NEW → ACCEPTED → PARTIALLY_FILLED → FILLED}; {@code REJECTED},
 * {@code CANCELLED}, {@code EXPIRED} end an order; {@code PENDING_CANCEL}/{@code PENDING_MODIFY} wait for the
 * venue's answer to a cancel or modify request (the order keeps working, and may fill, meanwhile).
 */
public enum OrderStatus {
  PENDING_NEW, ACCEPTED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, EXPIRED, PENDING_CANCEL, PENDING_MODIFY;

  /** Whether no further change is requested of the venue: FILLED, REJECTED, CANCELLED, EXPIRED. */
  public boolean terminal() {
    return this == FILLED || this == REJECTED || this == CANCELLED || this == EXPIRED;
  }

  /** Whether the order is open at the venue (counts towards an account's open orders). */
  public boolean open() {
    return !terminal();
  }
}
