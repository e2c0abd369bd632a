package io.tickloom.cluster.oms;

import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Side;

/**
 * What a client asks for when placing an order (SPEC §5 order body), in fixed point: {@code qty} at the
 * instrument's qty scale, {@code price}/{@code triggerPrice} at its price scale, 0 where the type has none.
 * Immutable; {@link #problem()} says what is wrong with it (the constructor does not throw, so journaled
 * requests always read back).
 */
public record OrderRequest(String clientOrderId, String account, long token, Side side, long qty, OrderType type, long price,
    long triggerPrice, TimeInForce tif) implements CborSerializable {

  public static final int MAX_CLIENT_ORDER_ID = 64;

  /** A LIMIT order. */
  public static OrderRequest limit(String clientOrderId, String account, long token, Side side, long qty, long price, TimeInForce tif) {
    return new OrderRequest(clientOrderId, account, token, side, qty, OrderType.LIMIT, price, 0, tif);
  }

  /** A MARKET order. */
  public static OrderRequest market(String clientOrderId, String account, long token, Side side, long qty, TimeInForce tif) {
    return new OrderRequest(clientOrderId, account, token, side, qty, OrderType.MARKET, 0, 0, tif);
  }

  /** The id this request's order has. */
  public OrderId orderId() {
    return OrderId.of(account, clientOrderId);
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** Null when the request is well formed, else what is wrong with it. */
  public String problem() {
    if (clientOrderId == null || clientOrderId.isBlank()) return "clientOrderId is required";
    if (clientOrderId.length() > MAX_CLIENT_ORDER_ID) return "clientOrderId is longer than " + MAX_CLIENT_ORDER_ID + " characters";
    for (int i = 0; i < clientOrderId.length(); i++) {
      char c = clientOrderId.charAt(i);
      // Stored as text by the journal's readers and the read side (PostgreSQL text refuses NUL): refused here, never there.
      if (Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(clientOrderId, i)) {
        return "clientOrderId contains a control character or a lone surrogate at position " + i;
      }
    }
    if (!OrderId.validAccount(account)) return "account must match [A-Za-z0-9_-]{1,64}, got '" + account + "'";
    if (side == null) return "side is required (BUY or SELL)";
    if (type == null) return "type is required (LIMIT, MARKET, SL or SL_M)";
    if (tif == null) return "tif is required (DAY, IOC or GTC)";
    if (qty <= 0) return "qty must be positive, got " + qty;
    if (type.priced() && price <= 0) return "a " + type + " order needs a positive price, got " + price;
    if (!type.priced() && price != 0) return "a " + type + " order has no price, got " + price;
    if (type.triggered() && triggerPrice <= 0) return "a " + type + " order needs a positive triggerPrice, got " + triggerPrice;
    if (!type.triggered() && triggerPrice != 0) return "a " + type + " order has no triggerPrice, got " + triggerPrice;
    return null;
  }
}
