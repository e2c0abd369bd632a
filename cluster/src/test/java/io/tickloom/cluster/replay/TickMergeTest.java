package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TickMergeTest {

  static Tick tick(long token, long ts, long seq) {
    return Tick.of(token, ts, ts, 100, 1, seq, Feed.PRIMARY);
  }

  /** Feeds every stream page by page whenever it starves; returns the merged order. */
  static List<Tick> mergeAll(List<List<Tick>> streams, int pageSize, int batch) {
    TickMerge m = new TickMerge(streams.size());
    int[] offset = new int[streams.size()];
    List<Tick> out = new ArrayList<>();
    while (!m.done()) {
      for (int s = 0; s < streams.size(); s++) {
        if (!m.starving(s)) continue;
        List<Tick> all = streams.get(s);
        int end = Math.min(all.size(), offset[s] + pageSize);
        m.offer(s, new ArrayList<>(all.subList(offset[s], end)), end == all.size());
        offset[s] = end;
      }
      m.drainTo(out, batch, Long.MAX_VALUE);
    }
    return out;
  }

  @Test
  void mergesIntoExchangeTimeOrderWithTiesByStreamThenStreamOrder() {
    List<Tick> a = List.of(tick(1, 10, 1), tick(1, 20, 2), tick(1, 20, 3), tick(1, 40, 4));
    List<Tick> b = List.of(tick(2, 5, 1), tick(2, 20, 2), tick(2, 30, 3));
    List<Tick> c = List.of(tick(3, 20, 7));
    List<Tick> out = mergeAll(List.of(a, b, c), 2, 100);
    List<String> keys = out.stream().map(t -> t.token() + "@" + t.exchangeTs() + "#" + t.seq()).toList();
    assertEquals(List.of("2@5#1", "1@10#1", "1@20#2", "1@20#3", "2@20#2", "3@20#7", "2@30#3", "1@40#4"), keys);
  }

  @Test
  void ticksSharingATimestampAcrossPageBoundariesAreNeitherLostNorRepeated() {
    // Every tick at one timestamp: pages of one tick force a page boundary between every pair.
    List<List<Tick>> streams = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      List<Tick> ticks = new ArrayList<>();
      for (int i = 0; i < 7; i++) ticks.add(tick(s, 1_000, i));
      streams.add(ticks);
    }
    List<Tick> out = mergeAll(streams, 1, 3);
    assertEquals(35, out.size());
    for (int i = 0; i < out.size(); i++) {
      assertEquals(i / 7, out.get(i).token(), "position " + i);
      assertEquals(i % 7, out.get(i).seq(), "position " + i);
    }
  }

  @Test
  void randomStreamsMergeLikeASortOfTheirUnionWhateverThePagesAndBatches() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      int k = 1 + rnd.nextInt(12);
      List<List<Tick>> streams = new ArrayList<>();
      List<long[]> expected = new ArrayList<>(); // ts, stream, position
      for (int s = 0; s < k; s++) {
        List<Tick> ticks = new ArrayList<>();
        long ts = rnd.nextInt(5);
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
          ts += rnd.nextInt(3); // many equal timestamps
          ticks.add(tick(s, ts, i));
          expected.add(new long[] {ts, s, i});
        }
        streams.add(ticks);
      }
      expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
      List<Tick> out = mergeAll(streams, 1 + rnd.nextInt(6), 1 + rnd.nextInt(9));
      assertEquals(expected.size(), out.size(), "round " + round);
      for (int i = 0; i < out.size(); i++) {
        long[] e = expected.get(i);
        assertEquals(e[0], out.get(i).exchangeTs(), "round " + round + " position " + i);
        assertEquals(e[1], out.get(i).token(), "round " + round + " position " + i);
        assertEquals(e[2], out.get(i).seq(), "round " + round + " position " + i);
      }
    }
  }

  @Test
  void nothingIsEmittedWhileAStreamWaitsForItsPage() {
    TickMerge m = new TickMerge(2);
    m.offer(0, List.of(tick(1, 50, 1)), true);
    List<Tick> out = new ArrayList<>();
    assertEquals(0, m.drainTo(out, 10, Long.MAX_VALUE), "stream 1 might still deliver something earlier");
    assertEquals(1, m.starving());
    m.offer(1, List.of(tick(2, 10, 1)), false);
    assertEquals(1, m.drainTo(out, 10, Long.MAX_VALUE));
    assertTrue(m.starving(1), "stream 1 ran dry and is not finished");
    m.offer(1, List.of(), true);
    assertEquals(1, m.drainTo(out, 10, Long.MAX_VALUE));
    assertTrue(m.done());
    assertEquals(List.of(10L, 50L), out.stream().map(Tick::exchangeTs).toList());
  }

  @Test
  void drainStopsAtTheTimeBoundAndTheBatchSize() {
    TickMerge m = new TickMerge(1);
    m.offer(0, List.of(tick(1, 1, 1), tick(1, 2, 2), tick(1, 3, 3), tick(1, 9, 4)), true);
    List<Tick> out = new ArrayList<>();
    assertEquals(2, m.drainTo(out, 2, Long.MAX_VALUE));
    assertEquals(1, m.drainTo(out, 10, 9));
    assertEquals(9, m.headTs());
    assertFalse(m.done());
    assertEquals(1, m.drainTo(out, 10, Long.MAX_VALUE));
    assertTrue(m.done());
  }

  @Test
  void aPageForAStreamThatIsNotWaitingIsRefused() {
    TickMerge m = new TickMerge(1);
    m.offer(0, List.of(tick(1, 1, 1)), false);
    assertThrows(IllegalStateException.class, () -> m.offer(0, List.of(tick(1, 2, 2)), true));
  }
}
