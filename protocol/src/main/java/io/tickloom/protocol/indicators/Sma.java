package io.tickloom.protocol.indicators;

/**
 * {@code SMA_n}: simple moving average of the last {@code n} closes. First output at bar {@code n - 1} (TA-Lib);
 * ta4j also outputs the average of the available closes before that, which we do not.
 */
public final class Sma extends AbstractIndicator {
  private final int period;
  private final SlidingWindow window;

  /** @param period n, 1..{@value Indicators#MAX_PERIOD} */
  public Sma(int period) {
    super("SMA_" + Indicators.checkPeriod("SMA period", period), period - 1);
    this.period = period;
    this.window = new SlidingWindow(period, false);
  }

  public int period() {
    return period;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    dst[off] = window.next(close) ? window.nextMean() : Double.NaN;
    if (commit) window.commit(close);
  }

  @Override
  void clearState() {
    window.clear();
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    window.copyFrom(((Sma) other).window);
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
    return new Sma(period);
  }
}
