package io.tickloom.protocol.indicators;

/**
 * {@code MACD_f_s_sig}: outputs {@code macd = EMA_f(close) - EMA_s(close)}, {@code signal = EMA_sig(macd)},
 * {@code hist = macd - signal}, TA-Lib DEFAULT ({@code TA_MACD}):
 * <ul>
 *   <li>the slow EMA is seeded at bar {@code s - 1} with the mean of closes {@code 0 .. s-1};
 *   <li>the fast EMA starts where the slow one starts: seeded at bar {@code s - 1} with the mean of the
 *       {@code f} closes {@code s-f .. s-1} (12/26: closes 14..25), not at bar {@code f - 1};
 *   <li>the signal EMA is seeded at bar {@code s + sig - 2} with the mean of the first {@code sig} macd values;
 *   <li>all three outputs start at bar {@code s + sig - 2} (12/26/9: bar 33).
 * </ul>
 * Every EMA uses {@code k = 2 / (n + 1)}. Requires {@code f < s}. (ta4j seeds all three EMAs with their first
 * input at bar 0 and outputs from bar 0.)
 */
public final class Macd extends AbstractIndicator {
  /** Output indexes. */
  public static final int MACD = 0;
  public static final int SIGNAL = 1;
  public static final int HIST = 2;

  private final int fast;
  private final int slow;
  private final int signal;
  private final double kFast;
  private final double kSlow;
  private final double kSignal;

  private double fastSum;
  private double slowSum;
  private double signalSum;
  private double fastEma = Double.NaN;
  private double slowEma = Double.NaN;
  private double signalEma = Double.NaN;

  /** Periods 1..{@value Indicators#MAX_PERIOD} with {@code fast < slow}. */
  public Macd(int fast, int slow, int signal) {
    super(name(fast, slow, signal), slow + signal - 2, "macd", "signal", "hist");
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    this.kFast = 2.0 / (fast + 1);
    this.kSlow = 2.0 / (slow + 1);
    this.kSignal = 2.0 / (signal + 1);
  }

  private static String name(int fast, int slow, int signal) {
    Indicators.checkPeriod("MACD fast period", fast);
    Indicators.checkPeriod("MACD slow period", slow);
    Indicators.checkPeriod("MACD signal period", signal);
    if (fast >= slow) {
      throw new IllegalArgumentException("MACD fast period must be below the slow period: " + fast + " >= " + slow);
    }
    return "MACD_" + fast + '_' + slow + '_' + signal;
  }

  public int fast() {
    return fast;
  }

  public int slow() {
    return slow;
  }

  public int signal() {
    return signal;
  }

  @Override
  void step(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      long index, double[] dst, int off, boolean commit) {
    double fs = fastSum;
    double ss = slowSum;
    double gs = signalSum;
    double fe = fastEma;
    double se = slowEma;
    double ge = signalEma;
    double macd = Double.NaN;
    double sig = Double.NaN;
    double hist = Double.NaN;
    long seed = slow - 1; // bar where both price EMAs get their first value
    if (index < seed) {
      ss += close;
      if (index >= slow - fast) fs += close;
    } else {
      if (index == seed) {
        fe = (fs + close) / fast;
        se = (ss + close) / slow;
      } else {
        fe = ema(fe, close, kFast);
        se = ema(se, close, kSlow);
      }
      double m = fe - se;
      long j = index - seed; // 0-based index of m in the macd series
      if (j < signal - 1) {
        gs += m;
      } else {
        ge = j == signal - 1 ? (gs + m) / signal : ema(ge, m, kSignal);
        macd = m;
        sig = ge;
        hist = m - ge;
      }
    }
    dst[off + MACD] = macd;
    dst[off + SIGNAL] = sig;
    dst[off + HIST] = hist;
    if (commit) {
      fastSum = fs;
      slowSum = ss;
      signalSum = gs;
      fastEma = fe;
      slowEma = se;
      signalEma = ge;
    }
  }

  @Override
  void clearState() {
    fastSum = 0;
    slowSum = 0;
    signalSum = 0;
    fastEma = Double.NaN;
    slowEma = Double.NaN;
    signalEma = Double.NaN;
  }

  @Override
  void copyStateFrom(AbstractIndicator other) {
    Macd o = (Macd) other;
    fastSum = o.fastSum;
    slowSum = o.slowSum;
    signalSum = o.signalSum;
    fastEma = o.fastEma;
    slowEma = o.slowEma;
    signalEma = o.signalEma;
  }

  @Override
  void writeOwn(java.io.DataOutput out) throws java.io.IOException {
    out.writeDouble(fastSum);
    out.writeDouble(slowSum);
    out.writeDouble(signalSum);
    out.writeDouble(fastEma);
    out.writeDouble(slowEma);
    out.writeDouble(signalEma);
  }

  @Override
  void readOwn(java.io.DataInput in) throws java.io.IOException {
    fastSum = in.readDouble();
    slowSum = in.readDouble();
    signalSum = in.readDouble();
    fastEma = in.readDouble();
    slowEma = in.readDouble();
    signalEma = in.readDouble();
  }

  @Override
  AbstractIndicator newInstance() {
    return new Macd(fast, slow, signal);
  }
}
