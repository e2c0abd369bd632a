package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.util.Objects;

/**
 * An aggregated (L2, market-by-price) book: price level → size per side, from a snapshot and incremental updates.
 *
 * <h2>Updates</h2>
 * {@link #set} puts a level's absolute size (depth feeds: Binance {@code depthUpdate}, Kite depth), size 0 removing
 * it; {@link #add} changes a level by a signed amount (level-by-level replays such as LOBSTER's). Neither checks
 * crossing, because a batch may pass through crossed states: call {@link #endDelta()} (or {@link #checkCrossing()})
 * once the batch is applied.
 *
 * <h2>Sync rule (snapshot + deltas with update ids)</h2>
 * With {@link SyncRule#SPOT} or {@link SyncRule#FUTURES} the book starts {@link #needsSnapshot() waiting for a
 * snapshot}. Load one with {@link #beginSnapshot(long)}, {@link #set} per level, {@link #endSnapshot()}. Then open
 * each delta with {@link #beginDelta(long, long, long)} and apply its levels only when it answers
 * {@link BookResult#OK}:
 * <ul>
 *   <li>{@link SyncRule#SPOT} (Binance spot): a delta whose final id {@code u <= lastUpdateId} is {@link
 *       BookResult#STALE}; the first applied one must straddle the snapshot, {@code U <= lastUpdateId + 1 <= u}; from
 *       then on each must continue the last, {@code U == previous u + 1}.
 *   <li>{@link SyncRule#FUTURES} (Binance USD-M/COIN-M): {@code u < lastUpdateId} is stale; the first applied one
 *       has {@code U <= lastUpdateId <= u}; from then on {@code pu == previous u}.
 *   <li>Anything else is a {@link BookResult#SEQUENCE_GAP}: reported, and every later delta answers
 *       {@link BookResult#NOT_SYNCED} until the next snapshot. After the sequence is live, a delta entirely at or
 *       before the last applied id (a redelivery) is {@link BookResult#STALE}.
 * </ul>
 * With {@link SyncRule#NONE} there are no ids: the book is live from the start (a simulator, an offline replay).
 *
 * <h2>Integrity</h2>
 * A negative size, a decrease below zero or at a missing level is refused; a crossed or locked book after
 * {@link #endDelta()}/{@link #endSnapshot()} is applied; both are integrity events (see {@link BookResult}) and flag
 * the book until the next snapshot.
 *
 * <p>Cost: best bid/ask O(1), top N O(N), an update O(log levels) to find the level plus a move of the levels better
 * than it when a level appears or disappears. Allocation: none per update; a side's arrays double when it holds more
 * levels than ever before. Not thread-safe: one owner feeds it.
 */
public final class L2Book extends AbstractBook {
  /** How deltas' update ids are checked. */
  public enum SyncRule {
    /** No update ids: every delta is applied. */
    NONE,
    /** Binance spot: {@code U}/{@code u} contiguity. */
    SPOT,
    /** Binance USD-M and COIN-M futures: {@code pu} chaining. */
    FUTURES
  }

  private static final int AWAITING_SNAPSHOT = 0;
  private static final int AWAITING_FIRST = 1;
  private static final int LIVE = 2;

  private final SyncRule rule;
  private int sync;
  private long lastUpdateId;

  /**
   * @param initialLevels levels per side the arrays hold before they grow
   * @param listener told of every integrity event
   */
  public L2Book(SyncRule rule, int initialLevels, BookIntegrityListener listener) {
    super(initialLevels, listener);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.sync = rule == SyncRule.NONE ? LIVE : AWAITING_SNAPSHOT;
  }

  /** Without update ids, 64 levels per side before growing, integrity events only counted. */
  public L2Book() {
    this(SyncRule.NONE, 64, BookIntegrityListener.IGNORE);
  }

  public SyncRule syncRule() {
    return rule;
  }

  /**
   * Sets the size at {@code price} on {@code side}: a positive size creates or replaces the level, 0 removes it (a
   * missing level stays missing). Does not check crossing.
   *
   * @return {@link BookResult#OK}, or {@link BookResult#NEGATIVE_SIZE} (refused) for a negative size
   */
  public BookResult set(Side side, long price, long size) {
    if (size < 0) return violation(BookResult.NEGATIVE_SIZE, price);
    side(side).set(price, size);
    return BookResult.OK;
  }

