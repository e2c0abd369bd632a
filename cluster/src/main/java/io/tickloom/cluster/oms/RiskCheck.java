package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Fixed;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Pre-trade risk (SPEC §5): per-account {@link RiskLimits} (a default plus overrides per account) checked against
 * an order before it goes to the venue. No Pekko, no I/O: the entity feeds it the order and the market context
 * and journals the verdict. A refusal names the rule and the numbers ({@code max-qty: qty 1500 > limit 1000}).
 * Immutable and thread-safe. Rules, in the order they are checked: kill-switch, max-qty, max-notional,
 * price-band, max-open-orders.
 */
public final class RiskCheck {
  /** Passed as {@code openOrders} when the account's open-order count is not known: the rule is skipped. */
  public static final int UNKNOWN_OPEN_ORDERS = -1;

  /**
   * What the check needs to know of the instrument: its last traded price (0 when none is known yet) and scales.
   */
  public record Market(long lastPrice, int priceScale, int qtyScale) implements CborSerializable {
    public Market {
      if (lastPrice < 0) throw new IllegalArgumentException("lastPrice must not be negative, got " + lastPrice);
      if (priceScale < 0 || priceScale > 18 || qtyScale < 0 || qtyScale > 18) {
        throw new IllegalArgumentException("scales must be 0..18, got price " + priceScale + " qty " + qtyScale);
      }
    }
  }

  private final RiskLimits defaults;
  private final Map<String, RiskLimits> accounts;

  public RiskCheck(RiskLimits defaults, Map<String, RiskLimits> accounts) {
    this.defaults = defaults;
    this.accounts = Map.copyOf(accounts);
  }

  /** The same limits for every account. */
  public static RiskCheck uniform(RiskLimits limits) {
    return new RiskCheck(limits, Map.of());
  }

  /**
   * Reads {@code default { ... }} and {@code accounts { ACCOUNT { ... } }}; an account's block overrides single
   * keys of the default.
   */
  public static RiskCheck fromConfig(Config risk) {
    Config defaults = risk.getConfig("default");
    Map<String, RiskLimits> accounts = new HashMap<>();
    ConfigObject per = risk.getObject("accounts");
    for (String account : per.keySet()) {
      accounts.put(account, RiskLimits.fromConfig(per.toConfig().getConfig("\"" + account + "\"").withFallback(defaults)));
    }
    return new RiskCheck(RiskLimits.fromConfig(defaults), accounts);
  }

  /** A limit as the instrument shows amounts: at its scale when it has no more digits than that, else as written. */
  private static String units(BigDecimal limit, int scale) {
    return limit.scale() <= scale ? limit.setScale(scale).toPlainString() : limit.toPlainString();
  }

  public RiskLimits limitsFor(String account) {
    return accounts.getOrDefault(account, defaults);
  }

  /**
   * Checks an order (or an order as a modify would leave it) of {@code account}.
   *
   * @param qty total quantity
   * @param price limit price, 0 for MARKET/SL_M
   * @param openOrders the account's open orders before this one, or {@link #UNKNOWN_OPEN_ORDERS}
   * @return null when the order passes, else the refusal: rule, then the numbers
   */
  public String check(String account, OrderType type, long qty, long price, Market market, int openOrders) {
    RiskLimits l = limitsFor(account);
    if (l.killSwitch()) return "kill-switch: trading is halted for account " + account;
    if (l.maxQty().signum() > 0 && BigDecimal.valueOf(qty, market.qtyScale()).compareTo(l.maxQty()) > 0) {
      return "max-qty: qty " + Fixed.format(qty, market.qtyScale()) + " > limit " + units(l.maxQty(), market.qtyScale());
    }
    if (l.maxNotional().signum() > 0) {
      long valuedAt = type.priced() ? price : market.lastPrice();
      if (valuedAt <= 0) return "max-notional: no last price is known to value a " + type + " order";
      BigInteger notional = BigInteger.valueOf(qty).multiply(BigInteger.valueOf(valuedAt))
          .divide(BigInteger.valueOf(Fixed.pow10(market.qtyScale())));
      if (new BigDecimal(notional, market.priceScale()).compareTo(l.maxNotional()) > 0) {
        String value = notional.bitLength() < 64 ? Fixed.format(notional.longValue(), market.priceScale()) : "more than 2^63 units";
        return "max-notional: qty " + Fixed.format(qty, market.qtyScale()) + " x price " + Fixed.format(valuedAt, market.priceScale())
            + " = " + value + " > limit " + units(l.maxNotional(), market.priceScale());
      }
    }
    if (l.priceBandBps() > 0 && type.priced()) {
      long last = market.lastPrice();
      if (last <= 0) return "price-band: no last price is known to check a limit price of " + Fixed.format(price, market.priceScale());
      // |price - last| / last > band / 10000, compared exactly: |price - last| * 10000 > band * last
      BigInteger deviation = BigInteger.valueOf(price).subtract(BigInteger.valueOf(last)).abs().multiply(BigInteger.valueOf(10_000));
      if (deviation.compareTo(BigInteger.valueOf(l.priceBandBps()).multiply(BigInteger.valueOf(last))) > 0) {
        long bps = deviation.divide(BigInteger.valueOf(last)).longValue();
        return "price-band: price " + Fixed.format(price, market.priceScale()) + " is " + bps + " bps from last price "
            + Fixed.format(last, market.priceScale()) + " > band " + l.priceBandBps() + " bps";
      }
    }
    if (l.maxOpenOrders() > 0 && openOrders != UNKNOWN_OPEN_ORDERS && openOrders >= l.maxOpenOrders()) {
      return "max-open-orders: " + openOrders + " orders open >= limit " + l.maxOpenOrders();
    }
    return null;
  }
}
