package io.tickloom.protocol.sequencing;

import io.tickloom.protocol.testing.Allocations;
import static io.tickloom.protocol.sequencing.Sequencer.Outcome.FIRST;
import static io.tickloom.protocol.sequencing.Sequencer.Outcome.GAP_FILL;
import static io.tickloom.protocol.sequencing.Sequencer.Outcome.GAP_OPENED;
import static io.tickloom.protocol.sequencing.Sequencer.Outcome.IN_ORDER;
import static io.tickloom.protocol.sequencing.Sequencer.Outcome.LATE_AFTER_LOSS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Gap;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.sequencing.Sequencer.Outcome;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequencerTest {

  private static final long TOKEN = 408065;
  private static final long TIMEOUT = 2_000_000_000L;
  private static final long MS = 1_000_000L;

  private final List<Gap> gaps = new ArrayList<>();
  private final Sequencer seq = new Sequencer(TOKEN, TIMEOUT, 4, gaps::add);

  @Test
  void firstSeqStartsTheSequenceWithoutAGap() {
    assertEquals(-1, seq.nextExpected());
    assertEquals(FIRST, seq.accept(1000, 0));
    assertEquals(TickStatus.LIVE, seq.status());
    assertEquals(1001, seq.nextExpected());
    assertTrue(gaps.isEmpty());
  }

  @Test
  void inOrderSeqsStayLive() {
    seq.accept(1, 0);
    for (long s = 2; s <= 100; s++) {
      assertEquals(IN_ORDER, seq.accept(s, s * MS));
      assertEquals(TickStatus.LIVE, seq.status());
    }
    assertEquals(101, seq.nextExpected());
    assertEquals(99, seq.inOrder());
    assertEquals(100, seq.accepted());
    assertTrue(gaps.isEmpty());
  }

  @Test
  void jumpOpensAGapAndTheTickThatOpenedItIsStale() {
    seq.accept(1, 0);
    seq.accept(2, MS);
    assertEquals(GAP_OPENED, seq.accept(5, 2 * MS));
    assertEquals(TickStatus.STALE, seq.status());
    assertTrue(seq.hasOpenGaps());
    assertEquals(6, seq.nextExpected());
    assertEquals(2, seq.missing());
    assertEquals(List.of(new Gap(TOKEN, 3, 4, 2 * MS, 0, 0, Gap.State.OPEN)), gaps);
  }

  @Test
  void ticksAcceptedWhileAGapIsOpenAreStale() {
    seq.accept(1, 0);
    seq.accept(3, MS);
    assertEquals(IN_ORDER, seq.accept(4, 2 * MS));
    assertEquals(TickStatus.STALE, seq.status());
  }

  @Test
  void gapFilledBySecondaryFeedReturnsToLive() {
    seq.accept(1, 0);
    seq.accept(4, MS);
    seq.accept(5, 2 * MS);
    assertEquals(GAP_FILL, seq.accept(3, 3 * MS));
    assertEquals(TickStatus.STALE, seq.status(), "seq 2 still missing");
    assertEquals(GAP_FILL, seq.accept(2, 4 * MS));
    assertEquals(TickStatus.LIVE, seq.status(), "the tick that fills the last gap is LIVE");
    assertFalse(seq.hasOpenGaps());
    assertEquals(6, seq.nextExpected(), "fills never move the next expected seq");
    assertEquals(new Gap(TOKEN, 2, 3, MS, 4 * MS, 2, Gap.State.FILLED), gaps.get(1));
    assertEquals(2, gaps.size());
    assertEquals(1, seq.gapsFilled());
    assertEquals(2, seq.seqsFilled());
    assertEquals(IN_ORDER, seq.accept(6, 5 * MS));
    assertEquals(TickStatus.LIVE, seq.status());
  }

  @Test
  void gapPartiallyFilledThenTimedOutIsLostWithItsFilledCount() {
    seq.accept(10, 0);
    seq.accept(15, MS); // gap [11, 14]
    seq.accept(12, 2 * MS);
    seq.accept(14, 3 * MS);
    seq.expire(MS + TIMEOUT - 1);
    assertTrue(seq.hasOpenGaps(), "one nanosecond before the timeout the gap is still open");
    seq.expire(MS + TIMEOUT);
    assertFalse(seq.hasOpenGaps());
    assertEquals(TickStatus.LIVE, seq.status());
    Gap lost = gaps.get(gaps.size() - 1);
    assertEquals(new Gap(TOKEN, 11, 14, MS, MS + TIMEOUT, 2, Gap.State.LOST), lost);
    assertEquals(2, lost.missing());
    assertEquals(1, seq.gapsLost());
    assertEquals(2, seq.seqsLost());
  }

  @Test
  void seqArrivingAfterItsGapWasLostIsLateAfterLossAndChangesNothing() {
    seq.accept(1, 0);
    seq.accept(3, MS);
    seq.expire(MS + TIMEOUT);
    int events = gaps.size();
    assertEquals(LATE_AFTER_LOSS, seq.accept(2, 3 * TIMEOUT));
    assertEquals(TickStatus.LIVE, seq.status());
    assertEquals(4, seq.nextExpected());
    assertEquals(1, seq.lateAfterLoss());
    assertEquals(events, gaps.size());
  }

  @Test
  void acceptExpiresGapsAtItsOwnReceiveTimeBeforeClassifying() {
    seq.accept(1, 0);
    seq.accept(3, MS); // gap [2, 2]
    assertEquals(LATE_AFTER_LOSS, seq.accept(2, MS + TIMEOUT), "the gap timed out before seq 2 arrived");
    assertEquals(Gap.State.LOST, gaps.get(1).state());
    assertEquals(TickStatus.LIVE, seq.status());
  }

  @Test
  void seqLongMaxValueKeepsNextExpectedThereInsteadOfWrappingNegative() {
    // found by SequencingFuzzTest: raw ticks may carry seq 9223372036854775807, after which nextExpected wrapped to
    // Long.MIN_VALUE, and the next tick opened a gap from Long.MIN_VALUE (a negative, wrong-sized gap to store)
    assertEquals(FIRST, seq.accept(10, 0));
    assertEquals(GAP_OPENED, seq.accept(Long.MAX_VALUE, MS));
    assertEquals(Long.MAX_VALUE, seq.nextExpected());
    assertEquals(new Gap(TOKEN, 11, Long.MAX_VALUE - 1, MS, 0, 0, Gap.State.OPEN), gaps.get(0));
    assertEquals(GAP_FILL, seq.accept(11, 2 * MS), "later seqs fill the gap below, none opens from a negative seq");
    assertEquals(Long.MAX_VALUE, seq.nextExpected());
    assertEquals(1, seq.openGapCount());
    assertEquals(Long.MAX_VALUE - 12, seq.missing());

    Sequencer first = new Sequencer(TOKEN, TIMEOUT, 4, gaps::add);
    assertEquals(FIRST, first.accept(Long.MAX_VALUE, 0));
    assertEquals(Long.MAX_VALUE, first.nextExpected());
    assertEquals(LATE_AFTER_LOSS, first.accept(5, MS), "below the first: no gap, no wrap");
    assertEquals(0, first.openGapCount());
  }

  @Test
  void seqBelowTheFirstNeverMovesStateBackwards() {
    seq.accept(100, 0);
    assertEquals(LATE_AFTER_LOSS, seq.accept(50, MS));
    assertEquals(LATE_AFTER_LOSS, seq.accept(0, 2 * MS));
    assertEquals(101, seq.nextExpected());
    assertEquals(TickStatus.LIVE, seq.status());
    assertEquals(IN_ORDER, seq.accept(101, 3 * MS));
    assertTrue(gaps.isEmpty());
  }

  @Test
  void oldSeqBetweenOpenGapsNeverMovesStateBackwards() {
    seq.accept(1, 0);
    seq.accept(3, MS); // gap [2, 2]
    seq.accept(4, MS);
    seq.accept(6, 2 * MS); // gap [5, 5]
    assertEquals(LATE_AFTER_LOSS, seq.accept(4, 3 * MS), "4 lies between two open gaps (only a duplicate could bring it)");
    assertEquals(7, seq.nextExpected());
    assertEquals(2, seq.openGapCount());
    assertEquals(2, seq.missing());
  }

  @Test
  void severalGapsOpenAtOnceFillIndependently() {
    seq.accept(1, 0);
    seq.accept(4, MS); // [2, 3]
    seq.accept(6, 2 * MS); // [5, 5]
    seq.accept(10, 3 * MS); // [7, 9]
    assertEquals(3, seq.openGapCount());
    assertEquals(GAP_FILL, seq.accept(5, 4 * MS));
    assertEquals(new Gap(TOKEN, 5, 5, 2 * MS, 4 * MS, 1, Gap.State.FILLED), gaps.get(3));
    assertEquals(TickStatus.STALE, seq.status());
    assertEquals(GAP_FILL, seq.accept(8, 5 * MS));
    assertEquals(GAP_FILL, seq.accept(2, 5 * MS));
    assertEquals(GAP_FILL, seq.accept(3, 6 * MS));
    assertEquals(new Gap(TOKEN, 2, 3, MS, 6 * MS, 2, Gap.State.FILLED), gaps.get(4));
    assertEquals(1, seq.openGapCount());
    assertEquals(2, seq.missing());
    assertEquals(GAP_FILL, seq.accept(9, 7 * MS));
    assertEquals(GAP_FILL, seq.accept(7, 8 * MS));
    assertEquals(TickStatus.LIVE, seq.status());
    assertEquals(3, seq.gapsFilled());
    assertEquals(0, seq.gapsLost());
  }

  @Test
  void onlyGapsOlderThanTheTimeoutExpire() {
    seq.accept(1, 0);
    seq.accept(3, 0); // [2, 2] opened at 0
    seq.accept(5, TIMEOUT / 2); // [4, 4] opened at 1 s
    seq.expire(TIMEOUT);
    assertEquals(1, seq.openGapCount());
    assertEquals(GAP_FILL, seq.accept(4, TIMEOUT + 1));
    assertEquals(TickStatus.LIVE, seq.status());
    assertEquals(Gap.State.LOST, gaps.get(2).state());
    assertEquals(2, gaps.get(2).fromSeq());
  }

  @Test
  void exceedingMaxOpenGapsDeclaresTheOldestLost() {
    List<Gap> events = new ArrayList<>();
    Sequencer s = new Sequencer(TOKEN, TIMEOUT, 2, events::add);
    s.accept(1, 0);
    s.accept(3, MS); // [2, 2]
    s.accept(5, 2 * MS); // [4, 4]
    assertEquals(GAP_OPENED, s.accept(7, 3 * MS)); // [6, 6] evicts [2, 2]
    assertEquals(2, s.openGapCount());
    assertEquals(new Gap(TOKEN, 2, 2, MS, 3 * MS, 0, Gap.State.LOST), events.get(2));
    assertEquals(new Gap(TOKEN, 6, 6, 3 * MS, 0, 0, Gap.State.OPEN), events.get(3), "LOST is reported before the new OPEN");
    assertEquals(LATE_AFTER_LOSS, s.accept(2, 4 * MS));
    assertEquals(GAP_FILL, s.accept(4, 4 * MS));
    assertEquals(GAP_FILL, s.accept(6, 4 * MS));
    assertEquals(TickStatus.LIVE, s.status());
    assertEquals(1, s.gapsLost());
    assertEquals(1, s.seqsLost());
  }

  @Test
  void hugeJumpIsOneGapNotOneEntryPerSeq() {
    seq.accept(1, 0);
    seq.accept(1_000_000_000_000L, MS);
    assertEquals(1_000_000_000_000L - 2, seq.missing());
    seq.expire(MS + TIMEOUT);
    assertEquals(1_000_000_000_000L - 2, seq.seqsLost());
  }

  @Test
  void matchesANaiveReferenceOnRandomFaultyStreams() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int maxOpen = 1 + rnd.nextInt(6);
      List<Gap> fast = new ArrayList<>();
      List<Gap> slow = new ArrayList<>();
      Sequencer s = new Sequencer(TOKEN, TIMEOUT, maxOpen, fast::add);
      NaiveSequencer ref = new NaiveSequencer(TIMEOUT, maxOpen, slow::add);
      List<long[]> arrivals = faultyStream(rnd, 5_000); // {seq, receiveTs}, each seq at most once
      for (long[] a : arrivals) {
        Outcome expected = ref.accept(a[0], a[1]);
        assertEquals(expected, s.accept(a[0], a[1]), "seed " + seed + " seq " + a[0]);
        assertEquals(ref.status(), s.status());
        assertEquals(ref.next, s.nextExpected());
        if (rnd.nextInt(50) == 0) {
          ref.expire(a[1] + 500 * MS);
          s.expire(a[1] + 500 * MS);
        }
        assertEquals(slow, fast, "seed " + seed);
      }
      long end = arrivals.get(arrivals.size() - 1)[1] + TIMEOUT;
      s.expire(end);
      ref.expire(end);
      assertEquals(slow, fast);
      assertEquals(s.gapsOpened(), s.gapsFilled() + s.gapsLost());
      long gapSeqs = fast.stream().filter(g -> g.state() == Gap.State.OPEN).mapToLong(Gap::size).sum();
      assertEquals(gapSeqs, s.seqsFilled() + s.seqsLost());
      assertEquals(s.accepted(), arrivals.size());
      assertTrue(s.gapsFilled() > 0 && s.gapsLost() > 0 && s.lateAfterLoss() > 0, "seed " + seed + " exercised every path");
    }
  }

  @Test
  void inOrderAcceptAllocatesNothing() {
    Sequencer s = new Sequencer(TOKEN, TIMEOUT, 16, g -> {});
    long[] next = {1};
    long bytes = Allocations.measure(() -> {
      for (int i = 0; i < 1_000_000; i++) {
        s.accept(next[0], next[0] * 1000);
        next[0]++;
        if ((i & 1023) == 0) s.expire(next[0] * 1000);
      }
    });
    assertEquals(0, s.gapsOpened());
    assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes over 1M in-order seqs");
  }

  @Test
  void invalidArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sequencer(TOKEN, 0, 4, GapListener.NONE));
    assertThrows(IllegalArgumentException.class, () -> new Sequencer(TOKEN, TIMEOUT, 0, GapListener.NONE));
    assertThrows(NullPointerException.class, () -> new Sequencer(TOKEN, TIMEOUT, 4, null));
    assertThrows(IllegalArgumentException.class, () -> seq.accept(-1, 0));
  }

  /**
   * Seqs 1..n on a receive clock of 1 ms per tick: some dropped for good, some delivered later (fill
   * within or after the timeout), some swapped with their neighbour. Every seq appears at most once.
   */
  private static List<long[]> faultyStream(SplittableRandom rnd, int n) {
    List<long[]> out = new ArrayList<>();
    List<long[]> delayed = new ArrayList<>();
    long t = 0;
    for (long s = 1; s <= n; s++) {
      t += MS;
      for (int i = 0; i < delayed.size(); i++) {
        if (delayed.get(i)[1] <= t) out.add(delayed.remove(i--));
      }
      int r = rnd.nextInt(100);
      if (r < 3) continue; // lost
      if (r < 10) delayed.add(new long[] {s, t + rnd.nextLong(3 * TIMEOUT)}); // late, maybe too late
      else if (r < 13 && s < n) {
        out.add(new long[] {s + 1, t});
        out.add(new long[] {s, t});
        s++;
      } else out.add(new long[] {s, t});
    }
    delayed.sort((a, b) -> Long.compare(a[1], b[1]));
    out.addAll(delayed);
    return out;
  }

  /** Straightforward reference: a list of gap objects with a bit per seq, linear scans. */
  private static final class NaiveSequencer {
    private final long timeout;
    private final int maxOpen;
    private final GapListener listener;
    private final List<G> open = new ArrayList<>();
    private long next = -1;

    private static final class G {
      long from;
      long to;
      long openedAt;
      BitSet arrived = new BitSet();
    }

    NaiveSequencer(long timeout, int maxOpen, GapListener listener) {
      this.timeout = timeout;
      this.maxOpen = maxOpen;
      this.listener = listener;
    }

    Outcome accept(long s, long ts) {
      expire(ts);
      if (next < 0) {
        next = s + 1;
        return FIRST;
      }
      if (s == next) {
        next++;
        return IN_ORDER;
      }
      if (s > next) {
        if (open.size() == maxOpen) close(open.get(0), ts, Gap.State.LOST);
        G g = new G();
        g.from = next;
        g.to = s - 1;
        g.openedAt = ts;
        open.add(g);
        listener.onGap(new Gap(TOKEN, g.from, g.to, ts, 0, 0, Gap.State.OPEN));
        next = s + 1;
        return GAP_OPENED;
      }
      for (G g : open) {
        if (s >= g.from && s <= g.to) {
          g.arrived.set((int) (s - g.from));
          if (g.arrived.cardinality() == g.to - g.from + 1) close(g, ts, Gap.State.FILLED);
          return GAP_FILL;
        }
      }
      return LATE_AFTER_LOSS;
    }

    void expire(long now) {
      for (G g : new ArrayList<>(open)) {
        if (now - g.openedAt >= timeout) close(g, now, Gap.State.LOST);
      }
    }

    TickStatus status() {
      return open.isEmpty() ? TickStatus.LIVE : TickStatus.STALE;
    }

    private void close(G g, long at, Gap.State state) {
      open.remove(g);
      listener.onGap(new Gap(TOKEN, g.from, g.to, g.openedAt, at, g.arrived.cardinality(), state));
    }
  }
}
