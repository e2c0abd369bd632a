package io.tickloom.protocol.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.TickStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Property fuzzing of the ingest path's {@link Deduper} then {@link Sequencer}, as an instrument's owner feeds them:
 * the fuzzer picks the keys (near the last one, far ahead, far behind, up to {@code Long.MAX_VALUE}, negative) and
 * the receive clock. The deduper answers exactly as a set of the keys seen within the window would, with its
 * counters adding up; the sequencer keeps its documented invariants (next expected seq only grows, open gaps
 * disjoint, ordered, below it and at most {@code maxOpenGaps}, STALE exactly while a gap is open, every gap opened
 * is closed once as FILLED or LOST, accounting of filled and lost seqs). Seeds in
 * {@code SequencingFuzzTestInputs/ticks}.
 */
class SequencingFuzzTest {
  private static final int WINDOW = 64;
  private static final int MAX_OPEN = 3;
  private static final long TIMEOUT = 2_000;

  @FuzzTest(maxDuration = "10s")
  void ticks(FuzzedDataProvider data) {
    Deduper deduper = new Deduper(WINDOW);
    List<Gap> events = new ArrayList<>();
    Sequencer sequencer = new Sequencer(7, TIMEOUT, MAX_OPEN, events::add);
    Set<Long> seen = new HashSet<>();
    long highest = -1;
    long calls = 0;
    long now = 0;
    long nextExpected = -1;
    for (int step = 0; step < 400 && data.remainingBytes() > 0; step++) {
      long key = key(data, highest);
      now += data.consumeLong(0, TIMEOUT);
      if (data.consumeInt(0, 9) == 0) {
        sequencer.expire(now);
        checkSequencer(sequencer, events, nextExpected);
        continue;
      }
      if (key < 0) {
        long k = key;
        assertThrows(IllegalArgumentException.class, () -> deduper.firstSight(k));
        assertThrows(IllegalArgumentException.class, () -> sequencer.accept(k, 0));
        continue;
      }
      boolean expected = key > highest || key > highest - WINDOW && !seen.contains(key);
      assertEquals(!expected, deduper.seen(key), "seen(" + key + ") before");
      assertEquals(expected, deduper.firstSight(key), "firstSight(" + key + ") with highest " + highest);
      calls++;
      seen.add(key);
      highest = Math.max(highest, key);
      assertEquals(highest, deduper.highest());
      assertTrue(deduper.seen(key));
      assertEquals(calls, deduper.accepted() + deduper.duplicates() + deduper.tooOld(), "counters add up");
      if (!expected) continue;

      int eventsBefore = events.size();
      Sequencer.Outcome outcome = sequencer.accept(key, now);
      assertTrue(sequencer.nextExpected() > key || key == Long.MAX_VALUE && sequencer.nextExpected() == Long.MAX_VALUE,
          "after " + key + " the next expected seq is " + sequencer.nextExpected());
      if (outcome == Sequencer.Outcome.GAP_OPENED) {
        Gap opened = events.get(events.size() - 1);
        assertEquals(Gap.State.OPEN, opened.state());
        assertEquals(key - 1, opened.toSeq());
        assertTrue(events.size() > eventsBefore);
      }
      assertTrue(sequencer.nextExpected() >= nextExpected, "next expected seq only grows");
      nextExpected = sequencer.nextExpected();
      checkSequencer(sequencer, events, nextExpected);
    }
  }

  private static void checkSequencer(Sequencer s, List<Gap> events, long nextExpected) {
    assertEquals(nextExpected, s.nextExpected());
    assertTrue(s.openGapCount() <= MAX_OPEN);
    assertEquals(s.hasOpenGaps() ? TickStatus.STALE : TickStatus.LIVE, s.status());
    // replay the events: every gap opens once, closes once, and the open ones are disjoint, ordered, below nextExpected
    List<Gap> open = new ArrayList<>();
    long filledSeqs = 0;
    long lostSeqs = 0;
    long filledGaps = 0;
    long lostGaps = 0;
    for (Gap g : events) {
      assertTrue(g.fromSeq() >= 0 && g.fromSeq() <= g.toSeq() && g.toSeq() < nextExpected, g.toString());
      if (g.state() == Gap.State.OPEN) {
        assertEquals(0, g.filled());
        open.add(g);
        continue;
      }
      Gap was = open.stream().filter(o -> o.fromSeq() == g.fromSeq()).findFirst().orElseThrow(() -> new AssertionError("closed but never opened: " + g));
      open.remove(was);
      assertEquals(was.toSeq(), g.toSeq());
      assertTrue(g.filled() >= 0 && g.filled() <= g.size(), g.toString());
      if (g.state() == Gap.State.FILLED) {
        assertEquals(g.size(), g.filled(), "a filled gap is whole");
        filledGaps++;
      } else {
        lostGaps++;
        lostSeqs += g.missing();
      }
      filledSeqs += g.filled();
    }
    assertEquals(open.size(), s.openGapCount());
    for (int i = 1; i < open.size(); i++) assertTrue(open.get(i - 1).toSeq() < open.get(i).fromSeq(), "open gaps disjoint and ordered");
    assertEquals(filledGaps, s.gapsFilled());
    assertEquals(lostGaps, s.gapsLost());
    assertEquals(lostSeqs, s.seqsLost());
    long openFilled = s.seqsFilled() - filledSeqs;
    long openSize = open.stream().mapToLong(Gap::size).sum();
    assertEquals(openSize - openFilled, s.missing(), "missing = open gaps' size less what arrived in them");
  }

  /** Mostly just after or near the highest key, sometimes far ahead or behind, extreme or negative. */
  private static long key(FuzzedDataProvider data, long highest) {
    long base = Math.max(highest, 0);
    return switch (data.consumeInt(0, 7)) {
      case 0, 1, 2 -> base + data.consumeLong(-3, 3);
      case 3 -> base - data.consumeLong(0, 3 * WINDOW);
      case 4 -> base > Long.MAX_VALUE - 1000 ? Long.MAX_VALUE : base + data.consumeLong(0, 1000);
      case 5 -> Long.MAX_VALUE - data.consumeLong(0, 2);
      case 6 -> data.consumeLong(-2, 0);
      default -> data.consumeLong();
    };
  }
}
