package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickloom.protocol.Side;
import java.util.Map;
import java.util.TreeMap;

/** Full-state comparison of a fast book with a reference's level maps, for the differential tests. */
final class BookStates {
  private BookStates() {}

  static void assertSameState(String step, OrderBook fast, TreeMap<Long, Long> bids, TreeMap<Long, Long> asks,
      Map<BookResult, Long> events, boolean needsSnapshot) {
    assertSide(step, "bids", fast, Side.BUY, bids);
    assertSide(step, "asks", fast, Side.SELL, asks);
    long bestBid = bids.isEmpty() ? OrderBook.NO_PRICE : bids.firstKey();
    long bestAsk = asks.isEmpty() ? OrderBook.NO_PRICE : asks.firstKey();
    assertEquals(bestBid, fast.bestBidPrice(), step);
    assertEquals(bestAsk, fast.bestAskPrice(), step);
    assertEquals(bids.isEmpty() ? 0 : bids.firstEntry().getValue(), fast.bestBidSize(), step);
    assertEquals(asks.isEmpty() ? 0 : asks.firstEntry().getValue(), fast.bestAskSize(), step);
    long spread = bids.isEmpty() || asks.isEmpty() ? OrderBook.NO_PRICE : bestAsk - bestBid;
    assertEquals(spread, fast.spread(), step);
    long bid5 = depth(bids);
    long ask5 = depth(asks);
    assertEquals(bid5, fast.depth(Side.BUY, 5), step);
    assertEquals(ask5, fast.depth(Side.SELL, 5), step);
    double imbalance = bid5 + (double) ask5 == 0 ? Double.NaN : (bid5 - (double) ask5) / (bid5 + (double) ask5);
    assertEquals(imbalance, fast.imbalance(5), 1e-12, step);
    if (!bids.isEmpty() && !asks.isEmpty()) {
      double qb = bids.firstEntry().getValue();
      double qa = asks.firstEntry().getValue();
      double mid = (bestBid + (double) bestAsk) / 2.0;
      assertEquals(mid, fast.mid(), 1e-9 * Math.max(1, Math.abs(mid)), step);
      double micro = (bestBid * qa + bestAsk * qb) / (qa + qb);
      assertEquals(micro, fast.microprice(), 1e-9 * Math.max(1, Math.abs(micro)), step);
    }
    long total = 0;
    for (BookResult r : BookResult.values()) {
      long expected = events.getOrDefault(r, 0L);
      total += expected;
      assertEquals(expected, fast.integrityEvents(r), step + ": events " + r);
    }
    assertEquals(total, fast.integrityEvents(), step);
    assertEquals(needsSnapshot, fast.needsSnapshot(), step + ": needsSnapshot");
  }

  /** Sum of the top 5 sizes, saturated at Long.MAX_VALUE as {@link OrderBook#depth} documents. */
  private static long depth(TreeMap<Long, Long> side) {
    java.math.BigInteger sum = java.math.BigInteger.ZERO;
    for (long size : side.values().stream().limit(5).toList()) sum = sum.add(java.math.BigInteger.valueOf(size));
    return sum.min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
  }

  private static void assertSide(String step, String name, OrderBook fast, Side side, TreeMap<Long, Long> expected) {
    if (fast.levels(side) != expected.size()) {
      fail(step + ": " + name + " have " + fast.levels(side) + " levels, reference " + expected.size() + ": "
          + ReferenceL2Book.levels(expected));
    }
    int i = 0;
    for (Map.Entry<Long, Long> e : expected.entrySet()) {
      if (fast.price(side, i) != e.getKey() || fast.size(side, i) != e.getValue()) {
        fail(step + ": " + name + " level " + i + " is " + fast.price(side, i) + "x" + fast.size(side, i)
            + ", reference " + e.getKey() + "x" + e.getValue() + " in " + ReferenceL2Book.levels(expected));
      }
      if (fast.sizeAt(side, e.getKey()) != e.getValue()) fail(step + ": sizeAt " + e.getKey());
      i++;
    }
  }
}
