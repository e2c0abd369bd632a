package io.tickloom.cluster.oms;

import com.typesafe.config.Config;

/**
 * One account's pre-trade limits (SPEC §5). A limit of 0 is off. Fixed point: {@code maxQty} at the instrument's
 * qty scale, {@code maxNotional} at its price scale (notional = qty × price / 10^qtyScale, so for NSE equities a
 * limit in paise); the price band in basis points of the last price.
 *
 * @param maxQty largest quantity of one order
 * @param maxNotional largest value of one order (MARKET and SL_M orders are valued at the last price)
 * @param priceBandBps how far a limit (or stop-limit) price may lie from the last price, in 1/100 of a percent
 * @param maxOpenOrders most orders an account may have open at once
 * @param killSwitch when on, every new order and modify of the account is refused (cancels still go through)
 */
public record RiskLimits(long maxQty, long maxNotional, int priceBandBps, int maxOpenOrders, boolean killSwitch) {
  public static final RiskLimits NONE = new RiskLimits(0, 0, 0, 0, false);

  public RiskLimits {
    if (maxQty < 0 || maxNotional < 0 || priceBandBps < 0 || maxOpenOrders < 0) {
      throw new IllegalArgumentException("risk limits must not be negative (0 turns a limit off)");
    }
  }

  /** Reads {@code max-qty}, {@code max-notional}, {@code price-band-bps}, {@code max-open-orders}, {@code kill-switch}. */
  public static RiskLimits fromConfig(Config c) {
    return new RiskLimits(c.getLong("max-qty"), c.getLong("max-notional"), c.getInt("price-band-bps"), c.getInt("max-open-orders"),
        c.getBoolean("kill-switch"));
  }

  public RiskLimits withKillSwitch(boolean on) {
    return new RiskLimits(maxQty, maxNotional, priceBandBps, maxOpenOrders, on);
  }
}
