package io.tickloom.persistence;

import io.tickloom.protocol.Side;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One row of the {@code orders} read table (V4): an order's view as of its last projected event. Written by the
 * order projections, read by {@link OrderQueries}. Immutable. Enums of the OMS ({@code type}, {@code tif},
 * {@code status}) are kept as their names: this module does not know the OMS's types.
 *
 * @param fillCost exact sum of qty x price over the fills (price scale + qty scale)
 * @param createdAt tsEvent of the order's first event, epoch ns
 * @param updatedAt tsEvent of its last event, epoch ns
 * @param lastSeq journal sequence number of the last event applied
 */
public record OrderRow(String orderId, String clientOrderId, String account, long token, Side side, String type, String tif,
    long qty, long price, long triggerPrice, long filledQty, BigInteger fillCost, String status, String reason, long pendingQty,
    long pendingPrice, long createdAt, long updatedAt, long lastSeq) {

  /** Statuses that count as open (working at the venue, or waiting for its answer). */
  public static final List<String> OPEN_STATUSES = List.of("PENDING_NEW", "ACCEPTED", "PARTIALLY_FILLED", "PENDING_CANCEL", "PENDING_MODIFY");

  public OrderRow {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(fillCost, "fillCost");
  }

  /** Fill-weighted average price rounded half up to the price scale; 0 before the first fill. Exact. */
  public long avgPrice() {
    if (filledQty == 0) return 0;
    BigInteger q = BigInteger.valueOf(filledQty);
    return fillCost.add(q.shiftRight(1)).divide(q).longValueExact();
  }
}
