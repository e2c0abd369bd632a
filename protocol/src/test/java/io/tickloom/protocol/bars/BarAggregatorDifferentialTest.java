package io.tickloom.protocol.bars;

import static io.tickloom.protocol.bars.SessionCalendarTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live bars vs bars rebuilt from stored ticks: a seeded random tick stream fed in a reordered arrival order
 * (with heartbeats) must end, after taking the latest revision of every bar, exactly where the same ticks
 * sorted by {@code (exchangeTs, seq)} end.
 */
class BarAggregatorDifferentialTest {
  private static final long SEC = Timestamps.NANOS_PER_SECOND;
  private static final Timeframe[] TFS = {Timeframe.S15, Timeframe.M1, Timeframe.M5, Timeframe.H1, Timeframe.D1};

  record T(long ts, long price, long qty, long seq) {}

  record Key(Timeframe tf, long start) {}

  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (long seed : new long[] {1, 2, 3}) {
      list.add(Arguments.of("UTC_24H", EmptyBarPolicy.CARRY, seed));
      list.add(Arguments.of("UTC_24H", EmptyBarPolicy.SKIP, seed));
      list.add(Arguments.of("NSE", EmptyBarPolicy.CARRY, seed));
      list.add(Arguments.of("NSE", EmptyBarPolicy.SKIP, seed));
    }
    return list.stream();
  }

  @ParameterizedTest(name = "{0} {1} seed {2}")
  @MethodSource("cases")
  void reorderedArrivalEndsWithSameBarsAsSortedTicks(String venue, EmptyBarPolicy policy, long seed) {
    TradingHours hours = venue.equals("NSE") ? TradingHours.NSE : TradingHours.UTC_24H;
    Random random = new Random(seed);
    List<T> sorted = generate(random, t("2026-01-15T09:00:00+05:30"), 20_000);

    // arrival order: some ticks delayed by up to 60 positions
    double[] key = new double[sorted.size()];
    for (int i = 0; i < key.length; i++) key[i] = i + (random.nextDouble() < 0.15 ? random.nextInt(60) : 0) + 0.5 * i / key.length;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < key.length; i++) order.add(i);
    order.sort(Comparator.comparingDouble(i -> key[i]));

    Map<Key, Bar> expected = new HashMap<>();
    BarAggregator rebuilt = new BarAggregator(7, hours, policy, TFS, SEC, 1_000_000, bar -> {
      if (expected.put(new Key(bar.tf(), bar.start()), bar) != null) fail("sorted run emitted " + bar + " twice");
      assertEquals(0, bar.revision());
    });
    for (T x : sorted) rebuilt.onTick(x.ts, x.price, x.qty, x.seq);
    rebuilt.flush();
    assertEquals(0, rebuilt.lateTicks());

    Map<Key, Bar> live = new HashMap<>();
    BarAggregator arrival = new BarAggregator(7, hours, policy, TFS, SEC, 1_000_000, bar -> {
      Bar previous = live.put(new Key(bar.tf(), bar.start()), bar);
      int expectedRevision = previous == null ? 0 : previous.revision() + 1;
      assertEquals(expectedRevision, bar.revision(), () -> "revision sequence of " + bar);
      assertTrue(bar.isFinal());
    });
    long maxTs = Long.MIN_VALUE;
    for (int i : order) {
      T x = sorted.get(i);
      arrival.onTick(x.ts, x.price, x.qty, x.seq);
      maxTs = Math.max(maxTs, x.ts);
      if (random.nextInt(20) == 0) arrival.advanceClock(maxTs + random.nextInt(3) * SEC);
    }
    arrival.flush();

    assertTrue(arrival.lateTicks() > 100, "the reorder produced late ticks: " + arrival.lateTicks());
    assertEquals(0, arrival.tooLateTicks());
    assertEquals(rebuilt.outOfSessionTicks(), arrival.outOfSessionTicks());
    if (venue.equals("NSE")) assertTrue(rebuilt.outOfSessionTicks() > 0);
    if (policy == EmptyBarPolicy.CARRY) assertTrue(expected.values().stream().anyMatch(b -> b.trades() == 0));
    assertEquals(expected.keySet(), live.keySet());
    for (Map.Entry<Key, Bar> e : expected.entrySet()) {
      Bar want = e.getValue();
      Bar got = live.get(e.getKey());
      assertTrue(want.sameValues(got), () -> "expected " + want + "\n but was " + got);
    }
  }

  /** Ticks in (exchangeTs, seq) order: mostly seconds apart, some minutes, a few jumps of up to 3 h (NSE sessions close). */
  static List<T> generate(Random random, long start, int n) {
    List<T> ticks = new ArrayList<>(n);
    long ts = start;
    long price = 1_000_000;
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(100);
      if (kind < 10) {
        ts += 0; // same timestamp: seq decides
      } else if (kind < 90) {
        ts += 1 + random.nextInt(20_000) * 1_000_000L;
      } else if (kind < 99) {
        ts += random.nextInt(300) * SEC;
      } else {
        ts += random.nextInt(3 * 3600) * SEC;
      }
      price += random.nextInt(21) - 10;
      long qty = random.nextInt(5) == 0 ? 0 : random.nextInt(1000);
      ticks.add(new T(ts, price, qty, i + 1));
    }
    return ticks;
  }
}
