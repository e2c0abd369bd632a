package io.tickloom.cluster.book;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.protocol.book.BookResult;

/**
 * The node's order-book counters: depth messages applied by its instrument entities, and book-integrity events by
 * kind ({@code tickloom_book_integrity_total{kind="CROSSED"}}, ...). Counters are registered up front, so counting
 * allocates nothing. Thread-safe.
 */
public final class BookMetrics {
  private final Counter messages;
  private final Counter[] integrity = new Counter[BookResult.values().length];

  public BookMetrics(MeterRegistry registry) {
    messages = Counter.builder("tickloom.book.messages").description("depth messages applied to instrument books").register(registry);
    for (BookResult r : BookResult.values()) {
      if (!r.isViolation()) continue;
      integrity[r.ordinal()] = Counter.builder("tickloom.book.integrity").tag("kind", r.name())
          .description("book-integrity events (the instrument is STALE until its book's next snapshot)").register(registry);
    }
  }

  /** Counters nobody reads (tests, tools). */
  public static BookMetrics none() {
    return new BookMetrics(new SimpleMeterRegistry());
  }

  public void onMessages(int n) {
    messages.increment(n);
  }

  public void onIntegrityEvent(BookResult kind) {
    Counter c = integrity[kind.ordinal()];
    if (c != null) c.increment();
  }
}
