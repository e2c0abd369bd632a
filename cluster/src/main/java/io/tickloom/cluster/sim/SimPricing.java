package io.tickloom.cluster.sim;

/**
 * Fair values the simulator moves derivatives around: futures at index plus carry, options by the Bachelier
 * (normal) model on the index. Doubles are used only inside the model; every result is a fixed-point price
 * rounded to the tick and at least one tick. {@link StrictMath} keeps results identical on every JVM, so a
 * seed replays the same prices anywhere.
 */
final class SimPricing {
  private SimPricing() {}

  /** Annual cost of carry of NIFTY futures over the index. */
  static final double CARRY = 0.065;
  /** Annual volatility of the index (NIFTY's implied volatility is typically 10–16%). */
  static final double VOLATILITY = 0.13;

  /** Years to expiry; half a day is added so expiry day still has some time value. */
  static double years(int daysToExpiry) {
    return (daysToExpiry + 0.5) / 365.0;
  }

  static long future(long index, double years, long tick) {
    return toTick(index * (1.0 + CARRY * years), tick);
  }

  static long option(long index, long strike, double years, boolean call, long tick) {
    double s = index;
    double k = strike;
    double sd = s * VOLATILITY * StrictMath.sqrt(years);
    double d = (s - k) / sd;
    double callValue = (s - k) * normalCdf(d) + sd * normalPdf(d);
    return toTick(call ? callValue : callValue - (s - k), tick);
  }

  /** Nearest multiple of {@code tick}, at least one tick. */
  static long toTick(double value, long tick) {
    long ticks = Math.round(value / tick);
    return Math.max(1, ticks) * tick;
  }

  static double normalPdf(double x) {
    return StrictMath.exp(-0.5 * x * x) * 0.3989422804014327;
  }

  /** Abramowitz–Stegun 7.1.26 (absolute error below 1e-7), plenty for a simulator. */
  static double normalCdf(double x) {
    double z = Math.abs(x) / 1.4142135623730951;
    double t = 1.0 / (1.0 + 0.3275911 * z);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1.0 - poly * StrictMath.exp(-z * z);
    return x >= 0 ? 0.5 * (1.0 + erf) : 0.5 * (1.0 - erf);
  }
}
