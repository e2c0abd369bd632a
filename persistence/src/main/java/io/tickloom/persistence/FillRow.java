package io.tickloom.persistence;

import io.tickloom.protocol.Side;

/**
 * One row of the {@code fills} read table (V4): a trade applied to an order, at the instrument's scales.
 *
 * @param seq the journal sequence number of the order's fill event
 */
public record FillRow(String orderId, String tradeId, String account, long token, Side side, long qty, long price, long tsEvent,
    long seq) {}
