package io.tickloom.protocol.indicators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

/**
 * A bar series for tests: OHLCV as doubles, plus the exact decimal text they were made from (so ta4j can read the
 * same numbers as decimals), plus session flags.
 */
final class Series {
  final int size;
  final double[] open;
  final double[] high;
  final double[] low;
  final double[] close;
  final double[] volume;
  final String[][] text; // [bar][o, h, l, c, v]
  final boolean[] sessionStart;

  Series(int size) {
    this.size = size;
    open = new double[size];
    high = new double[size];
    low = new double[size];
    close = new double[size];
    volume = new double[size];
    text = new String[size][];
    sessionStart = new boolean[size];
  }

  void set(int i, String o, String h, String l, String c, String v) {
    text[i] = new String[] {o, h, l, c, v};
    open[i] = Double.parseDouble(o);
    high[i] = Double.parseDouble(h);
    low[i] = Double.parseDouble(l);
    close[i] = Double.parseDouble(c);
    volume[i] = Double.parseDouble(v);
  }

  /**
   * A seeded random walk around {@code level}: closes move by ~0.1% a bar with a weak pull back to the level,
   * high/low extend beyond open/close, volume 1..1000; prices rounded to cents, volume to 3 decimals.
   */
  static Series randomWalk(long seed, int size, double level) {
    Random r = new Random(seed);
    Series s = new Series(size);
    double prev = level;
    for (int i = 0; i < size; i++) {
      double o = prev;
      double c = o + o * 0.001 * r.nextGaussian() + (level - o) * 0.002;
      double h = Math.max(o, c) + Math.abs(r.nextGaussian()) * o * 0.0005;
      double l = Math.min(o, c) - Math.abs(r.nextGaussian()) * o * 0.0005;
      String os = cents(o);
      String cs = cents(c);
      s.set(i, os, max(cents(h), os, cs), min(cents(l), os, cs), cs,
          BigDecimal.valueOf(1 + r.nextDouble() * 999).setScale(3, RoundingMode.HALF_EVEN).toPlainString());
      prev = s.close[i];
    }
    return s;
  }

  private static String cents(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String max(String a, String b, String c) {
    BigDecimal m = new BigDecimal(a).max(new BigDecimal(b)).max(new BigDecimal(c));
    return m.toPlainString();
  }

  private static String min(String a, String b, String c) {
    BigDecimal m = new BigDecimal(a).min(new BigDecimal(b)).min(new BigDecimal(c));
    return m.toPlainString();
  }

  /** Feeds bar {@code i} as final (vwap unknown). */
  void update(Indicator ind, int i) {
    ind.update(open[i], high[i], low[i], close[i], volume[i], Double.NaN, sessionStart[i]);
  }

  /** Every output of {@code ind} after each bar: {@code [bar][output]}. */
  double[][] run(Indicator ind) {
    double[][] out = new double[size][ind.outputs().size()];
    for (int i = 0; i < size; i++) {
      update(ind, i);
      for (int j = 0; j < out[i].length; j++) out[i][j] = ind.value(j);
    }
    return out;
  }
}
