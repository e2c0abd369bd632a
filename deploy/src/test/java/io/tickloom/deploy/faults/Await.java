package io.tickloom.deploy.faults;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Bounded polling: a condition checked every {@code interval} until it holds or the deadline passes. */
public final class Await {
  private Await() {}

  /** A check that may fail with an exception (an HTTP call, a query): a failure counts as "not yet". */
  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** Whether {@code check} held within {@code within}; never throws for a check that fails. */
  public static boolean within(Duration within, Duration interval, Check check) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        if (check.holds()) return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        // not yet
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      try {
        Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000L)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** As {@link #within}, throwing with {@code what} (evaluated on timeout) when the check did not hold in time. */
  public static void until(Duration within, Duration interval, Check check, Supplier<String> what) throws TimeoutException {
    if (!within(within, interval, check)) throw new TimeoutException("not within " + within + ": " + what.get());
  }

  /**
   * Holds a measurement window of {@code length} (a scenario's quiet or observation window: its length is what is
   * measured, not a wait for something to happen), running {@code sample} every {@code every} meanwhile.
   */
  public static void window(Duration length, Duration every, Runnable sample) {
    long end = System.nanoTime() + length.toNanos();
    long next = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      if (now >= end) return;
      if (now >= next) {
        sample.run();
        next += every.toNanos();
        continue;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(next, end) - now) / 1_000_000L + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
