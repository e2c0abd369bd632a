package io.tickloom.deploy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client that acts at a pace while a scenario runs (a readiness probe, a well-behaved client beside an abusive one):
 * {@code task} runs on a thread of its own, again {@code pace} after each run ends, until {@link #close()}. A task that
 * throws is not run again; tasks record their own outcomes.
 */
final class Paced implements AutoCloseable {
  private final ScheduledExecutorService executor;

  private Paced(String name, Duration pace, Runnable task) {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(task, 0, pace.toNanos(), TimeUnit.NANOSECONDS);
  }

  static Paced every(Duration pace, String name, Runnable task) {
    return new Paced(name, pace, task);
  }

  /** Stops the pace; a run under way finishes first (at most 30 s). */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(30, TimeUnit.SECONDS);
  }
}
