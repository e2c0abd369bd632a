package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
import io.tickloom.protocol.bars.SessionCalendar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The lane against the definition: after every settle, the values of every bar equal one uninterrupted run of the
 * kernels over the final series as it stands (latest revision of each bar), bit for bit, whatever revisions came in
 * between; and a lane restored from its state plus the bars after its boundary goes on exactly like the original.
 */
class IndicatorLaneTest {
  private static final long SEC = 1_000_000_000L;
  private static final long DAY0 = 1_700_006_400L * SEC; // a UTC midnight
  private static final Timeframe TF = Timeframe.M1;
  private static final List<String> NAMES = IndicatorSet.DEFAULT_NAMES;
  private static final LongUnaryOperator SESSION = new SessionCalendar(TradingHours.UTC_24H)::sessionStart;

  /** Latest values per bar start as the lane emitted them. */
  private static final class Emitted implements IndicatorLane.Sink {
    final TreeMap<Long, double[]> byStart = new TreeMap<>();
    int count;

    @Override
    public void onValues(Timeframe tf, long start, double[] values, boolean recomputed) {
      if (!recomputed && byStart.containsKey(start)) throw new AssertionError("values of " + start + " came twice as new");
      byStart.put(start, values);
      count++;
    }
  }

  /** Values of one uninterrupted run of the kernels over {@code series} (sorted by start). */
  private static TreeMap<Long, double[]> reference(Map<Long, Bar> series) {
    IndicatorSet set = IndicatorSet.of(NAMES);
    TreeMap<Long, double[]> out = new TreeMap<>();
    long prev = Long.MIN_VALUE;
    for (Bar b : series.values()) {
      long s = SESSION.applyAsLong(b.start());
      set.update(b, 2, 3, s != prev);
      prev = s;
      double[] v = new double[set.outputCount()];
      set.values(v);
      out.put(b.start(), v);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}, history {1}, seed {2}")
  @CsvSource({"CARRY, 600, 1", "CARRY, 12, 2", "SKIP, 600, 3", "SKIP, 7, 4", "CARRY, 1, 5"})
  void valuesEqualAnUninterruptedRunOverTheRevisedSeries(EmptyBarPolicy policy, int history, long seed) {
    Emitted emitted = new Emitted();
    IndicatorLane lane = new IndicatorLane(TF, NAMES, history, 2, 3, SESSION, emitted);
    TreeMap<Long, Bar> series = new TreeMap<>();
    List<Bar> pending = new ArrayList<>();
    BarAggregator agg = new BarAggregator(9, TradingHours.UTC_24H, policy, new Timeframe[] {TF}, SEC, history, pending::add);
    SplittableRandom rnd = new SplittableRandom(seed);
    long ts = DAY0 + 23 * 3600 * SEC; // crosses a UTC midnight: VWAP restarts
    long price = 100_00;
    int revisions = 0;
    for (int i = 0; i < 6_000; i++) {
      ts += rnd.nextLong(40 * SEC) + (rnd.nextInt(50) == 0 ? 600 * SEC : 0);
      price = Math.max(1, price + rnd.nextLong(-25, 26));
      long tickTs = ts;
      if (rnd.nextInt(12) == 0) tickTs = ts - rnd.nextLong(30 * 60 * SEC); // late: revises (or is too late)
      agg.onTick(tickTs, price, 1 + rnd.nextLong(5_000), i);
      for (Bar b : pending) {
        if (b.revision() > 0) revisions++;
        series.put(b.start(), b);
        lane.onFinal(b);
      }
      pending.clear();
      if (rnd.nextInt(7) == 0) {
        lane.settle();
        assertMatches(reference(series), emitted, history);
      }
    }
    lane.settle();
    assertMatches(reference(series), emitted, history);
    assertTrue(revisions > 10, "the run revised bars: " + revisions);
  }

  /** Every bar still in the lane's window (the last {@code history}) carries the reference values. */
  private static void assertMatches(TreeMap<Long, double[]> expected, Emitted emitted, int history) {
    int i = 0;
    int from = Math.max(0, expected.size() - history);
    for (Map.Entry<Long, double[]> e : expected.entrySet()) {
      if (i++ < from) continue;
      double[] got = emitted.byStart.get(e.getKey());
      assertArrayEquals(e.getValue(), got, "bar at " + e.getKey());
    }
  }

  @Test
  void aRestoredLaneGoesOnExactlyLikeTheOriginal() throws IOException {
    SplittableRandom rnd = new SplittableRandom(11);
    List<Bar> finals = new ArrayList<>();
    BarAggregator agg = new BarAggregator(9, TradingHours.UTC_24H, EmptyBarPolicy.CARRY, new Timeframe[] {TF}, SEC, 50, finals::add);
    long ts = DAY0;
    long price = 5_000_00;
    for (int i = 0; i < 20_000; i++) {
      ts += rnd.nextLong(20 * SEC);
      price = Math.max(1, price + rnd.nextLong(-100, 101));
      agg.onTick(rnd.nextInt(10) == 0 ? ts - rnd.nextLong(20 * 60 * SEC) : ts, price, 1 + rnd.nextLong(1_000), i);
    }
    Emitted original = new Emitted();
    IndicatorLane lane = new IndicatorLane(TF, NAMES, 50, 2, 3, SESSION, original);
    int cut = finals.size() / 2;
    for (int i = 0; i < cut; i++) lane.onFinal(finals.get(i));
    lane.settle();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    lane.writeState(new DataOutputStream(bytes));
    Emitted restoredOut = new Emitted();
    IndicatorLane restored = new IndicatorLane(TF, NAMES, 50, 2, 3, SESSION, restoredOut);
    restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    // What a warm start reads from the store: the latest revision of every final bar after the boundary.
    TreeMap<Long, Bar> stored = new TreeMap<>();
    for (int i = 0; i < cut; i++) stored.put(finals.get(i).start(), finals.get(i));
    for (Bar b : stored.tailMap(restored.boundary(), false).values()) restored.onFinal(b);
    restored.settle();

    double[] a = new double[lane.outputCount()];
    double[] b = new double[lane.outputCount()];
    lane.values(a);
    restored.values(b);
    assertArrayEquals(a, b);
    for (int i = cut; i < finals.size(); i++) {
      lane.onFinal(finals.get(i));
      restored.onFinal(finals.get(i));
    }
    lane.settle();
    restored.settle();
    assertFalse(original.byStart.tailMap(finals.get(cut).start()).isEmpty());
    for (Map.Entry<Long, double[]> e : restoredOut.byStart.tailMap(finals.get(cut - 1).start(), false).entrySet()) {
      assertArrayEquals(original.byStart.get(e.getKey()), e.getValue(), "bar at " + e.getKey());
    }
    lane.values(a);
    restored.values(b);
    assertArrayEquals(a, b);
  }

  @Test
  void peekEqualsTheValuesTheBarWouldConfirm() {
    Emitted out = new Emitted();
    IndicatorLane lane = new IndicatorLane(TF, NAMES, 10, 2, 3, SESSION, out);
    long start = DAY0;
    for (int i = 0; i < 300; i++, start += 60 * SEC) {
      Bar forming = new Bar(9, TF, start, start + 60 * SEC, 100_00 + i, 101_00 + i, 99_00 + i, 100_50 + (i * 37) % 90, 1_000 + i, 3, 100_20 + i, false, 0);
      double[] peeked = new double[lane.outputCount()];
      lane.peek(forming, peeked);
      lane.onFinal(new Bar(9, TF, forming.start(), forming.end(), forming.open(), forming.high(), forming.low(), forming.close(),
          forming.volume(), forming.trades(), forming.vwap(), true, 0));
      assertArrayEquals(out.byStart.get(start), peeked, "bar " + i);
    }
  }

  @Test
  void refusesWhatIsNotAFinalBarOfItsTimeframe() throws IOException {
    IndicatorLane lane = new IndicatorLane(TF, NAMES, 10, 2, 3, SESSION, (tf, s, v, r) -> {});
    assertThrows(IllegalArgumentException.class, () -> lane.onFinal(new Bar(9, Timeframe.M5, DAY0, DAY0 + 300 * SEC, 1, 1, 1, 1, 1, 1, 1, true, 0)));
    assertThrows(IllegalArgumentException.class, () -> lane.onFinal(new Bar(9, TF, DAY0, DAY0 + 60 * SEC, 1, 1, 1, 1, 1, 1, 1, false, 0)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    lane.writeState(new DataOutputStream(bytes));
    IndicatorLane other = new IndicatorLane(Timeframe.M5, NAMES, 10, 2, 3, SESSION, (tf, s, v, r) -> {});
    assertThrows(IOException.class, () -> other.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    IndicatorLane fewer = new IndicatorLane(TF, List.of("SMA_9"), 10, 2, 3, SESSION, (tf, s, v, r) -> {});
    assertThrows(IOException.class, () -> fewer.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    assertEquals(Long.MIN_VALUE, lane.boundary());
  }
}
