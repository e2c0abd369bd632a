package io.tickloom.cluster.oms;

import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Side;

/**
 * An order as replied to callers (the fields of SPEC §5's order view, plus the pending modify and the last
 * reason). Fixed point at the instrument's scales; {@code avgPrice} is the fill-weighted average rounded half
 * up to the price scale (0 before the first fill); {@code updatedAt} is the {@code tsEvent} of the last event.
 */
public record OrderView(String orderId, String clientOrderId, String account, long token, Side side, long qty, long filledQty,
    long avgPrice, OrderType type, long price, long triggerPrice, TimeInForce tif, OrderStatus status, String reason,
    long pendingQty, long pendingPrice, long updatedAt) implements CborSerializable {}
