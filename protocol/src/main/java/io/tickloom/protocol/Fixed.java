package io.tickloom.protocol;

import java.math.BigDecimal;

/**
 * Fixed-point decimals as {@code long} with a scale (number of decimal places).
 * {@code Fixed.parse("2500.05", 2) == 250005}. Parsing and formatting are exact: no floating point.
 * Parsing refuses values that need more decimals than the scale, and values that overflow.
 */
public final class Fixed {
  private Fixed() {}

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** 10^n for 0 &lt;= n &lt;= 18. */
  public static long pow10(int n) {
    return POW10[n];
  }

  /**
   * Parses a plain decimal string ({@code -12.3400}) at {@code scale}. Trailing zeros beyond the scale
   * are accepted; non-zero digits beyond it are refused. Does not allocate.
   *
   * @throws IllegalArgumentException with the reason when the text is not such a number
   */
  public static long parse(CharSequence text, int scale) {
    return parse(text, 0, text.length(), scale);
  }

  /** Parses {@code text[from, to)}; see {@link #parse(CharSequence, int)}. */
  public static long parse(CharSequence text, int from, int to, int scale) {
    if (from >= to) throw new IllegalArgumentException("empty number");
    int i = from;
    boolean negative = false;
    char c = text.charAt(i);
    if (c == '-' || c == '+') {
      negative = c == '-';
      if (++i == to) throw new IllegalArgumentException("sign without digits: '" + text.subSequence(from, to) + "'");
    }
    long value = 0;
    int fraction = -1; // digits seen after the point, -1 before the point
    boolean digits = false;
    for (; i < to; i++) {
      c = text.charAt(i);
      if (c == '.') {
        if (fraction >= 0) throw new IllegalArgumentException("two decimal points: '" + text.subSequence(from, to) + "'");
        fraction = 0;
        continue;
      }
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("not a decimal number: '" + text.subSequence(from, to) + "'");
      }
      digits = true;
      int d = c - '0';
      if (fraction >= 0) {
        if (fraction == scale) {
          if (d != 0) {
            throw new IllegalArgumentException(
                "more than " + scale + " decimals: '" + text.subSequence(from, to) + "'");
          }
          continue;
        }
        fraction++;
      }
      if (value > (Long.MAX_VALUE - d) / 10) {
        throw new IllegalArgumentException("number out of range: '" + text.subSequence(from, to) + "'");
      }
      value = value * 10 + d;
    }
    if (!digits) throw new IllegalArgumentException("not a decimal number: '" + text.subSequence(from, to) + "'");
    int missing = scale - Math.max(fraction, 0);
    if (missing > 0) {
      long mul = POW10[missing];
      if (value > Long.MAX_VALUE / mul) {
        throw new IllegalArgumentException("number out of range: '" + text.subSequence(from, to) + "'");
      }
      value *= mul;
    }
    return negative ? -value : value;
  }

  /** Number of decimals written in {@code text} (0 for an integer); used to infer a scale. */
  public static int decimalsOf(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        int end = text.length();
        while (end > i + 1 && text.charAt(end - 1) == '0') end--;
        return end - i - 1;
      }
    }
    return 0;
  }

  /** Exact decimal text with exactly {@code scale} decimals ({@code 250005, 2 -> "2500.05"}). */
  public static String format(long value, int scale) {
    StringBuilder sb = new StringBuilder(24);
    appendTo(sb, value, scale);
    return sb.toString();
  }

  /** Exact decimal text with trailing fractional zeros removed ({@code 250000, 2 -> "2500"}). */
  public static String formatPlain(long value, int scale) {
    StringBuilder sb = new StringBuilder(24);
    appendTo(sb, value, scale);
    if (scale > 0) {
      int end = sb.length();
      while (sb.charAt(end - 1) == '0') end--;
      if (sb.charAt(end - 1) == '.') end--;
      sb.setLength(end);
    }
    return sb.toString();
  }

  /** Appends the exact decimal text of {@code value} at {@code scale}. */
  public static void appendTo(StringBuilder sb, long value, int scale) {
    if (value == Long.MIN_VALUE) {
      sb.append(BigDecimal.valueOf(value, scale).toPlainString());
      return;
    }
    if (value < 0) {
      sb.append('-');
      value = -value;
    }
    if (scale == 0) {
      sb.append(value);
      return;
    }
    long p = POW10[scale];
    sb.append(value / p).append('.');
    String frac = Long.toString(value % p);
    for (int i = frac.length(); i < scale; i++) sb.append('0');
    sb.append(frac);
  }

  /** The value as an exact {@link BigDecimal} (for JSON rendering; allocates). */
  public static BigDecimal toBigDecimal(long value, int scale) {
    return BigDecimal.valueOf(value, scale);
  }

  /** Rescales {@code value} from scale {@code from} to scale {@code to}; refuses lossy down-scaling. */
  public static long rescale(long value, int from, int to) {
    if (from == to) return value;
    if (to > from) return Math.multiplyExact(value, POW10[to - from]);
    long p = POW10[from - to];
    if (value % p != 0) throw new IllegalArgumentException("cannot rescale " + format(value, from) + " to " + to + " decimals");
    return value / p;
  }
}
