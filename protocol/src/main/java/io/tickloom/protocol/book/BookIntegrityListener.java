package io.tickloom.protocol.book;

/**
 * Receives a book's integrity events as they happen (the owner marks its instrument STALE, logs, counts), on the
 * thread that fed the book. Called once per violating update, before the update method returns.
 */
@FunctionalInterface
public interface BookIntegrityListener {
  /** A listener that ignores events (the book still counts them). */
  BookIntegrityListener IGNORE = (kind, reference) -> {};

  /**
   * @param kind the violation, {@link BookResult#isViolation()} is true
   * @param reference what it concerns: the order id (order violations), the final update id (sequence gaps), the
   *     price (level violations) or the best bid price (crossed/locked)
   */
  void onIntegrityEvent(BookResult kind, long reference);
}
