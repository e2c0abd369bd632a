package io.tickloom.deploy.faults;

import java.time.Instant;

/**
 * The harness's one time line: epoch nanoseconds read from {@link System#nanoTime()} anchored once to the wall clock, so
 * intervals between harness readings are monotonic while the values stay comparable with the nodes' epoch-nanosecond
 * timestamps (a simulated tick's {@code exchangeTs} is the node's wall clock; all processes share this machine's clock).
 */
public final class FaultClock {
  private FaultClock() {}

  private static final long ANCHOR_NANO_TIME = System.nanoTime();
  private static final long ANCHOR_EPOCH_NANOS;

  static {
    Instant now = Instant.now();
    ANCHOR_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Now, in epoch nanoseconds. */
  public static long now() {
    return ANCHOR_EPOCH_NANOS + (System.nanoTime() - ANCHOR_NANO_TIME);
  }

  public static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  public static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
