package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.util.Objects;

/**
 * What {@link L2Book} and {@link L3Book} share: the two sides' levels, the integrity counters and flag, the listener,
 * and the crossed/locked check. Package-private: the books are the API.
 */
abstract class AbstractBook implements OrderBook {
  private static final BookResult[] RESULTS = BookResult.values();

  final PriceLevels bids;
  final PriceLevels asks;
  private final BookIntegrityListener listener;
  private final long[] events = new long[RESULTS.length];
  private long totalEvents;
  /** Set by an integrity event, cleared by a snapshot. */
  boolean stale;

  AbstractBook(int initialLevels, BookIntegrityListener listener) {
    this.bids = new PriceLevels(true, initialLevels);
    this.asks = new PriceLevels(false, initialLevels);
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  final PriceLevels side(Side side) {
    return side == Side.BUY ? bids : asks;
  }

  /** Counts and reports {@code kind}, flags the book, and returns {@code kind}. */
  final BookResult violation(BookResult kind, long reference) {
    events[kind.ordinal()]++;
    totalEvents++;
    stale = true;
    listener.onIntegrityEvent(kind, reference);
    return kind;
  }

  /**
   * {@link BookResult#CROSSED} or {@link BookResult#LOCKED} (reported) when the best bid is at or above the best ask,
   * else {@link BookResult#OK}.
   */
  public final BookResult checkCrossing() {
    if (bids.count() == 0 || asks.count() == 0) return BookResult.OK;
    long bid = bids.bestPrice();
    long ask = asks.bestPrice();
    if (bid < ask) return BookResult.OK;
    return violation(bid == ask ? BookResult.LOCKED : BookResult.CROSSED, bid);
  }

  @Override
  public final int levels(Side side) {
    return side(side).count();
  }

  @Override
  public final long price(Side side, int level) {
    return side(side).price(level);
  }

  @Override
  public final long size(Side side, int level) {
    return side(side).size(level);
  }

  @Override
  public final long sizeAt(Side side, long price) {
    return side(side).sizeAt(price);
  }

  @Override
  public final long bestBidPrice() {
    return bids.bestPrice();
  }

  @Override
  public final long bestBidSize() {
    return bids.bestSize();
  }

  @Override
  public final long bestAskPrice() {
    return asks.bestPrice();
  }

  @Override
  public final long bestAskSize() {
    return asks.bestSize();
  }

  @Override
  public final long depth(Side side, int levels) {
    return side(side).depth(levels);
  }

  @Override
  public boolean needsSnapshot() {
    return stale;
  }

  @Override
  public final long integrityEvents(BookResult kind) {
    return events[kind.ordinal()];
  }

  @Override
  public final long integrityEvents() {
    return totalEvents;
  }
}
