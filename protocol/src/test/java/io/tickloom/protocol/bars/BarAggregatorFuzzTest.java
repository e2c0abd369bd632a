package io.tickloom.protocol.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Property fuzzing of {@link BarAggregator}: the fuzzer picks the venue (NSE around its open or close, or a 24h venue
 * around midnight), the empty-bar policy, the grace, and a stream of ticks in any arrival order with heartbeats.
 * Every emitted bar is final, keeps {@code low <= open, close, vwap <= high}, and re-emits with {@code revision + 1};
 * a flat bar has no volume or trades; after {@link BarAggregator#flush()} the latest version of every bar holds
 * exactly its interval's ticks (volume the sum of their quantities, trades their count, high/low their extremes,
 * open/close the first/last by {@code (exchangeTs, seq)}), and every tick is in a bar of every timeframe or counted
 * out of session. The history is large enough that no tick is too late. Seeds in
 * {@code BarAggregatorFuzzTestInputs/ticks}.
 */
class BarAggregatorFuzzTest {
  private static final Timeframe[] TFS = {Timeframe.S1, Timeframe.S5, Timeframe.M1};
  private static final long SEC = Timestamps.NANOS_PER_SECOND;
  private static final String[] STARTS = {"2026-01-15T09:14:00+05:30", "2026-01-15T15:25:00+05:30", "2026-01-15T23:55:00Z"};

  record T(long ts, long price, long qty, long seq) {}

  record Key(Timeframe tf, long start) {}

  @FuzzTest(maxDuration = "10s")
  void ticks(FuzzedDataProvider data) {
    int venue = data.consumeInt(0, 2);
    TradingHours hours = venue < 2 ? TradingHours.NSE : TradingHours.UTC_24H;
    long base = Timestamps.of(OffsetDateTime.parse(STARTS[venue]).toInstant());
    EmptyBarPolicy policy = data.consumeBoolean() ? EmptyBarPolicy.CARRY : EmptyBarPolicy.SKIP;
    long grace = data.consumeLong(0, 3 * SEC);
    Map<Key, Bar> latest = new HashMap<>();
    BarAggregator bars = new BarAggregator(9, hours, policy, TFS, grace, 4096, bar -> {
      check(bar);
      Bar before = latest.put(new Key(bar.tf(), bar.start()), bar);
      assertEquals(before == null ? 0 : before.revision() + 1, bar.revision(), () -> "revision of " + bar + " after " + before);
    });

    List<T> ticks = new ArrayList<>();
    for (int step = 0; step < 300 && data.remainingBytes() > 0; step++) {
      long offset = data.consumeLong(0, 600 * SEC);
      long ts = base + (data.consumeBoolean() ? offset : offset - offset % (SEC / 4)); // quarter seconds: ties on bar edges
      if (data.consumeInt(0, 9) == 0) {
        bars.advanceClock(ts);
        continue;
      }
      T t = new T(ts, data.consumeLong(1, data.consumeBoolean() ? 1_000 : 1_000_000_000_000L), data.consumeLong(0, 1_000_000), step);
      ticks.add(t);
      bars.onTick(t.ts(), t.price(), t.qty(), t.seq());
    }
    bars.flush();
    assertEquals(0, bars.tooLateTicks());

    // every tick lies in exactly the latest bar of its interval per timeframe, or out of session (then in none)
    long outOfSession = 0;
    Map<Key, List<T>> byBar = new HashMap<>();
    for (T t : ticks) {
      int found = 0;
      for (Timeframe tf : TFS) {
        for (Bar b : latest.values()) {
          if (b.tf() == tf && b.start() <= t.ts() && t.ts() < b.end()) {
            byBar.computeIfAbsent(new Key(tf, b.start()), k -> new ArrayList<>()).add(t);
            found++;
          }
        }
      }
      assertTrue(found == 0 || found == TFS.length, "a tick is in one bar of every timeframe, or in none: " + t);
      if (found == 0) outOfSession++;
    }
    assertEquals(outOfSession, bars.outOfSessionTicks(), "ticks in no bar are the out-of-session ones");
    for (Map.Entry<Key, Bar> e : latest.entrySet()) {
      Bar b = e.getValue();
      List<T> in = byBar.getOrDefault(e.getKey(), List.of());
      assertEquals(in.size(), b.trades(), () -> "trades of " + b);
      if (in.isEmpty()) continue;
      assertEquals(in.stream().mapToLong(T::qty).sum(), b.volume(), () -> "volume of " + b);
      assertEquals(in.stream().mapToLong(T::price).max().orElseThrow(), b.high());
      assertEquals(in.stream().mapToLong(T::price).min().orElseThrow(), b.low());
      T first = in.stream().min((x, y) -> x.ts() != y.ts() ? Long.compare(x.ts(), y.ts()) : Long.compare(x.seq(), y.seq())).orElseThrow();
      T last = in.stream().max((x, y) -> x.ts() != y.ts() ? Long.compare(x.ts(), y.ts()) : Long.compare(x.seq(), y.seq())).orElseThrow();
      assertEquals(first.price(), b.open(), () -> "open of " + b);
      assertEquals(last.price(), b.close(), () -> "close of " + b);
    }
  }

  private static void check(Bar b) {
    assertNotNull(b.tf());
    assertTrue(b.isFinal(), "the sink receives final bars only");
    assertTrue(b.start() < b.end() && b.end() - b.start() <= b.tf().nanos(), () -> "interval of " + b);
    assertTrue(b.low() <= b.open() && b.open() <= b.high(), () -> "open within low/high: " + b);
    assertTrue(b.low() <= b.close() && b.close() <= b.high(), () -> "close within low/high: " + b);
    assertTrue(b.low() <= b.vwap() && b.vwap() <= b.high(), () -> "vwap within low/high: " + b);
    assertTrue(b.volume() >= 0 && b.trades() >= 0);
    if (b.trades() == 0) {
      assertTrue(b.open() == b.close() && b.high() == b.low() && b.open() == b.high() && b.vwap() == b.close() && b.volume() == 0,
          () -> "a flat bar: " + b);
    }
  }
}
