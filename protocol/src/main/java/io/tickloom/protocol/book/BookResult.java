package io.tickloom.protocol.book;

/**
 * What a book made of one update. Constants with {@link #isViolation()} are book-integrity events: the book counts
 * them per kind, reports them to its {@link BookIntegrityListener} and flags itself {@link OrderBook#needsSnapshot()}
 * until a fresh snapshot is loaded. Returned as an enum constant, so reporting allocates nothing.
 *
 * <p>Whether the update was applied: a violation found <em>after</em> applying ({@link #CROSSED}, {@link #LOCKED})
 * leaves the update in the book, as the feed said it; every other violation refuses the update and changes nothing.
 */
public enum BookResult {
  /** Applied. */
  OK(false),
  /** An L2 delta the book already holds (final update id not after the snapshot's or the last applied one): dropped, as the sync rule says. */
  STALE(false),
  /** An L2 delta while the book waits for a snapshot (never synced, or after a gap): not applied; buffer it for the resync. */
  NOT_SYNCED(false),
  /** An L2 delta that does not continue the sequence (the first after a snapshot does not straddle it, or ids skip): refused, resync required. */
  SEQUENCE_GAP(true),
  /** Best bid above best ask after the update (applied). */
  CROSSED(true),
  /** Best bid equal to best ask after the update (applied). */
  LOCKED(true),
  /** A cancel, delete or execution of an order id the book does not hold: refused. */
  UNKNOWN_ORDER(true),
  /** An add for an order id the book already holds: refused. */
  DUPLICATE_ORDER(true),
  /**
   * A negative size, a non-positive size where a positive one is required, a level decrease below zero, or an increase
   * that would take a level's size past {@code Long.MAX_VALUE}: refused.
   */
  NEGATIVE_SIZE(true),
  /** A cancel or execution larger than the order's remaining size: refused. */
  OVER_CANCEL(true),
  /** A level decrease at a price where the book holds no level (level-by-level replays such as LOBSTER's): refused. */
  UNKNOWN_LEVEL(true);

  private final boolean violation;

  BookResult(boolean violation) {
    this.violation = violation;
  }

  /** True for book-integrity events (counted, reported, and the book flagged as needing a snapshot). */
  public boolean isViolation() {
    return violation;
  }
}
