package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;

/**
 * The read side of a limit order book, shared by {@link L2Book} (price levels from depth feeds) and {@link L3Book}
 * (order by order), and the features derived from it (SPEC §3).
 *
 * <p>Prices and sizes are {@code long} fixed-point values in the feed's units (the instrument's scales); levels are
 * occupied price levels, level 0 is the best. {@link Side#BUY} is the bid side, {@link Side#SELL} the ask side.
 * Reading the best level is O(1) and level {@code i} O(1), so the top N costs O(N). The features that are ratios
 * ({@link #mid()}, {@link #microprice()}, {@link #imbalance(int)}) are {@code double} for display and signals only;
 * nothing stored or compared uses them. No method here allocates except {@link #snapshot(int)}.
 */
public interface OrderBook {
  /** The price of a missing level (an empty side). */
  long NO_PRICE = Long.MIN_VALUE;

  /** Number of occupied levels on {@code side}. */
  int levels(Side side);

  /** Price of level {@code level} (0 = best) on {@code side}; {@code level < levels(side)}. */
  long price(Side side, int level);

  /** Size of level {@code level} (0 = best) on {@code side}; {@code level < levels(side)}. */
  long size(Side side, int level);

  /** Aggregated size at {@code price} on {@code side}, 0 when there is no level there. O(log levels). */
  long sizeAt(Side side, long price);

  /** Highest bid price, or {@link #NO_PRICE}. */
  long bestBidPrice();

  /** Size at the best bid, 0 when there is no bid. */
  long bestBidSize();

  /** Lowest ask price, or {@link #NO_PRICE}. */
  long bestAskPrice();

  /** Size at the best ask, 0 when there is no ask. */
  long bestAskSize();

  /**
   * Sum of the sizes of the top {@code levels} levels of {@code side} (all levels when it has fewer), saturated: a sum
   * beyond {@code Long.MAX_VALUE} (possible with 8-decimal quantities of low-priced coins) is {@code Long.MAX_VALUE},
   * never a wrapped negative.
   */
  long depth(Side side, int levels);

  /**
   * True after an integrity event until a fresh snapshot is loaded (and, for an L2 book with a sync rule, until the
   * first snapshot): the owner should mark the instrument STALE and resync.
   */
  boolean needsSnapshot();

  /** Integrity events of {@code kind} since the book was created. */
  long integrityEvents(BookResult kind);

  /** All integrity events since the book was created. */
  long integrityEvents();

  /** Best ask minus best bid, or {@link #NO_PRICE} when a side is empty. */
  default long spread() {
    long bid = bestBidPrice();
    long ask = bestAskPrice();
    return bid == NO_PRICE || ask == NO_PRICE ? NO_PRICE : ask - bid;
  }

  /** (best bid + best ask) / 2, NaN when a side is empty. */
  default double mid() {
    long bid = bestBidPrice();
    long ask = bestAskPrice();
    return bid == NO_PRICE || ask == NO_PRICE ? Double.NaN : (bid + (double) ask) / 2;
  }

  /**
   * Size-weighted mid: {@code (bid · askSize + ask · bidSize) / (bidSize + askSize)}, i.e. nearer the side with less
   * size (the side more likely to be taken out). NaN when a side is empty.
   */
  default double microprice() {
    long bid = bestBidPrice();
    long ask = bestAskPrice();
    if (bid == NO_PRICE || ask == NO_PRICE) return Double.NaN;
    double qb = bestBidSize();
    double qa = bestAskSize();
    return (bid * qa + ask * qb) / (qa + qb);
  }

  /**
   * Order-flow imbalance of the top {@code levels} levels: {@code (bidDepth - askDepth) / (bidDepth + askDepth)} in
   * [-1, 1], positive when bids outweigh asks; NaN when both sides are empty.
   */
  default double imbalance(int levels) {
    long b = depth(Side.BUY, levels);
    long a = depth(Side.SELL, levels);
    return a + (double) b == 0 ? Double.NaN : (b - a) / (a + (double) b); // a + b may not fit a long
  }

  /** A copy of the top {@code levels} levels per side with the features. Allocates the snapshot and its arrays. */
  default BookSnapshot snapshot(int levels) {
    int nb = Math.min(levels, levels(Side.BUY));
    int na = Math.min(levels, levels(Side.SELL));
    long[] bp = new long[nb];
    long[] bs = new long[nb];
    long[] ap = new long[na];
    long[] as = new long[na];
    for (int i = 0; i < nb; i++) {
      bp[i] = price(Side.BUY, i);
      bs[i] = size(Side.BUY, i);
    }
    for (int i = 0; i < na; i++) {
      ap[i] = price(Side.SELL, i);
      as[i] = size(Side.SELL, i);
    }
    return new BookSnapshot(bp, bs, ap, as, spread(), depth(Side.BUY, levels), depth(Side.SELL, levels), needsSnapshot());
  }
}
