package io.tickloom.protocol.indicators;

/**
 * {@code VWAP}: the session's volume-weighted average price, from the first bar of the session:
 * {@code Σ(p·volume) / Σvolume} over the session's final bars up to and including this one, where {@code p} is the
 * bar's own VWAP when given (not NaN) and else its typical price {@code (high + low + close) / 3}.
 *
 * <ul>
 *   <li>The sums restart at a bar flagged {@code sessionStart} and at the first bar after construction or
 *       {@link #reset()}. Whoever feeds the kernel decides what a session is (the venue's session calendar).
 *   <li>While the session has no volume yet (index instruments, flat carried bars), the value is the last bar's
 *       {@code p}.
 *   <li>With bars from {@link io.tickloom.protocol.bars.BarAggregator}, whose vwap is rounded to the price scale,
 *       the result can differ from a tick-level session VWAP by up to half a price unit (rounding per bar).
 *   <li>Neither TA-Lib nor ta4j has a session VWAP (ta4j's {@code VWAPIndicator} is a rolling window of typical
 *       prices over the last {@code n} bars); within one session and with no bar vwap it equals ta4j's
 *       {@code VWAPIndicator} whose window is the session so far.
 * </ul>
 */
public final class SessionVwap extends AbstractIndicator {
  private double priceVolume;
  private double volume;

  public SessionVwap() {
    super("VWAP", 0);
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    double p = Double.isNaN(vwap) ? (high + low + close) / 3 : vwap;
    boolean fresh = sessionStart || index == 0;
    double pv = (fresh ? 0 : priceVolume) + p * volume;
    double v = (fresh ? 0 : this.volume) + volume;
    dst[off] = v > 0 ? pv / v : p;
    if (commit) {
      priceVolume = pv;
      this.volume = v;
    }
  }

  @Override
  void clearState() {
    priceVolume = 0;
    volume = 0;
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    SessionVwap o = (SessionVwap) other;
    priceVolume = o.priceVolume;
    volume = o.volume;
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    out.writeDouble(priceVolume);
    out.writeDouble(volume);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    priceVolume = in.readDouble();
    volume = in.readDouble();
  }

  @Override
  AbstractIndicator newInstance() {
    return new SessionVwap();
  }
}