  /**
   * Adds {@code delta} (any sign) to the size at {@code price} on {@code side}; a level reaching 0 is removed. Does
   * not check crossing.
   *
   * @return {@link BookResult#OK}; {@link BookResult#NEGATIVE_SIZE} when the level would go below zero (or past
   *     {@code Long.MAX_VALUE}),
   *     {@link BookResult#UNKNOWN_LEVEL} for a decrease where there is no level (both refused)
   */
  public BookResult add(Side side, long price, long delta) {
    long r = side(side).add(price, delta);
    if (r >= 0) return BookResult.OK;
    return violation(r == PriceLevels.NO_LEVEL ? BookResult.UNKNOWN_LEVEL : BookResult.NEGATIVE_SIZE, price);
  }

  /** Keeps only the best {@code levels} levels per side (a level-N view, e.g. LOBSTER's). */
  public void truncate(int levels) {
    if (levels < 0) throw new IllegalArgumentException("levels must not be negative: " + levels);
    bids.truncate(levels);
    asks.truncate(levels);
  }

  /**
   * Starts loading a snapshot: removes every level and clears the integrity flag; follow with {@link #set} per level
   * and {@link #endSnapshot()}.
   *
   * @param lastUpdateId the snapshot's update id (ignored with {@link SyncRule#NONE})
   */
  public void beginSnapshot(long lastUpdateId) {
    bids.clear();
    asks.clear();
    stale = false;
    this.lastUpdateId = lastUpdateId;
    sync = rule == SyncRule.NONE ? LIVE : AWAITING_FIRST;
  }

  /** Ends a snapshot: {@link BookResult#OK}, or a crossed/locked snapshot (reported). */
  public BookResult endSnapshot() {
    return checkCrossing();
  }

  /**
   * Opens a delta covering update ids {@code [firstId, finalId]}; apply its levels only when the answer is
   * {@link BookResult#OK}, then call {@link #endDelta()}. See the class documentation for the rule.
   *
   * @param previousFinalId the delta's {@code pu} ({@link SyncRule#FUTURES}); ignored otherwise
   * @return {@link BookResult#OK}, {@link BookResult#STALE} (drop it), {@link BookResult#NOT_SYNCED} (buffer it for
   *     the resync) or {@link BookResult#SEQUENCE_GAP} (reported; resync)
   */
  public BookResult beginDelta(long firstId, long finalId, long previousFinalId) {
    if (rule == SyncRule.NONE) return BookResult.OK;
    if (sync == AWAITING_SNAPSHOT) return BookResult.NOT_SYNCED;
    boolean spot = rule == SyncRule.SPOT;
    if (sync == AWAITING_FIRST) {
      if (spot ? finalId <= lastUpdateId : finalId < lastUpdateId) return BookResult.STALE;
      if (firstId <= finalId && (spot ? firstId <= lastUpdateId + 1 : firstId <= lastUpdateId)) {
        sync = LIVE;
        lastUpdateId = finalId;
        return BookResult.OK;
      }
      return gap(finalId);
    }
    if (firstId <= finalId && (spot ? firstId == lastUpdateId + 1 : previousFinalId == lastUpdateId)) {
      lastUpdateId = finalId;
      return BookResult.OK;
    }
    if (finalId <= lastUpdateId) return BookResult.STALE;
    return gap(finalId);
  }

  /** Closes a delta: {@link BookResult#OK}, or a crossed/locked book (reported; the delta stays applied). */
  public BookResult endDelta() {
    return checkCrossing();
  }

  private BookResult gap(long finalId) {
    sync = AWAITING_SNAPSHOT;
    return violation(BookResult.SEQUENCE_GAP, finalId);
  }

  /**
   * After {@link #beginSnapshot} of a state that was already in sync (a restored {@link LiveBook} state): the next
   * delta must continue {@code lastUpdateId} as a live book's would, not straddle it.
   */
  void markSynced() {
    if (rule != SyncRule.NONE) sync = LIVE;
  }

  /** The snapshot's update id, then the final id of the last applied delta (0 before any snapshot). */
  public long lastUpdateId() {
    return lastUpdateId;
  }

  /** True once a delta continuing the snapshot has been applied (always true with {@link SyncRule#NONE}). */
  public boolean synced() {
    return sync == LIVE;
  }

  /** Also true while a sync rule still waits for its snapshot (at the start or after a gap). */
  @Override
  public boolean needsSnapshot() {
    return stale || sync == AWAITING_SNAPSHOT;
  }

  /** Checks the levels' invariants (sorted, sizes positive); throws {@link IllegalStateException}. For tests. */
  public void validateInternalState() {
    bids.validate("bids");
    asks.validate("asks");
  }
}
