package io.tickloom.persistence;

import io.tickloom.protocol.Side;
import java.math.BigInteger;

/**
 * An account's net position in one instrument, by the average-cost method (docs/oms.md). Pure and immutable:
 * {@link #apply} gives the position after a fill. Invariants: {@code avgPrice == 0} exactly when {@code netQty == 0};
 * {@code boughtQty - soldQty == netQty}.
 *
 * <ul>
 *   <li>A fill on the side of the position (or from flat) increases it: the new average is
 *       {@code (|net| x avg + q x p) / (|net| + q)}, rounded half up to the price scale.
 *   <li>A fill against the position reduces it: the average stays; {@code q x (p - avg)} is realized for a long
 *       ({@code q x (avg - p)} for a short).
 *   <li>A fill larger than the position flips it: the closing part realizes as above, the rest opens a position
 *       on the other side at the fill price.
 * </ul>
 *
 * @param netQty signed, qty scale (positive long, negative short)
 * @param avgPrice average cost of the open position, price scale; 0 when flat
 * @param realizedPnl realized profit and loss, exact, at price scale + qty scale (a price times a qty)
 * @param boughtQty total bought, qty scale
 * @param soldQty total sold, qty scale
 * @param updatedAt tsEvent of the last fill applied, epoch ns
 */
public record Position(String account, long token, long netQty, long avgPrice, long realizedPnl, long boughtQty, long soldQty,
    long updatedAt) {

  /** A flat position with nothing traded. */
  public static Position flat(String account, long token) {
    return new Position(account, token, 0, 0, 0, 0, 0, 0);
  }

  /**
   * The position after a fill of {@code qty > 0} at {@code price} on {@code side}.
   *
   * @throws ArithmeticException if a quantity or the realized P&L leaves the long range
   */
  public Position apply(Side side, long qty, long price, long tsEvent) {
    if (qty <= 0) throw new IllegalArgumentException("fill qty must be positive, got " + qty);
    long signed = side == Side.BUY ? qty : -qty;
    long bought = side == Side.BUY ? Math.addExact(boughtQty, qty) : boughtQty;
    long sold = side == Side.SELL ? Math.addExact(soldQty, qty) : soldQty;
    long net = Math.addExact(netQty, signed);
    if (netQty == 0 || Long.signum(netQty) == Long.signum(signed)) {
      long open = Math.abs(netQty);
      BigInteger cost = BigInteger.valueOf(open).multiply(BigInteger.valueOf(avgPrice))
          .add(BigInteger.valueOf(qty).multiply(BigInteger.valueOf(price)));
      BigInteger total = BigInteger.valueOf(open + qty);
      long avg = cost.add(total.shiftRight(1)).divide(total).longValueExact();
      return new Position(account, token, net, avg, realizedPnl, bought, sold, tsEvent);
    }
    long closing = Math.min(qty, Math.abs(netQty));
    // long: (price - avg) per unit; short: (avg - price)
    long perUnit = netQty > 0 ? Math.subtractExact(price, avgPrice) : Math.subtractExact(avgPrice, price);
    long realized = Math.addExact(realizedPnl, Math.multiplyExact(closing, perUnit));
    long avg = net == 0 ? 0 : Long.signum(net) == Long.signum(netQty) ? avgPrice : price;
    return new Position(account, token, net, avg, realized, bought, sold, tsEvent);
  }

  /**
   * Unrealized P&L of the open position against {@code lastPrice}, at price scale + qty scale:
   * {@code netQty x (last - avg)} (negative net: a short gains when the price falls). 0 when flat.
   */
  public BigInteger unrealizedPnl(long lastPrice) {
    if (netQty == 0) return BigInteger.ZERO;
    // exact whatever the sizes: a position near the long range still answers (never an overflow)
    return BigInteger.valueOf(netQty).multiply(BigInteger.valueOf(lastPrice).subtract(BigInteger.valueOf(avgPrice)));
  }
}
