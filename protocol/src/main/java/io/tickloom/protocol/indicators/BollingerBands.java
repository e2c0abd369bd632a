package io.tickloom.protocol.indicators;

import java.math.BigDecimal;

/**
 * {@code BB_n_k}: Bollinger bands of closes, TA-Lib {@code BBANDS} with an SMA middle band (matype SMA) and
 * {@code nbdevup = nbdevdn = k}: {@code middle = SMA_n}, {@code upper/lower = middle ± k·σ} with σ the
 * <b>population</b> standard deviation (÷ n) of the same {@code n} closes. First output at bar {@code n - 1}.
 * The middle band is bit-identical to {@link Sma} of the same {@code n}. ta4j 0.17's {@code StandardDeviationIndicator}
 * is also the population one (it outputs from bar 0 over the available closes). σ is computed without the
 * cancellation of {@code Σx²/n - mean²}; see {@link SlidingWindow}.
 */
public final class BollingerBands extends AbstractIndicator {
  /** Output indexes. */
  public static final int MIDDLE = 0;
  public static final int UPPER = 1;
  public static final int LOWER = 2;

  /** Largest accepted multiplier. */
  public static final double MAX_K = 100;

  private final int period;
  private final double k;
  private final SlidingWindow window;

  /**
   * @param period n, 1..{@value Indicators#MAX_PERIOD}
   * @param k band width in standard deviations, {@code 0 < k <= 100}
   */
  public BollingerBands(int period, double k) {
    super(name(period, k), period - 1, "middle", "upper", "lower");
    this.period = period;
    this.k = k;
    this.window = new SlidingWindow(period, true);
  }

  private static String name(int period, double k) {
    Indicators.checkPeriod("BB period", period);
    if (!(k > 0 && k <= MAX_K)) throw new IllegalArgumentException("BB multiplier must be in (0, " + MAX_K + "]: " + k);
    return "BB_" + period + '_' + BigDecimal.valueOf(k).stripTrailingZeros().toPlainString();
  }

  public int period() {
    return period;
  }

  public double k() {
    return k;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    if (window.next(close)) {
      double mid = window.nextMean();
      double width = k * Math.sqrt(window.nextM2() / period);
      dst[off + MIDDLE] = mid;
      dst[off + UPPER] = mid + width;
      dst[off + LOWER] = mid - width;
    } else {
      dst[off + MIDDLE] = Double.NaN;
      dst[off + UPPER] = Double.NaN;
      dst[off + LOWER] = Double.NaN;
    }
    if (commit) window.commit(close);
  }

  @Override
  void clearState() {
    window.clear();
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    window.copyFrom(((BollingerBands) other).window);
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    window.write(out);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    window.read(in);
  }

  @Override
  AbstractIndicator newInstance() {
    return new BollingerBands(period, k);
  }
}
