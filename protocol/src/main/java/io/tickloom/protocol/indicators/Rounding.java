package io.tickloom.protocol.indicators;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How indicator values are rendered and stored: the exact decimal value of the double rounded half-even to
 * {@value #DECIMALS} decimals, trailing zeros dropped, plain notation ({@code 2512.5}, {@code -0.00000002}, {@code 0}).
 *
 * <p>The definition is {@code new BigDecimal(v).setScale(8, HALF_EVEN).stripTrailingZeros().toPlainString()}, which
 * costs microseconds per value (the exact expansion of a double has dozens of digits). The fast path gives the same
 * text without allocation beyond the result: for {@code |v| < 1e7}, {@code s = v * 1e8} is within 0.0625 of the exact
 * product (its ulp is at most 2^-3 below 2^50, and 1e8 is exact), so when {@code s} lies at most 0.4 from the nearest
 * integer {@code r}, the exact product lies less than 0.5 from {@code r}: {@code r} is the correctly rounded result,
 * with no tie to break. Everything else (near-ties, large or tiny magnitudes aside from 0) takes the definition.
 */
public final class Rounding {
  public static final int DECIMALS = 8;
  private static final double SCALE = 1e8;
  private static final long UNIT = 100_000_000L;

  private Rounding() {}

  /** The rendered value; empty for NaN. Infinite values are refused. */
  public static String format(double value) {
    if (Double.isNaN(value)) return "";
    StringBuilder sb = new StringBuilder(24);
    appendTo(sb, value);
    return sb.toString();
  }

  /**
   * Appends the rendered (non-NaN, finite) value.
   *
   * @throws IllegalArgumentException for NaN or an infinite value
   */
  public static void appendTo(StringBuilder sb, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) throw new IllegalArgumentException("not a finite value: " + value);
    if (Math.abs(value) < 1e7) {
      double s = value * SCALE;
      double r = Math.rint(s);
      if (Math.abs(s - r) <= 0.4) {
        appendScaled(sb, (long) r);
        return;
      }
    }
    sb.append(new BigDecimal(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
  }

  private static void appendScaled(StringBuilder sb, long q) {
    if (q < 0) {
      sb.append('-');
      q = -q;
    }
    sb.append(q / UNIT);
    long frac = q % UNIT;
    if (frac == 0) return;
    int digits = DECIMALS;
    while (frac % 10 == 0) {
      frac /= 10;
      digits--;
    }
    sb.append('.');
    String f = Long.toString(frac);
    for (int i = f.length(); i < digits; i++) sb.append('0');
    sb.append(f);
  }
}
