package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class L2BookTest {
  private final List<String> events = new ArrayList<>();
  private final BookIntegrityListener listener = (kind, ref) -> events.add(kind + "@" + ref);

  private L2Book spotBookAt(long lastUpdateId) {
    L2Book b = new L2Book(L2Book.SyncRule.SPOT, 8, listener);
    b.beginSnapshot(lastUpdateId);
    b.set(Side.BUY, 100, 5);
    b.set(Side.BUY, 99, 7);
    b.set(Side.SELL, 101, 3);
    b.set(Side.SELL, 103, 4);
    assertEquals(BookResult.OK, b.endSnapshot());
    return b;
  }

  @Test
  void levelsAreOrderedBestFirstOnBothSides() {
    L2Book b = new L2Book();
    for (long p : new long[] {97, 100, 95, 99}) b.set(Side.BUY, p, p);
    for (long p : new long[] {104, 101, 108, 102}) b.set(Side.SELL, p, p);
    assertEquals(4, b.levels(Side.BUY));
    assertEquals(List.of(100L, 99L, 97L, 95L), List.of(b.price(Side.BUY, 0), b.price(Side.BUY, 1), b.price(Side.BUY, 2), b.price(Side.BUY, 3)));
    assertEquals(List.of(101L, 102L, 104L, 108L), List.of(b.price(Side.SELL, 0), b.price(Side.SELL, 1), b.price(Side.SELL, 2), b.price(Side.SELL, 3)));
    assertEquals(100, b.bestBidPrice());
    assertEquals(101, b.bestAskSize());
    assertEquals(97, b.sizeAt(Side.BUY, 97));
    assertEquals(0, b.sizeAt(Side.BUY, 98));
  }

  @Test
  void sizeZeroRemovesALevelAndAMissingLevelStaysMissing() {
    L2Book b = new L2Book();
    b.set(Side.BUY, 100, 5);
    assertEquals(BookResult.OK, b.set(Side.BUY, 100, 0));
    assertEquals(BookResult.OK, b.set(Side.BUY, 90, 0));
    assertEquals(0, b.levels(Side.BUY));
    assertEquals(OrderBook.NO_PRICE, b.bestBidPrice());
    assertEquals(0, b.bestBidSize());
  }

  @Test
  void negativeSizeIsRefusedReportedAndFlagsTheBook() {
    L2Book b = new L2Book(L2Book.SyncRule.NONE, 4, listener);
    b.set(Side.SELL, 101, 3);
    assertEquals(BookResult.NEGATIVE_SIZE, b.set(Side.SELL, 101, -1));
    assertEquals(3, b.bestAskSize());
    assertEquals(BookResult.NEGATIVE_SIZE, b.add(Side.SELL, 101, -4));
    assertEquals(BookResult.UNKNOWN_LEVEL, b.add(Side.SELL, 105, -1));
    assertEquals(3, b.bestAskSize());
    assertEquals(List.of("NEGATIVE_SIZE@101", "NEGATIVE_SIZE@101", "UNKNOWN_LEVEL@105"), events);
    assertEquals(2, b.integrityEvents(BookResult.NEGATIVE_SIZE));
    assertTrue(b.needsSnapshot());
    b.beginSnapshot(0);
    assertFalse(b.needsSnapshot());
    assertEquals(3, b.integrityEvents(), "counters survive the snapshot");
  }

  @Test
  void deltasAtOrBeforeTheSnapshotAreDroppedAsStale() {
    L2Book b = spotBookAt(1000);
    assertEquals(BookResult.STALE, b.beginDelta(990, 995, 0));
    assertEquals(BookResult.STALE, b.beginDelta(996, 1000, 0));
    assertFalse(b.synced());
    assertEquals(0, b.integrityEvents());
  }

  @Test
  void firstDeltaMustStraddleTheSnapshotThenIdsMustBeContiguous() {
    L2Book b = spotBookAt(1000);
    assertEquals(BookResult.OK, b.beginDelta(998, 1003, 0));
    b.set(Side.BUY, 100, 0);
    assertEquals(BookResult.OK, b.endDelta());
    assertTrue(b.synced());
    assertEquals(99, b.bestBidPrice());
    assertEquals(BookResult.OK, b.beginDelta(1004, 1004, 0));
    assertEquals(BookResult.STALE, b.beginDelta(1002, 1004, 0), "a redelivery");
    assertEquals(1004, b.lastUpdateId());
    assertFalse(b.needsSnapshot());
  }

  @Test
  void firstDeltaAfterTheSnapshotIdIsAGap() {
    L2Book b = spotBookAt(1000);
    assertEquals(BookResult.SEQUENCE_GAP, b.beginDelta(1002, 1005, 0));
    assertEquals(List.of("SEQUENCE_GAP@1005"), events);
    assertTrue(b.needsSnapshot());
  }

  @Test
  void aGapForcesAResyncAndDeltasWaitForTheSnapshot() {
    L2Book b = spotBookAt(1000);
    assertEquals(BookResult.OK, b.beginDelta(1001, 1001, 0));
    assertEquals(BookResult.SEQUENCE_GAP, b.beginDelta(1003, 1004, 0));
    assertEquals(BookResult.NOT_SYNCED, b.beginDelta(1005, 1006, 0));
    assertTrue(b.needsSnapshot());
    assertFalse(b.synced());
    b.beginSnapshot(1005);
    b.set(Side.BUY, 100, 1);
    b.endSnapshot();
    assertEquals(BookResult.OK, b.beginDelta(1005, 1006, 0));
    assertFalse(b.needsSnapshot());
    assertEquals(1, b.integrityEvents(BookResult.SEQUENCE_GAP));
  }

  @Test
  void futuresRuleStartsWithTheSnapshotIdInsideTheDeltaAndChainsOnPreviousFinalId() {
    L2Book b = new L2Book(L2Book.SyncRule.FUTURES, 8, listener);
    assertTrue(b.needsSnapshot());
    assertEquals(BookResult.NOT_SYNCED, b.beginDelta(1, 2, 0));
    b.beginSnapshot(1000);
    b.endSnapshot();
    assertEquals(BookResult.STALE, b.beginDelta(980, 999, 970));
    assertEquals(BookResult.OK, b.beginDelta(995, 1000, 994), "u == lastUpdateId is the first event");
    assertEquals(BookResult.OK, b.beginDelta(1007, 1010, 1000), "futures ids need not be contiguous, pu chains");
    assertEquals(BookResult.SEQUENCE_GAP, b.beginDelta(1015, 1020, 1012));
  }

  @Test
  void aCrossedOrLockedBookIsReportedAfterTheDeltaAndStaysApplied() {
    L2Book b = spotBookAt(1000);
    b.beginDelta(1001, 1001, 0);
    b.set(Side.BUY, 102, 1);
    assertEquals(BookResult.CROSSED, b.endDelta());
    assertEquals(102, b.bestBidPrice());
    b.beginDelta(1002, 1002, 0);
    b.set(Side.BUY, 102, 0);
    b.set(Side.BUY, 101, 1);
    assertEquals(BookResult.LOCKED, b.endDelta());
    assertEquals(List.of("CROSSED@102", "LOCKED@101"), events);
    assertTrue(b.needsSnapshot());
  }

  @Test
  void aBatchMayPassThroughACrossedStateWithoutAnEvent() {
    L2Book b = spotBookAt(1000);
    b.beginDelta(1001, 1002, 0);
    b.set(Side.BUY, 102, 1); // crossed for a moment
    b.set(Side.SELL, 101, 0);
    b.set(Side.SELL, 103, 0);
    b.set(Side.SELL, 104, 2);
    assertEquals(BookResult.OK, b.endDelta());
    assertEquals(0, b.integrityEvents());
  }

  @Test
  void featuresFollowFromTheTopOfBook() {
    L2Book b = spotBookAt(1000);
    assertEquals(1, b.spread());
    assertEquals(100.5, b.mid());
    assertEquals((100 * 3 + 101 * 5) / 8.0, b.microprice(), 1e-12, "nearer the ask, which has less size");
    assertEquals((12 - 7) / 19.0, b.imbalance(2), 1e-12);
    assertEquals((5 - 3) / 8.0, b.imbalance(1), 1e-12);
    assertEquals(12, b.depth(Side.BUY, 10));
    assertEquals(3, b.depth(Side.SELL, 1));
    L2Book empty = new L2Book();
    assertEquals(OrderBook.NO_PRICE, empty.spread());
    assertTrue(Double.isNaN(empty.mid()));
    assertTrue(Double.isNaN(empty.microprice()));
    assertTrue(Double.isNaN(empty.imbalance(5)));
  }

  @Test
  void depthsBeyondLongMaxSaturateInsteadOfWrapping() {
    // found by OrderBookFuzzTest: depth summed the level sizes in a long and wrapped negative past Long.MAX_VALUE
    // (8-decimal quantities of a low-priced coin: 5e10 units are 5e18); the imbalance added the two depths likewise
    L2Book b = new L2Book();
    b.set(Side.BUY, 100, 5_000_000_000_000_000_000L);
    b.set(Side.BUY, 99, 5_000_000_000_000_000_000L);
    b.set(Side.BUY, 98, 7);
    b.set(Side.SELL, 101, Long.MAX_VALUE);
    b.set(Side.SELL, 102, 1);
    assertEquals(5_000_000_000_000_000_000L, b.depth(Side.BUY, 1));
    assertEquals(Long.MAX_VALUE, b.depth(Side.BUY, 2));
    assertEquals(Long.MAX_VALUE, b.depth(Side.BUY, 3));
    assertEquals(Long.MAX_VALUE, b.depth(Side.SELL, 2));
    assertEquals(0.0, b.imbalance(3), "both depths saturated");
    assertEquals((5e18 - Long.MAX_VALUE) / (5e18 + Long.MAX_VALUE), b.imbalance(1), 1e-12);
    BookSnapshot s = b.snapshot(5);
    assertEquals(Long.MAX_VALUE, s.bidDepth());
    assertEquals(Long.MAX_VALUE, s.askDepth());
  }

  @Test
  void aLevelIncreasePastLongMaxIsRefused() {
    L2Book b = new L2Book(L2Book.SyncRule.NONE, 8, listener);
    b.set(Side.BUY, 100, Long.MAX_VALUE - 1);
    assertEquals(BookResult.NEGATIVE_SIZE, b.add(Side.BUY, 100, 2));
    assertEquals(Long.MAX_VALUE - 1, b.sizeAt(Side.BUY, 100), "refused: nothing changed");
    assertTrue(b.needsSnapshot());
  }

  @Test
  void snapshotCopiesTheTopLevels() {
    L2Book b = spotBookAt(1000);
    BookSnapshot s = b.snapshot(1);
    b.set(Side.BUY, 100, 50);
    assertEquals(1, s.bidPrices().length);
    assertEquals(5, s.bidSizes()[0], "a snapshot does not see later updates");
    assertEquals(1, s.spread());
    assertEquals(8, s.bidDepth() + s.askDepth());
    assertFalse(s.stale());
  }

  @Test
  void truncateKeepsTheBestLevels() {
    L2Book b = spotBookAt(1000);
    b.truncate(1);
    assertEquals(1, b.levels(Side.BUY));
    assertEquals(100, b.bestBidPrice());
    assertEquals(101, b.bestAskPrice());
    assertEquals(1, b.levels(Side.SELL));
  }

  @Test
  void updatesOnASizedBookDoNotAllocate() {
    L2Book b = new L2Book(L2Book.SyncRule.SPOT, 256, BookIntegrityListener.IGNORE);
    b.beginSnapshot(0);
    b.endSnapshot();
    long[] id = {0};
    Runnable deltas = () -> {
      for (int i = 0; i < 10_000; i++) {
        long u = ++id[0];
        b.beginDelta(u, u, u - 1);
        b.set(Side.BUY, 1000 - (i % 100), i % 7);
        b.set(Side.SELL, 1001 + (i % 100), i % 5);
        b.endDelta();
        b.microprice();
        b.imbalance(10);
      }
    };
    for (int i = 0; i < 5; i++) deltas.run(); // past the JIT's first compilations
    assertEquals(0, Allocations.measure(deltas), "bytes allocated by 10,000 deltas");
    assertEquals(0, b.integrityEvents());
  }
}
