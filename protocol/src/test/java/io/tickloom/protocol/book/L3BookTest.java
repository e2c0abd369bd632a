package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class L3BookTest {
  private final List<String> events = new ArrayList<>();
  private final L3Book book = new L3Book(16, 4, (kind, ref) -> events.add(kind + "@" + ref));

  private void seed() {
    assertEquals(BookResult.OK, book.add(1, Side.BUY, 100, 10));
    assertEquals(BookResult.OK, book.add(2, Side.BUY, 100, 5));
    assertEquals(BookResult.OK, book.add(3, Side.BUY, 99, 7));
    assertEquals(BookResult.OK, book.add(4, Side.SELL, 102, 4));
  }

  @Test
  void addCancelExecuteAndDeleteKeepTheLevelsInStep() {
    seed();
    assertEquals(15, book.bestBidSize());
    assertEquals(BookResult.OK, book.cancel(1, 3));
    assertEquals(12, book.bestBidSize());
    assertEquals(7, book.orderSize(1));
    assertEquals(BookResult.OK, book.execute(2, 5));
    assertFalse(book.hasOrder(2), "fully executed orders leave the book");
    assertEquals(7, book.bestBidSize());
    assertEquals(BookResult.OK, book.delete(1));
    assertEquals(99, book.bestBidPrice());
    assertEquals(BookResult.OK, book.execute(4, 4));
    assertEquals(OrderBook.NO_PRICE, book.bestAskPrice());
    assertEquals(1, book.orderCount());
    assertEquals(Side.BUY, book.orderSide(3));
    assertEquals(99, book.orderPrice(3));
    book.validateInternalState();
    assertTrue(events.isEmpty());
  }

  @Test
  void anUnknownOrderIsRefusedReportedAndFlagsTheBook() {
    seed();
    assertEquals(BookResult.UNKNOWN_ORDER, book.cancel(42, 1));
    assertEquals(BookResult.UNKNOWN_ORDER, book.delete(42));
    assertEquals(BookResult.UNKNOWN_ORDER, book.execute(42, 1));
    assertEquals(List.of("UNKNOWN_ORDER@42", "UNKNOWN_ORDER@42", "UNKNOWN_ORDER@42"), events);
    assertEquals(3, book.integrityEvents(BookResult.UNKNOWN_ORDER));
    assertTrue(book.needsSnapshot());
    assertEquals(15, book.bestBidSize());
  }

  @Test
  void overCancelAndNonPositiveSizesAreRefusedAndChangeNothing() {
    seed();
    assertEquals(BookResult.OVER_CANCEL, book.cancel(3, 8));
    assertEquals(BookResult.OVER_CANCEL, book.execute(3, 8));
    assertEquals(BookResult.NEGATIVE_SIZE, book.cancel(3, 0));
    assertEquals(BookResult.NEGATIVE_SIZE, book.cancel(3, -2));
    assertEquals(BookResult.NEGATIVE_SIZE, book.add(9, Side.BUY, 98, 0));
    assertEquals(7, book.orderSize(3));
    assertEquals(7, book.sizeAt(Side.BUY, 99));
    assertFalse(book.hasOrder(9));
    assertEquals(5, book.integrityEvents());
    book.validateInternalState();
  }

  @Test
  void anAddTakingALevelPastLongMaxIsRefusedAndKeepsTheLevelsInStep() {
    // found by OrderBookFuzzTest: the level's overflow was ignored, so the order was held while its level kept the old
    // size (the level no longer equalled the sum of its orders)
    assertEquals(BookResult.OK, book.add(1, Side.BUY, 100, Long.MAX_VALUE - 5));
    assertEquals(BookResult.NEGATIVE_SIZE, book.add(2, Side.BUY, 100, 6));
    assertFalse(book.hasOrder(2));
    assertEquals(1, book.orderCount());
    assertEquals(Long.MAX_VALUE - 5, book.sizeAt(Side.BUY, 100));
    assertTrue(book.needsSnapshot());
    book.validateInternalState();
    assertEquals(BookResult.OK, book.add(2, Side.BUY, 100, 5), "up to Long.MAX_VALUE fits");
    assertEquals(Long.MAX_VALUE, book.sizeAt(Side.BUY, 100));
    book.validateInternalState();
  }

  @Test
  void aDuplicateIdIsRefused() {
    seed();
    assertEquals(BookResult.DUPLICATE_ORDER, book.add(1, Side.SELL, 105, 1));
    assertEquals(Side.BUY, book.orderSide(1));
    assertEquals(0, book.sizeAt(Side.SELL, 105));
  }

  @Test
  void aCrossingAddIsAppliedAndReportedAndASnapshotClearsTheFlag() {
    seed();
    assertEquals(BookResult.LOCKED, book.add(5, Side.BUY, 102, 1));
    assertEquals(BookResult.CROSSED, book.add(6, Side.SELL, 98, 1));
    assertEquals(98, book.bestAskPrice());
    assertEquals(List.of("LOCKED@102", "CROSSED@102"), events);
    assertTrue(book.needsSnapshot());
    book.beginSnapshot();
    assertEquals(0, book.orderCount());
    assertEquals(0, book.levels(Side.BUY));
    book.add(7, Side.BUY, 100, 1);
    assertEquals(BookResult.OK, book.endSnapshot());
    assertFalse(book.needsSnapshot());
    assertNull(book.orderSide(1));
  }

  @Test
  void manyOrdersGrowTheMapAndKeepEveryInvariant() {
    L3Book b = new L3Book(1, 1, BookIntegrityListener.IGNORE);
    for (long id = 1; id <= 20_000; id++) b.add(id * 7919, id % 2 == 0 ? Side.BUY : Side.SELL, id % 2 == 0 ? 1000 - id % 50 : 1001 + id % 50, id);
    b.validateInternalState();
    for (long id = 1; id <= 20_000; id += 3) b.delete(id * 7919);
    b.validateInternalState();
    assertEquals(20_000 - 6_667, b.orderCount());
    assertEquals(0, b.integrityEvents());
    long[] visited = {0};
    b.forEachOrder((id, side, price, size) -> visited[0]++);
    assertEquals(b.orderCount(), visited[0]);
  }

  @Test
  void messagesOnASizedBookDoNotAllocate() {
    L3Book b = new L3Book(4096, 256, BookIntegrityListener.IGNORE);
    long[] next = {1};
    long bytes = Allocations.measure(() -> {
      for (int i = 0; i < 10_000; i++) {
        long id = next[0]++;
        boolean bid = (i & 1) == 0;
        b.add(id, bid ? Side.BUY : Side.SELL, bid ? 1000 - i % 64 : 1001 + i % 64, 10);
        b.cancel(id, 3);
        b.execute(id, 2);
        if (i % 4 != 3) b.delete(id); // a quarter stays: up to 2,500 resting orders after each run
        b.delete(-1); // unknown: reported, still no allocation
      }
      for (long id = next[0] - 10_000; id < next[0]; id++) if (b.hasOrder(id)) b.delete(id);
    });
    assertEquals(0, bytes, "bytes allocated by 50,000 messages");
    assertEquals(0, b.orderCount());
  }
}
