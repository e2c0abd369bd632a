package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import java.math.BigDecimal;

/**
 * One account's pre-trade limits (SPEC §5). A limit of 0 is off. Quantities and values are decimals in the
 * instrument's own units, so one limit fits every instrument whatever its scales: {@code maxQty} in units of the
 * instrument (shares, contracts, coins), {@code maxNotional} in units of its price currency (rupees for NSE, USDT for a
 * BTCUSDT pair); the price band in basis points of the last price.
 *
 * @param maxQty largest quantity of one order
 * @param maxNotional largest value of one order, qty × price (MARKET and SL_M orders are valued at the last price)
 * @param priceBandBps how far a limit (or stop-limit) price may lie from the last price, in 1/100 of a percent
 * @param maxOpenOrders most orders an account may have open at once
 * @param killSwitch when on, every new order and modify of the account is refused (cancels still go through)
 */
public record RiskLimits(BigDecimal maxQty, BigDecimal maxNotional, int priceBandBps, int maxOpenOrders, boolean killSwitch) {
  public static final RiskLimits NONE = of("0", "0", 0, 0, false);

  public RiskLimits {
    if (maxQty == null || maxNotional == null || maxQty.signum() < 0 || maxNotional.signum() < 0 || priceBandBps < 0 || maxOpenOrders < 0) {
      throw new IllegalArgumentException("risk limits must not be negative (0 turns a limit off)");
    }
    maxQty = maxQty.stripTrailingZeros();
    maxNotional = maxNotional.stripTrailingZeros();
  }

  /** Limits from decimal strings ({@code "100000"}, {@code "0.5"}). */
  public static RiskLimits of(String maxQty, String maxNotional, int priceBandBps, int maxOpenOrders, boolean killSwitch) {
    return new RiskLimits(new BigDecimal(maxQty), new BigDecimal(maxNotional), priceBandBps, maxOpenOrders, killSwitch);
  }

  /** Reads {@code max-qty}, {@code max-notional}, {@code price-band-bps}, {@code max-open-orders}, {@code kill-switch}. */
  public static RiskLimits fromConfig(Config c) {
    try {
      return new RiskLimits(new BigDecimal(c.getString("max-qty").trim()), new BigDecimal(c.getString("max-notional").trim()),
          c.getInt("price-band-bps"), c.getInt("max-open-orders"), c.getBoolean("kill-switch"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tickloom.oms.risk: max-qty and max-notional must be decimal numbers: " + e.getMessage());
    }
  }

  public RiskLimits withKillSwitch(boolean on) {
    return new RiskLimits(maxQty, maxNotional, priceBandBps, maxOpenOrders, on);
  }
}
