package io.tickloom.cluster.sim;

/**
 * Rates of the simulated feed. Every fault rate of 0 turns that fault off; with all of them 0 the feed is a
 * clean, ordered, PRIMARY-only stream.
 *
 * @param ticksPerSecond trades per second across the whole universe (exchange time)
 * @param secondaryShare fraction of delivered trades the SECONDARY feed repeats 1–200 ms later (duplicates for dedupe)
 * @param gapRate fraction of trades the PRIMARY feed drops; the SECONDARY delivers them 0.1–1 s later (a gap that
 *     fills), except {@code lossShare} of them, which never come (a gap that is lost)
 * @param reorderRate fraction of PRIMARY trades delivered just after the instrument's next trade (adjacent swap)
 * @param lateRate fraction of PRIMARY trades delivered 1.5–3 s after their exchange time (revises final 1 s bars;
 *     no SECONDARY copy, so the lateness is seen)
 * @param lossShare fraction of dropped trades that no feed ever delivers
 * @param maxLagNanos when a poll finds the schedule more than this behind (machine slept, long GC), the schedule
 *     jumps to now instead of replaying the backlog as a burst; 0 never jumps (strictly deterministic)
 */
public record SimSettings(
    double ticksPerSecond,
    double secondaryShare,
    double gapRate,
    double reorderRate,
    double lateRate,
    double lossShare,
    long maxLagNanos) {

  /** 200 ticks/s, 10% secondary repeats, 0.3% gaps (10% of them lost), 0.2% swaps, 0.1% late, 5 s catch-up limit. */
  public static final SimSettings DEFAULT = new SimSettings(200, 0.1, 0.003, 0.002, 0.001, 0.1, 5_000_000_000L);

  public SimSettings {
    if (!(ticksPerSecond > 0) || Double.isInfinite(ticksPerSecond)) {
      throw new IllegalArgumentException("ticksPerSecond must be positive, got " + ticksPerSecond);
    }
    share("secondaryShare", secondaryShare);
    share("gapRate", gapRate);
    share("reorderRate", reorderRate);
    share("lateRate", lateRate);
    share("lossShare", lossShare);
    if (gapRate + reorderRate + lateRate > 1.0) {
      throw new IllegalArgumentException("gapRate + reorderRate + lateRate must not exceed 1");
    }
    if (maxLagNanos < 0) throw new IllegalArgumentException("maxLagNanos must be >= 0, got " + maxLagNanos);
  }

  /** No faults, no secondary feed: every trade once, on PRIMARY, in order. */
  public static SimSettings clean(double ticksPerSecond) {
    return new SimSettings(ticksPerSecond, 0, 0, 0, 0, 0, DEFAULT.maxLagNanos);
  }

  public SimSettings withTicksPerSecond(double tps) {
    return new SimSettings(tps, secondaryShare, gapRate, reorderRate, lateRate, lossShare, maxLagNanos);
  }

  private static void share(String name, double v) {
    if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be within [0, 1], got " + v);
  }
}
