package io.tickloom.cluster.sim;

import io.tickloom.protocol.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedFeedTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long START = 1_787_024_700L * SECOND; // 2026-08-18T03:45:00Z, 09:15 IST
  private static final List<SimInstrument> UNIVERSE = SimUniverse.nse(LocalDate.of(2026, 8, 18), 11);
  private static final Map<Long, SimInstrument> BY_TOKEN = new HashMap<>();

  static {
    for (SimInstrument s : UNIVERSE) BY_TOKEN.put(s.token(), s);
  }

  /** All faults on, nothing lost, no catch-up skipping. */
  private static final SimSettings ALL_FAULTS = new SimSettings(5_000, 0.2, 0.02, 0.02, 0.02, 0.0, 0);

  private static List<Tick> run(SimulatedFeed feed, long from, long duration, long step) {
    List<Tick> out = new ArrayList<>();
    for (long t = from; t <= from + duration; t += step) feed.poll(t, out::add);
    return out;
  }

  private static Instrument inst(Tick t) {
    return BY_TOKEN.get(t.token()).instrument();
  }

  @Test
  void sameSeedAndPollTimesGiveIdenticalTicks() {
    List<Tick> a = run(new SimulatedFeed(UNIVERSE, SimSettings.DEFAULT, 7), START, 20 * SECOND, 10 * MS);
    List<Tick> b = run(new SimulatedFeed(UNIVERSE, SimSettings.DEFAULT, 7), START, 20 * SECOND, 10 * MS);
    assertTrue(a.size() > 3_000, "ticks: " + a.size());
    assertEquals(a, b);
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    List<Tick> a = run(new SimulatedFeed(UNIVERSE, SimSettings.DEFAULT, 7), START, 5 * SECOND, 10 * MS);
    List<Tick> b = run(new SimulatedFeed(UNIVERSE, SimSettings.DEFAULT, 8), START, 5 * SECOND, 10 * MS);
    assertNotEquals(a, b);
  }

  @Test
  void tickContentDoesNotDependOnPollCadence() {
    List<Tick> fine = run(new SimulatedFeed(UNIVERSE, ALL_FAULTS, 3), START, 10 * SECOND, MS);
    List<Tick> coarse = run(new SimulatedFeed(UNIVERSE, ALL_FAULTS, 3), START, 10 * SECOND, 250 * MS);
    int common = Math.min(fine.size(), coarse.size()) - 2_000; // the coarse run stops up to 250 ms earlier
    assertTrue(common > 40_000, "ticks: " + common);
    for (int i = 0; i < common; i++) {
      assertEquals(fine.get(i).withReceiveTs(0), coarse.get(i).withReceiveTs(0), "tick " + i);
    }
  }

  @Test
  void everyTickIsDeliveredAtOrAfterItsExchangeTimeWithReceiveTsOfThePoll() {
    List<Long> pollTimes = new ArrayList<>();
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, ALL_FAULTS, 5);
    List<Tick> ticks = new ArrayList<>();
    for (long t = START; t <= START + 5 * SECOND; t += 7 * MS) {
      int before = ticks.size();
      assertEquals(feed.poll(t, ticks::add), ticks.size() - before, "poll returns how many it delivered");
      pollTimes.add(t);
      for (int i = before; i < ticks.size(); i++) {
        Tick k = ticks.get(i);
        assertEquals(t, k.receiveTs());
        assertTrue(k.exchangeTs() <= t, "not delivered before its exchange time");
      }
    }
    assertEquals(ticks.size(), feed.emitted());
    assertTrue(pollTimes.size() > 700);
  }

  @Test
  void pricesAreAlwaysPositiveMultiplesOfTheTickAndQuantitiesWholeLots() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.DEFAULT.withTicksPerSecond(10_000), 17);
    List<Tick> ticks = run(feed, START, 12 * SECOND, 5 * MS);
    assertTrue(ticks.size() > 100_000, "ticks: " + ticks.size());
    for (Tick t : ticks) {
      Instrument i = inst(t);
      SimInstrument s = BY_TOKEN.get(t.token());
      assertTrue(t.price() > 0 && t.price() % i.tickSize() == 0, i.symbol() + " price " + t.price());
      assertEquals(Tick.NO_TRADE_ID, t.tradeId());
      assertEquals(TickStatus.LIVE, t.status());
      if (i.kind() == InstrumentKind.IDX) {
        assertEquals(0, t.qty());
        assertNull(t.side());
        assertEquals(Tick.NO_PRICE, t.bid());
      } else {
        assertTrue(t.qty() > 0 && t.qty() % i.lotSize() == 0, i.symbol() + " qty " + t.qty());
        assertNotNull(t.side());
        assertTrue(t.ask() > t.price() || t.ask() == t.price(), "ask at or above the trade");
        assertTrue(t.bid() == Tick.NO_PRICE || (t.bid() > 0 && t.bid() <= t.price() && t.bid() % i.tickSize() == 0));
        assertTrue(t.ask() % i.tickSize() == 0);
      }
      if (i.kind() == InstrumentKind.EQ || i.kind() == InstrumentKind.IDX) {
        long band = s.startPrice() / 20 + 200 * i.tickSize();
        assertTrue(Math.abs(t.price() - s.startPrice()) <= band, i.symbol() + " wandered to " + t.price());
      }
    }
  }

  @Test
  void derivativesFollowTheIndex() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(2_000), 23);
    long index = BY_TOKEN.get(SimUniverse.NIFTY_50_TOKEN).startPrice();
    int futures = 0;
    int options = 0;
    for (Tick t : run(feed, START, 20 * SECOND, 10 * MS)) { // clean stream: delivery order is trade order
      SimInstrument s = BY_TOKEN.get(t.token());
      Instrument i = s.instrument();
      double years = SimPricing.years(s.daysToExpiry());
      if (i.kind() == InstrumentKind.IDX) {
        index = t.price();
      } else if (i.kind() == InstrumentKind.FUT) {
        long fair = SimPricing.future(index, years, i.tickSize());
        assertTrue(Math.abs(t.price() - fair) <= 2 * i.tickSize(), i.symbol() + " " + t.price() + " vs fair " + fair);
        futures++;
      } else if (i.kind() == InstrumentKind.OPT) {
        long fair = SimPricing.option(index, i.strike(), years, i.optionType().name().equals("CE"), i.tickSize());
        assertTrue(Math.abs(t.price() - fair) <= i.tickSize(), i.symbol() + " " + t.price() + " vs fair " + fair);
        options++;
      }
    }
    assertTrue(futures > 1_000 && options > 5_000, "futures " + futures + ", options " + options);
  }

  @Test
  void unionOfFeedsHasContiguousSeqsWhenNothingIsLost() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, ALL_FAULTS, 29);
    long duration = 30 * SECOND;
    List<Tick> ticks = run(feed, START, duration, 5 * MS);
    long cut = START + duration - 5 * SECOND; // every trade before the cut has been delivered by the end
    Map<Long, BitSet> seqs = seqsUpTo(ticks, cut);
    assertEquals(UNIVERSE.size(), seqs.size(), "every instrument traded");
    for (var e : seqs.entrySet()) {
      BitSet b = e.getValue();
      assertEquals(b.length() - 1, b.cardinality(), BY_TOKEN.get(e.getKey()).instrument().symbol() + " has holes");
      assertTrue(b.get(1));
    }
    assertTrue(feed.dropped() > 1_000 && feed.late() > 1_000 && feed.reordered() > 1_000 && feed.secondaryCopies() > 10_000);
    assertEquals(0, feed.lost());
  }

  @Test
  void onlyDeliberatelyLostSeqsAreMissing() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, new SimSettings(5_000, 0.2, 0.02, 0.02, 0.02, 0.3, 0), 31);
    long duration = 30 * SECOND;
    List<Tick> ticks = run(feed, START, duration, 5 * MS);
    Map<Long, BitSet> seqs = seqsUpTo(ticks, START + duration - 5 * SECOND);
    long holes = 0;
    for (BitSet b : seqs.values()) holes += b.length() - 1 - b.cardinality();
    assertTrue(holes > 0 && holes <= feed.lost(), "holes " + holes + ", lost " + feed.lost());
    assertTrue(holes >= feed.lost() * 6 / 10, "most lost trades lie before the cut: holes " + holes + ", lost " + feed.lost());
  }

  @Test
  void faultRatesAreRoughlyAsConfigured() {
    SimSettings s = new SimSettings(10_000, 0.1, 0.02, 0.03, 0.01, 0.25, 0);
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, s, 37);
    long duration = 14 * SECOND;
    List<Tick> ticks = run(feed, START, duration, MS);
    long cut = START + duration - 4 * SECOND;

    Map<Long, BitSet> primary = new HashMap<>();
    Map<Long, BitSet> secondary = new HashMap<>();
    Map<Long, Long> highestPrimary = new HashMap<>();
    long late = 0;
    long reordered = 0;
    for (Tick t : ticks) {
      if (t.exchangeTs() > cut) continue;
      if (t.feed() == Feed.SECONDARY) {
        secondary.computeIfAbsent(t.token(), k -> new BitSet()).set((int) t.seq());
        continue;
      }
      primary.computeIfAbsent(t.token(), k -> new BitSet()).set((int) t.seq());
      long delay = t.receiveTs() - t.exchangeTs();
      if (delay >= 1_500 * MS) {
        assertTrue(delay <= 3_000 * MS + MS, "late by " + delay);
        late++;
      } else if (t.seq() < highestPrimary.getOrDefault(t.token(), 0L)) {
        reordered++;
      }
      highestPrimary.merge(t.token(), t.seq(), Math::max);
    }
    long total = 0;
    long noPrimary = 0;
    long holes = 0;
    long withPrimary = 0;
    long copied = 0;
    for (var e : primary.entrySet()) {
      BitSet p = e.getValue();
      BitSet sec = secondary.getOrDefault(e.getKey(), new BitSet());
      BitSet union = (BitSet) p.clone();
      union.or(sec);
      int n = union.length() - 1;
      total += n;
      for (int q = 1; q <= n; q++) {
        if (!p.get(q)) {
          noPrimary++;
          if (!sec.get(q)) holes++;
        } else {
          withPrimary++;
          if (sec.get(q)) copied++;
        }
      }
    }
    assertTrue(total > 90_000, "trades before the cut: " + total);
    assertWithin("gap rate", (double) noPrimary / total, 0.014, 0.026);
    assertWithin("lost share", (double) holes / noPrimary, 0.18, 0.32);
    assertWithin("late rate", (double) late / total, 0.007, 0.013);
    assertWithin("reorder rate", (double) reordered / total, 0.022, 0.038);
    assertWithin("secondary share", (double) copied / withPrimary, 0.085, 0.115);
  }

  @Test
  void zeroRatesProduceACleanOrderedSingleFeedStream() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(2_000), 41);
    List<Tick> ticks = run(feed, START, 20 * SECOND, 10 * MS);
    assertTrue(ticks.size() > 35_000, "ticks: " + ticks.size());
    Map<Long, Long> lastSeq = new HashMap<>();
    long lastTs = Long.MIN_VALUE;
    for (Tick t : ticks) {
      assertEquals(Feed.PRIMARY, t.feed());
      assertEquals(lastSeq.getOrDefault(t.token(), 0L) + 1, t.seq(), inst(t).symbol());
      lastSeq.put(t.token(), t.seq());
      assertTrue(t.exchangeTs() >= lastTs, "exchange time never goes back");
      lastTs = t.exchangeTs();
      assertTrue(t.receiveTs() - t.exchangeTs() < 10 * MS, "delivered by the first poll after its time");
    }
    assertEquals(0, feed.pending());
    assertEquals(ticks.size(), feed.generated());
    assertEquals(0, feed.dropped() + feed.late() + feed.reordered() + feed.secondaryCopies() + feed.lost());
  }

  @Test
  void ticksPerSecondIsSharedByWeight() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(1_000), 43);
    List<Tick> ticks = run(feed, START, 60 * SECOND, 20 * MS);
    assertWithin("ticks per second", ticks.size() / 60.0, 970, 1_030);
    long reliance = ticks.stream().filter(t -> inst(t).symbol().equals("RELIANCE")).count(); // weight 6
    long techm = ticks.stream().filter(t -> inst(t).symbol().equals("TECHM")).count(); // weight 2
    assertWithin("RELIANCE : TECHM", (double) reliance / techm, 2.5, 3.6);
  }

  @Test
  void pollingAfterALongPauseSkipsTheBacklogInsteadOfBursting() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(1_000), 47);
    feed.poll(START, t -> {});
    List<Tick> burst = new ArrayList<>();
    feed.poll(START + 600 * SECOND, burst::add);
    assertTrue(burst.size() < 100, "no replay of ten minutes of trades: " + burst.size());
    assertTrue(feed.skippedNanos() > 590 * SECOND);
    List<Tick> after = run(feed, START + 600 * SECOND + 10 * MS, 2 * SECOND, 10 * MS);
    assertWithin("ticks per second after the pause", after.size() / 2.0, 850, 1_150);
  }

  @Test
  void deliveringATickAllocatesLittleBeyondTheTick() {
    SimulatedFeed feed = new SimulatedFeed(UNIVERSE, SimSettings.clean(20_000), 53);
    long[] now = {START};
    long[] count = {0};
    TickSink sink = t -> count[0]++;
    long bytes = Allocations.measure(() -> {
      for (int i = 0; i < 5_000; i++) {
        now[0] += MS;
        feed.poll(now[0], sink);
      }
    });
    long perTick = bytes / (count[0] / 2);
    assertTrue(perTick <= 160, "bytes per tick " + perTick + " (a Tick is about 100)");
  }

  @Test
  void invalidSettingsAndUniversesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SimSettings(0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SimSettings(10, 1.5, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SimSettings(10, 0, 0.5, 0.3, 0.3, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SimSettings(10, 0, 0, 0, 0, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedFeed(List.of(), SimSettings.DEFAULT, 1));
    List<SimInstrument> optionsOnly = UNIVERSE.stream().filter(s -> s.instrument().kind() == InstrumentKind.OPT).toList();
    assertThrows(IllegalArgumentException.class, () -> new SimulatedFeed(optionsOnly, SimSettings.DEFAULT, 1));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedFeed(List.of(UNIVERSE.get(0), UNIVERSE.get(0)), SimSettings.DEFAULT, 1));
  }

  private static Map<Long, BitSet> seqsUpTo(List<Tick> ticks, long cut) {
    Map<Long, BitSet> seqs = new HashMap<>();
    for (Tick t : ticks) {
      if (t.exchangeTs() <= cut) seqs.computeIfAbsent(t.token(), k -> new BitSet()).set((int) t.seq());
    }
    return seqs;
  }

  private static void assertWithin(String what, double value, double lo, double hi) {
    assertTrue(value >= lo && value <= hi, what + " = " + value + ", expected within [" + lo + ", " + hi + "]");
  }
}
