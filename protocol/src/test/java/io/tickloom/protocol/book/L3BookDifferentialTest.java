package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link L3Book} against {@link ReferenceL3Book}: the same seeded random stream of adds, partial cancels,
 * executions and deletes, with unknown and duplicate ids, over-cancels, non-positive sizes, crossing adds and
 * occasional snapshots; after every step the results, every order, all levels, the features and the integrity state
 * must be equal, and every 1,000 steps the fast book's own invariants must hold.
 */
class L3BookDifferentialTest {
  private static final int STEPS = 300_000;

  @Test
  void matchesReferenceOverSeededRandomStream() {
    run(21, 16);
  }

  @Test
  void matchesReferenceWhileGrowingFromTinyCapacity() {
    run(22, 1);
  }

  private static void run(long seed, int initialOrders) {
    SplittableRandom r = new SplittableRandom(seed);
    L3Book fast = new L3Book(initialOrders, 2, BookIntegrityListener.IGNORE);
    ReferenceL3Book ref = new ReferenceL3Book();
    long[] ids = new long[1024]; // recently used ids, live or gone
    int idCount = 0;
    long nextId = 1;
    long mid = 50_000;
    int peakOrders = 0;
    for (int step = 0; step < STEPS; step++) {
      String where = "seed " + seed + " step " + step;
      if (r.nextInt(200) == 0) mid += r.nextInt(-5, 6);
      int op = r.nextInt(1000);
      int live = ref.orders.size();
      if (op < 2 || ref.flagged && op < 20) {
        fast.beginSnapshot();
        ref.beginSnapshot();
        int n = r.nextInt(0, 60);
        for (int i = 0; i < n; i++) {
          Side s = r.nextBoolean() ? Side.BUY : Side.SELL;
          long p = s == Side.BUY ? mid - r.nextInt(1, 40) : mid + r.nextInt(1, 40);
          long id = nextId++;
          ids[idCount++ & 1023] = id;
          assertEquals(ref.add(id, s, p, r.nextInt(1, 100)), fast.add(id, s, p, ref.orders.get(id).size()), where);
        }
        assertEquals(ref.endSnapshot(), fast.endSnapshot(), where);
      } else if (op < (live > 600 ? 250 : 450)) {
        Side s = r.nextBoolean() ? Side.BUY : Side.SELL;
        int off = r.nextInt(200) == 0 ? -r.nextInt(0, 3) : r.nextInt(1, 40);
        long p = s == Side.BUY ? mid - off : mid + off;
        long size = r.nextInt(100) == 0 ? -r.nextInt(0, 3) : r.nextInt(1, 500);
        long id = r.nextInt(100) == 0 && idCount > 0 ? ids[r.nextInt(Math.min(idCount, 1024))] : nextId++;
        ids[idCount++ & 1023] = id;
        assertEquals(ref.add(id, s, p, size), fast.add(id, s, p, size), where + " add " + id);
      } else {
        long id = idCount == 0 || r.nextInt(100) == 0 ? nextId + r.nextInt(1, 1000) : ids[r.nextInt(Math.min(idCount, 1024))];
        long remaining = ref.orders.containsKey(id) ? ref.orders.get(id).size() : 10;
        int k = r.nextInt(100);
        long size = k < 2 ? -r.nextInt(0, 3) : k < 5 ? remaining + r.nextInt(1, 5) : k < 40 ? remaining
            : r.nextLong(1, Math.max(2, remaining));
        if (op < 650) {
          assertEquals(ref.reduce(id, size), fast.cancel(id, size), where + " cancel " + id + " " + size);
        } else if (op < 800) {
          assertEquals(ref.reduce(id, size), fast.execute(id, size), where + " execute " + id + " " + size);
        } else {
          assertEquals(ref.delete(id), fast.delete(id), where + " delete " + id);
        }
      }
      peakOrders = Math.max(peakOrders, ref.orders.size());
      assertSameOrders(where, fast, ref);
      BookStates.assertSameState(where, fast, ref.bids, ref.asks, ref.events, ref.flagged);
      if (step % 1000 == 0) fast.validateInternalState();
    }
    fast.validateInternalState();
    assertTrue(peakOrders > 150, "the book held many orders at once: " + peakOrders);
    for (BookResult kind : new BookResult[] {BookResult.UNKNOWN_ORDER, BookResult.DUPLICATE_ORDER,
        BookResult.NEGATIVE_SIZE, BookResult.OVER_CANCEL, BookResult.CROSSED}) {
      assertTrue(fast.integrityEvents(kind) > 50, "the stream exercised " + kind + ": " + fast.integrityEvents(kind));
    }
  }

  private static void assertSameOrders(String where, L3Book fast, ReferenceL3Book ref) {
    assertEquals(ref.orders.size(), fast.orderCount(), where + ": order count");
    for (Map.Entry<Long, ReferenceL3Book.Order> e : ref.orders.entrySet()) {
      long id = e.getKey();
      ReferenceL3Book.Order o = e.getValue();
      if (fast.orderSize(id) != o.size() || fast.orderPrice(id) != o.price() || fast.orderSide(id) != o.side()) {
        throw new AssertionError(where + ": order " + id + " is " + fast.orderSide(id) + " " + fast.orderPrice(id) + "x"
            + fast.orderSize(id) + ", reference " + o);
      }
    }
  }
}
