package io.tickloom.protocol.indicators;

/**
 * {@code RSI_n}: Wilder's relative strength index of closes, TA-Lib DEFAULT. With {@code gain = max(Δclose, 0)}
 * and {@code loss = max(-Δclose, 0)} from bar 1 on, the first averages (bar {@code n}) are the plain means of the
 * first {@code n} gains and losses; then {@code avg = (avg·(n - 1) + x) / n}. {@code RSI = 100·avgGain /
 * (avgGain + avgLoss)}, and 0 when both averages are 0 (a flat market), as TA-Lib and ta4j.
 * First output at bar {@code n}. (ta4j seeds both averages with 0 at bar 0 and outputs from bar 0; TA-Lib's
 * METASTOCK mode adds a value at bar {@code n - 1}.)
 */
public final class Rsi extends AbstractIndicator {
  private final int period;
  private double prevClose = Double.NaN;
  /** Sums of gains/losses during warm-up, Wilder averages afterwards. */
  private double gain;
  private double loss;

  /** @param period n, 1..{@value Indicators#MAX_PERIOD} */
  public Rsi(int period) {
    super("RSI_" + Indicators.checkPeriod("RSI period", period), period);
    this.period = period;
  }

  public int period() {
    return period;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    double g = gain;
    double l = loss;
    double out = Double.NaN;
    if (index > 0) {
      double d = close - prevClose;
      double up = d > 0 ? d : 0;
      double down = d < 0 ? -d : 0;
      if (index < period) {
        g += up;
        l += down;
      } else if (index == period) {
        g = (g + up) / period;
        l = (l + down) / period;
        out = rsi(g, l);
      } else {
        g = wilder(g, up, period);
        l = wilder(l, down, period);
        out = rsi(g, l);
      }
    }
    dst[off] = out;
    if (commit) {
      prevClose = close;
      gain = g;
      loss = l;
    }
  }

  private static double rsi(double avgGain, double avgLoss) {
    double total = avgGain + avgLoss;
    return total == 0 ? 0 : 100 * (avgGain / total);
  }

  @Override
  void clearState() {
    prevClose = Double.NaN;
    gain = 0;
    loss = 0;
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    Rsi o = (Rsi) other;
    prevClose = o.prevClose;
    gain = o.gain;
    loss = o.loss;
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    out.writeDouble(prevClose);
    out.writeDouble(gain);
    out.writeDouble(loss);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    prevClose = in.readDouble();
    gain = in.readDouble();
    loss = in.readDouble();
  }

  @Override
  AbstractIndicator newInstance() {
    return new Rsi(period);
  }
}
