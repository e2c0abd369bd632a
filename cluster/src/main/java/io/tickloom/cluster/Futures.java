package io.tickloom.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Pekko's Java futures (asks, {@code Patterns.retry}) are Scala futures behind a {@link CompletableFuture} subclass
 * that runs every callback, even {@code thenApply}, asynchronously on the common ForkJoin pool; on a machine with
 * two cores that pool has parallelism 1 and the JDK then starts a new thread per callback. {@link #plain} hands
 * the result to an ordinary {@link CompletableFuture}, whose non-async callbacks run in place.
 */
public final class Futures {
  private Futures() {}

  /** Runs a callback in the completing thread (for short, non-blocking callbacks only). */
  public static final Executor SAME_THREAD = Runnable::run;

  public static <T> CompletableFuture<T> plain(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) plain.completeExceptionally(failure);
      else plain.complete(value);
    }, SAME_THREAD);
    return plain;
  }
}
