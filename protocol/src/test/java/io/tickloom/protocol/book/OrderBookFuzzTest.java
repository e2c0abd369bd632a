package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Side;
import java.math.BigInteger;
import java.util.TreeMap;

/**
 * Property fuzzing of the book kernels: the fuzzer picks the book ({@link L2Book} under each sync rule, or
 * {@link L3Book}) and a sequence of updates, including extreme sizes; after every step the fast book equals its
 * reference ({@link ReferenceL2Book}, {@link ReferenceL3Book}), keeps its internal invariants, reports a crossed or
 * locked book when it closes a batch crossed, and its depths are the exact sums of the level sizes (saturated at
 * {@code Long.MAX_VALUE}, never wrapped). Seeds in {@code OrderBookFuzzTestInputs/updates}.
 */
class OrderBookFuzzTest {
  private static final int MAX_STEPS = 300;

  @FuzzTest(maxDuration = "10s")
  void updates(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 3);
    if (kind == 3) l3(data);
    else l2(data, L2Book.SyncRule.values()[kind]);
  }

  private static void l2(FuzzedDataProvider data, L2Book.SyncRule rule) {
    L2Book book = new L2Book(rule, 2, BookIntegrityListener.IGNORE);
    ReferenceL2Book ref = new ReferenceL2Book(rule);
    for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
      Side side = data.consumeBoolean() ? Side.BUY : Side.SELL;
      switch (data.consumeInt(0, 6)) {
        case 0 -> {
          long price = price(data);
          long size = size(data);
          assertEquals(ref.set(side, price, size), book.set(side, price, size));
        }
        case 1 -> {
          long price = price(data);
          long delta = data.consumeBoolean() ? size(data) : -size(data);
          assertEquals(ref.add(side, price, delta), book.add(side, price, delta));
        }
        case 2 -> {
          int levels = data.consumeInt(0, 6);
          ref.truncate(levels);
          book.truncate(levels);
        }
        case 3 -> assertCrossingReported(book, ref.checkCrossing(), book.endDelta());
        case 4 -> {
          long id = data.consumeLong(0, 50);
          ref.beginSnapshot(id);
          book.beginSnapshot(id);
          for (int n = data.consumeInt(0, 6); n > 0; n--) {
            Side s = data.consumeBoolean() ? Side.BUY : Side.SELL;
            long price = price(data);
            long size = Math.abs(size(data));
            assertEquals(ref.set(s, price, size), book.set(s, price, size));
          }
          assertCrossingReported(book, ref.checkCrossing(), book.endSnapshot());
        }
        default -> {
          long first = data.consumeLong(0, 60);
          long last = first + data.consumeLong(-2, 5);
          long previous = data.consumeLong(0, 60);
          BookResult expected = ref.beginDelta(first, last, previous);
          assertEquals(expected, book.beginDelta(first, last, previous), "beginDelta " + first + ".." + last + " pu " + previous);
          assertEquals(ref.lastUpdateId, book.lastUpdateId());
        }
      }
      book.validateInternalState();
      BookStates.assertSameState("step " + step, book, ref.bids, ref.asks, ref.events, ref.needsSnapshot());
      assertExactDepths(book);
    }
  }

  private static void l3(FuzzedDataProvider data) {
    L3Book book = new L3Book(2, 2, BookIntegrityListener.IGNORE);
    ReferenceL3Book ref = new ReferenceL3Book();
    for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
      long id = data.consumeLong(0, 40);
      switch (data.consumeInt(0, 5)) {
        case 0, 1 -> {
          Side side = data.consumeBoolean() ? Side.BUY : Side.SELL;
          long price = price(data);
          long size = size(data);
          BookResult r = book.add(id, side, price, size);
          assertEquals(ref.add(id, side, price, size), r, "add " + id + " " + side + " " + price + "x" + size);
          if (r == BookResult.OK || r == BookResult.CROSSED || r == BookResult.LOCKED) {
            assertCrossingReported(book, r, r);
            assertEquals(size, book.orderSize(id));
          }
        }
        case 2 -> {
          long size = size(data);
          assertEquals(ref.reduce(id, size), book.cancel(id, size));
        }
        case 3 -> {
          long size = size(data);
          assertEquals(ref.reduce(id, size), book.execute(id, size));
        }
        case 4 -> assertEquals(ref.delete(id), book.delete(id));
        default -> {
          ref.beginSnapshot();
          book.beginSnapshot();
          assertEquals(ref.endSnapshot(), book.endSnapshot());
        }
      }
      book.validateInternalState();
      assertEquals(ref.orders.size(), book.orderCount());
      BookStates.assertSameState("step " + step, book, ref.bids, ref.asks, ref.events, ref.flagged);
      assertExactDepths(book);
    }
  }

  /** A book left crossed or locked by a batch says so, and is flagged until the next snapshot. */
  private static void assertCrossingReported(OrderBook book, BookResult expected, BookResult got) {
    assertEquals(expected, got);
    boolean crossed = book.levels(Side.BUY) > 0 && book.levels(Side.SELL) > 0 && book.bestBidPrice() >= book.bestAskPrice();
    assertEquals(crossed, got == BookResult.CROSSED || got == BookResult.LOCKED, "crossed " + crossed + ", reported " + got);
    if (crossed) assertTrue(book.needsSnapshot());
  }

  private static void assertExactDepths(OrderBook book) {
    for (Side side : Side.values()) {
      BigInteger sum = BigInteger.ZERO;
      for (int level = 0; level < book.levels(side); level++) {
        sum = sum.add(BigInteger.valueOf(book.size(side, level)));
        long expected = sum.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
        assertEquals(expected, book.depth(side, level + 1), side + " depth of " + (level + 1) + " levels");
      }
      double imbalance = book.imbalance(book.levels(Side.BUY) + book.levels(Side.SELL));
      assertTrue(Double.isNaN(imbalance) || imbalance >= -1 && imbalance <= 1, "imbalance " + imbalance);
    }
  }

  /** Positive prices, mostly in a narrow band so levels collide, sometimes anywhere up to Long.MAX_VALUE. */
  private static long price(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeLong(95, 105) : data.consumeLong(1, Long.MAX_VALUE);
  }

  /** Sizes: mostly small, sometimes zero, negative or huge (sums beyond Long.MAX_VALUE). */
  private static long size(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong(-2, 20);
      case 1 -> Long.MAX_VALUE - data.consumeLong(0, 3);
      case 2 -> Long.MAX_VALUE / 2 + data.consumeLong(-3, 3);
      default -> data.consumeLong();
    };
  }
}
