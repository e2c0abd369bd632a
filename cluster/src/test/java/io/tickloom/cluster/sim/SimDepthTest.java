package io.tickloom.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.book.BookResult;
import io.tickloom.protocol.book.BookSnapshot;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.LiveBook;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimDepthTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long START = 1_787_024_700L * SECOND;
  private static final List<SimInstrument> UNIVERSE = SimUniverse.nse(LocalDate.of(2026, 8, 18), 11);

  /** Snapshot + contiguous updates: every quoted instrument's book syncs, never crosses, and follows its trade price. */
  @Test
  void depthKeepsEveryQuotedInstrumentsBookInSyncAroundItsPrice() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(2_000), 13);
    SimDepth depth = new SimDepth(feed, 10, 500, 5 * SECOND, 13);
    Map<Long, LiveBook> books = new HashMap<>();
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < UNIVERSE.size(); i++) index.put(UNIVERSE.get(i).token(), i);
    List<DepthMessage> all = new ArrayList<>();
    int snapshots = 0;
    for (long t = START; t < START + 20 * SECOND; t += 20_000_000L) {
      feed.poll(t, tick -> {});
      List<DepthMessage> due = new ArrayList<>();
      depth.poll(t, due::add);
      for (DepthMessage m : due) {
        if (m.type() == DepthMessage.Type.L2_SNAPSHOT) snapshots++;
        LiveBook b = books.computeIfAbsent(m.token(), k -> new LiveBook());
        BookResult r = b.apply(m);
        assertEquals(BookResult.OK, r, m.type() + " of " + m.token());
        all.add(m);
        // after each message the touch is where the model puts it: bid at or a tick below the last trade, ask 1-2 ticks above the bid
        int i = index.get(m.token());
        long tick = UNIVERSE.get(i).instrument().tickSize();
        long last = feed.price(i);
        long bid = b.book().bestBidPrice();
        long ask = b.book().bestAskPrice();
        assertTrue(bid == Math.max(tick, last) || bid == Math.max(tick, last - tick), "bid " + bid + " last " + last);
        assertTrue(ask - bid == tick || ask - bid == 2 * tick, "ask " + ask + " bid " + bid);
      }
    }
    long quoted = UNIVERSE.stream().filter(s -> s.instrument().kind() != InstrumentKind.IDX).count();
    assertEquals(quoted, books.size());
    assertTrue(all.size() > 9_000, "updates at about the configured rate: " + all.size());
    assertTrue(snapshots >= quoted * 4, "periodic snapshots: " + snapshots);
    for (int i = 0; i < UNIVERSE.size(); i++) {
      if (!feed.quoted(i)) continue;
      LiveBook b = books.get(UNIVERSE.get(i).token());
      assertNotNull(b);
      assertFalse(b.stale());
      BookSnapshot s = b.snapshot(20);
      assertEquals(10, s.askPrices().length);
      assertTrue(s.bidPrices().length > 0);
      long tick = UNIVERSE.get(i).instrument().tickSize();
      assertTrue(s.spread() > 0 && s.spread() <= 2 * tick, "spread " + s.spread());
    }
  }
}
