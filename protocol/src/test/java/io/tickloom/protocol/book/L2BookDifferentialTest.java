package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link L2Book} against {@link ReferenceL2Book}: the same seeded random stream of snapshots, deltas (contiguous,
 * stale, gapped, straddling), level sets and changes (including negative sizes and crossing prices), truncations;
 * after every step the results, all levels, the features, the integrity counters and the sync state must be equal.
 */
class L2BookDifferentialTest {
  private static final int STEPS = 300_000;

  @Test
  void spotSyncRuleMatchesReferenceOverSeededRandomStream() {
    run(L2Book.SyncRule.SPOT, 11);
  }

  @Test
  void futuresSyncRuleMatchesReferenceOverSeededRandomStream() {
    run(L2Book.SyncRule.FUTURES, 12);
  }

  @Test
  void levelChangesAndTruncationWithoutIdsMatchReferenceOverSeededRandomStream() {
    run(L2Book.SyncRule.NONE, 13);
  }

  private static void run(L2Book.SyncRule rule, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] listened = new int[1];
    L2Book fast = new L2Book(rule, 4, (kind, ref) -> listened[0]++);
    ReferenceL2Book ref = new ReferenceL2Book(rule);
    long mid = 10_000;
    long nextId = 1_000;
    long[] applied = new long[BookResult.values().length];
    for (int step = 0; step < STEPS; step++) {
      String where = rule + " seed " + seed + " step " + step;
      if (r.nextInt(100) == 0) mid += r.nextInt(-3, 4);
      int op = r.nextInt(1000);
      if (rule != L2Book.SyncRule.NONE && (op < 3 || fast.needsSnapshot() && op < 80)) {
        long id = nextId - r.nextInt(0, 3);
        fast.beginSnapshot(id);
        ref.beginSnapshot(id);
        int levels = r.nextInt(0, 40);
        for (int i = 0; i < levels; i++) {
          Side s = r.nextBoolean() ? Side.BUY : Side.SELL;
          long p = price(r, s, mid);
          long q = r.nextInt(1, 500);
          assertEquals(ref.set(s, p, q), fast.set(s, p, q), where);
        }
        assertEquals(ref.checkCrossing(), fast.endSnapshot(), where);
        nextId = id + r.nextInt(-2, 3);
      } else if (rule != L2Book.SyncRule.NONE) {
        // A delta: usually the next ids, sometimes old, overlapping or skipping ahead.
        int kind = r.nextInt(100);
        long last = fast.lastUpdateId();
        long first;
        if (!fast.synced() && kind < 80) first = last - r.nextInt(0, 4); // around the snapshot's id
        else if (kind < 85) first = last + 1;
        else if (kind < 92) first = last - r.nextInt(0, 6);
        else if (kind < 97) first = last + 2 + r.nextInt(0, 4);
        else first = nextId;
        long fin = first + r.nextInt(0, 4);
        long previous = kind < 90 ? last : last - 1 - r.nextInt(0, 3);
        BookResult expected = ref.beginDelta(first, fin, previous);
        BookResult got = fast.beginDelta(first, fin, previous);
        assertEquals(expected, got, where + " delta [" + first + "," + fin + "] pu " + previous + " after " + last);
        applied[got.ordinal()]++;
        if (got == BookResult.OK) {
          int n = r.nextInt(0, 6);
          for (int i = 0; i < n; i++) setRandom(r, fast, ref, mid, where);
          assertEquals(ref.checkCrossing(), fast.endDelta(), where);
        }
        nextId = Math.max(nextId, fin + 1);
        assertEquals(ref.lastUpdateId, fast.lastUpdateId(), where);
        assertEquals(ref.appliedSinceSnapshot && ref.haveSnapshot, fast.synced(), where);
      } else if (op < 450) {
        setRandom(r, fast, ref, mid, where);
      } else if (op < 900) {
        Side s = r.nextBoolean() ? Side.BUY : Side.SELL;
        long p = price(r, s, mid);
        long d = r.nextInt(-200, 300);
        assertEquals(ref.add(s, p, d), fast.add(s, p, d), where + " add " + s + " " + p + " " + d);
      } else if (op < 990) {
        assertEquals(ref.checkCrossing(), fast.checkCrossing(), where);
      } else if (op < 995) {
        int n = r.nextInt(0, 30);
        fast.truncate(n);
        ref.truncate(n);
      } else {
        fast.beginSnapshot(0);
        ref.beginSnapshot(0);
      }
      BookStates.assertSameState(where, fast, ref.bids, ref.asks, ref.events, ref.needsSnapshot());
      if (step % 1000 == 0) fast.validateInternalState();
    }
    assertEquals(fast.integrityEvents(), listened[0], "the listener hears every integrity event");
    // The stream must really have exercised the rule and the checks, or the comparison proves little.
    if (rule != L2Book.SyncRule.NONE) {
      String counts = java.util.Arrays.toString(applied) + " by " + java.util.Arrays.toString(BookResult.values());
      assertTrue(applied[BookResult.OK.ordinal()] > STEPS / 3, "applied deltas " + counts);
      assertTrue(applied[BookResult.STALE.ordinal()] > 1000, "stale deltas " + counts);
      assertTrue(applied[BookResult.NOT_SYNCED.ordinal()] > 1000, "deltas while unsynced " + counts);
      assertTrue(fast.integrityEvents(BookResult.SEQUENCE_GAP) > 1000, "gaps " + counts);
    } else {
      assertTrue(fast.integrityEvents(BookResult.UNKNOWN_LEVEL) > 1000, "decreases at missing levels");
    }
    assertTrue(fast.integrityEvents(BookResult.NEGATIVE_SIZE) > 100, "negative sizes");
    assertTrue(fast.integrityEvents(BookResult.CROSSED) + fast.integrityEvents(BookResult.LOCKED) > 100, "crossed books");
  }

  private static void setRandom(SplittableRandom r, L2Book fast, ReferenceL2Book ref, long mid, String where) {
    Side s = r.nextBoolean() ? Side.BUY : Side.SELL;
    long p = price(r, s, mid);
    int k = r.nextInt(100);
    long q = k < 30 ? 0 : k < 31 ? -r.nextInt(1, 10) : r.nextInt(1, 1000);
    assertEquals(ref.set(s, p, q), fast.set(s, p, q), where + " set " + s + " " + p + " " + q);
  }

  /** Bids below the mid and asks above, 1 % of the time on the wrong side of it (crossing). */
  private static long price(SplittableRandom r, Side s, long mid) {
    int off = r.nextInt(100) == 0 ? -r.nextInt(0, 4) : r.nextInt(1, 60);
    return s == Side.BUY ? mid - off : mid + off;
  }
}
