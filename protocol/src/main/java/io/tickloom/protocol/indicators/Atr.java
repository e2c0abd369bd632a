package io.tickloom.protocol.indicators;

/**
 * {@code ATR_n}: Wilder's average true range, TA-Lib DEFAULT. {@code TR = max(high - low, |high - prevClose|,
 * |low - prevClose|)} from bar 1 on (bar 0 has no previous close and no TR); the first ATR, at bar {@code n}, is
 * the plain mean of {@code TR[1..n]}; then {@code atr = (atr·(n - 1) + TR) / n}. First output at bar {@code n}.
 * (ta4j takes {@code TR[0] = high - low} and seeds the average with it at bar 0.)
 */
public final class Atr extends AbstractIndicator {
  private final int period;
  private double prevClose = Double.NaN;
  /** Sum of TR during warm-up, the ATR afterwards. */
  private double atr;

  /** @param period n, 1..{@value Indicators#MAX_PERIOD} */
  public Atr(int period) {
    super("ATR_" + Indicators.checkPeriod("ATR period", period), period);
    this.period = period;
  }

  public int period() {
    return period;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    double a = atr;
    double out = Double.NaN;
    if (index > 0) {
      double tr = Math.max(high - low, Math.max(Math.abs(high - prevClose), Math.abs(low - prevClose)));
      if (index < period) {
        a += tr;
      } else if (index == period) {
        a = (a + tr) / period;
        out = a;
      } else {
        a = wilder(a, tr, period);
        out = a;
      }
    }
    dst[off] = out;
    if (commit) {
      prevClose = close;
      atr = a;
    }
  }

  @Override
  void clearState() {
    prevClose = Double.NaN;
    atr = 0;
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    Atr o = (Atr) other;
    prevClose = o.prevClose;
    atr = o.atr;
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    out.writeDouble(prevClose);
    out.writeDouble(atr);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    prevClose = in.readDouble();
    atr = in.readDouble();
  }

  @Override
  AbstractIndicator newInstance() {
    return new Atr(period);
  }
}
