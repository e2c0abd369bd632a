package io.tickloom.cluster.oms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission control of the OMS's client commands ({@code tickloom.oms.max-in-flight}): at most {@code limit} commands
 * asked and not yet answered; one more fails at once with {@link Overloaded}, having asked nothing. Under a burst the
 * journal thus sees a bounded queue and answers within the ask timeout, instead of every ask timing out and the
 * journal's circuit breaker opening. Thread-safe, lock-free.
 */
public final class InFlightLimit {
  /** A command refused because {@code limit} commands are in flight: nothing was asked or journaled; retry later. */
  public static final class Overloaded extends RuntimeException {
    Overloaded(int limit) {
      super("the OMS has " + limit + " commands in flight (tickloom.oms.max-in-flight); retry later", null, false, false);
    }
  }

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** @param limit commands in flight at most; 0 or less: no limit */
  InFlightLimit(int limit) {
    this.limit = limit;
  }

  /** {@code command}'s stage if admitted (counted until it completes), else a stage failed with {@link Overloaded}. */
  <T> CompletionStage<T> run(Supplier<CompletionStage<T>> command) {
    if (limit <= 0) return command.get();
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new Overloaded(limit));
    }
    CompletionStage<T> asked;
    try {
      asked = command.get();
    } catch (RuntimeException | Error e) {
      inFlight.decrementAndGet();
      throw e;
    }
    return asked.whenComplete((value, error) -> inFlight.decrementAndGet());
  }

  int inFlight() {
    return inFlight.get();
  }
}
