package io.tickloom.protocol.indicators;

/**
 * {@code EMA_n}: exponential moving average of closes, {@code k = 2 / (n + 1)}, TA-Lib DEFAULT: the first value, at
 * bar {@code n - 1}, is the simple mean of the first {@code n} closes; then {@code ema = (close - ema)·k + ema}.
 * (ta4j and TA-Lib's METASTOCK mode seed with the first close at bar 0 instead; the two converge as
 * {@code (1 - k)^bars}.)
 */
public final class Ema extends AbstractIndicator {
  private final int period;
  private final double k;
  private double seedSum;
  private double ema = Double.NaN;

  /** @param period n, 1..{@value Indicators#MAX_PERIOD} */
  public Ema(int period) {
    super("EMA_" + Indicators.checkPeriod("EMA period", period), period - 1);
    this.period = period;
    this.k = 2.0 / (period + 1);
  }

  public int period() {
    return period;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    double s = seedSum;
    double e;
    if (index < period - 1) {
      s += close;
      e = Double.NaN;
    } else if (index == period - 1) {
      s += close;
      e = s / period;
    } else {
      e = ema(ema, close, k);
    }
    dst[off] = e;
    if (commit) {
      seedSum = s;
      ema = e;
    }
  }

  @Override
  void clearState() {
    seedSum = 0;
    ema = Double.NaN;
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    Ema o = (Ema) other;
    seedSum = o.seedSum;
    ema = o.ema;
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    out.writeDouble(seedSum);
    out.writeDouble(ema);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    seedSum = in.readDouble();
    ema = in.readDouble();
  }

  @Override
  AbstractIndicator newInstance() {
    return new Ema(period);
  }
}
