package io.tickloom.protocol.indicators;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Indicator names (SPEC §4) to kernels. Accepted names, case-sensitive, periods as plain decimal integers in
 * {@code 1..}{@value #MAX_PERIOD}:
 * <pre>
 *   SMA_n   EMA_n   RSI_n   ATR_n   MACD_fast_slow_signal (fast &lt; slow)   BB_n_k   VWAP
 * </pre>
 * {@code k} of {@code BB_n_k} is an integer or a decimal ({@code 2}, {@code 2.5}) in {@code (0, 100]}. The kernel's
 * {@link Indicator#name()} is the canonical spelling (no leading zeros, no trailing fractional zeros:
 * {@code BB_20_2.0} gives {@code BB_20_2}).
 */
public final class Indicators {
  private Indicators() {}

  /** Largest accepted period. */
  public static final int MAX_PERIOD = 10_000;

  private static final String N = "(\\d+)";
  private static final Pattern SIMPLE = Pattern.compile("(SMA|EMA|RSI|ATR)_" + N);
  private static final Pattern MACD = Pattern.compile("MACD_" + N + '_' + N + '_' + N);
  private static final Pattern BB = Pattern.compile("BB_" + N + "_(\\d+(?:\\.\\d+)?)");

  /**
   * A new kernel for {@code name}.
   *
   * @throws IllegalArgumentException naming the accepted forms, for an unknown name or a parameter out of range
   */
  public static Indicator parse(String name) {
    if (name == null) throw new IllegalArgumentException("indicator name is null");
    try {
      if (name.equals("VWAP")) return new SessionVwap();
      Matcher m = SIMPLE.matcher(name);
      if (m.matches()) {
        int n = period(m.group(1) + " period", m.group(2));
        return switch (m.group(1)) {
          case "SMA" -> new Sma(n);
          case "EMA" -> new Ema(n);
          case "RSI" -> new Rsi(n);
          default -> new Atr(n);
        };
      }
      m = MACD.matcher(name);
      if (m.matches()) {
        return new Macd(period("MACD fast period", m.group(1)), period("MACD slow period", m.group(2)),
            period("MACD signal period", m.group(3)));
      }
      m = BB.matcher(name);
      if (m.matches()) {
        BigDecimal k = new BigDecimal(m.group(2));
        if (k.compareTo(BigDecimal.valueOf(BollingerBands.MAX_K)) > 0) {
          throw new IllegalArgumentException("BB multiplier must be in (0, " + BollingerBands.MAX_K + "]: " + m.group(2));
        }
        return new BollingerBands(period("BB period", m.group(1)), k.doubleValue());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad indicator '" + name + "': " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("unknown indicator '" + name
        + "' (one of SMA_n, EMA_n, RSI_n, ATR_n, MACD_fast_slow_signal, BB_n_k, VWAP; e.g. SMA_20, MACD_12_26_9, BB_20_2)");
  }

  /** The decimal digits {@code digits} as a period, checked by {@link #checkPeriod}. */
  private static int period(String what, String digits) {
    String t = digits.replaceFirst("^0+(?=.)", "");
    if (t.length() > 9) throw new IllegalArgumentException(what + " must be in 1.." + MAX_PERIOD + ": " + digits);
    return checkPeriod(what, Integer.parseInt(t));
  }

  /** {@code period} if within {@code 1..MAX_PERIOD}, else an {@link IllegalArgumentException} naming {@code what}. */
  static int checkPeriod(String what, int period) {
    if (period < 1 || period > MAX_PERIOD) {
      throw new IllegalArgumentException(what + " must be in 1.." + MAX_PERIOD + ": " + period);
    }
    return period;
  }
}
