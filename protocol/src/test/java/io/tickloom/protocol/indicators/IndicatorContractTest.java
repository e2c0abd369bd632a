package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@link Indicator} contract on every kernel, with default and edge parameters (period 1, short windows that
 * re-sum often): peek equals update on a copy bit for bit and changes nothing; copies and {@code copyFrom} evolve
 * bit-identically; reset is a fresh start; the first output comes at the lookback; no allocation.
 */
class IndicatorContractTest {
  private static final List<String> NAMES = List.of("SMA_1", "SMA_3", "SMA_20", "EMA_1", "EMA_9", "RSI_1", "RSI_14",
      "MACD_2_3_1", "MACD_12_26_9", "BB_1_2", "BB_3_2.5", "BB_20_2", "ATR_1", "ATR_14", "VWAP");

  private static Series bars() {
    Series s = Series.randomWalk(7L, 600, 250);
    Random r = new Random(8L);
    for (int i = 0; i < s.size; i++) s.sessionStart[i] = r.nextInt(50) == 0;
    return s;
  }

  private static void assertBitIdentical(double[] want, double[] got, String context) {
    assertEquals(want.length, got.length, context);
    for (int i = 0; i < want.length; i++) {
      assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
          context + " output " + i + ": " + want[i] + " vs " + got[i]);
    }
  }

  private static double[] values(Indicator ind) {
    double[] v = new double[ind.outputs().size()];
    for (int i = 0; i < v.length; i++) v[i] = ind.value(i);
    return v;
  }

  @Test
  void peekEqualsUpdateOnACopyAndChangesNothing() {
    Series s = bars();
    for (String name : NAMES) {
      Indicator ind = Indicators.parse(name);
      Indicator untouched = Indicators.parse(name);
      double[] peeked = new double[ind.outputs().size()];
      for (int i = 0; i < s.size; i++) {
        double[] before = values(ind);
        boolean readyBefore = ind.ready();
        // a forming bar: the final bar's values, then a few other prices it passed through
        for (int j = 0; j < 3; j++) {
          double c = s.close[i] * (1 + 0.001 * (j - 1));
          ind.peek(s.open[i], Math.max(s.high[i], c), Math.min(s.low[i], c), c, s.volume[i] / (j + 1), Double.NaN,
              s.sessionStart[i], peeked, 0);
        }
        ind.peek(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, s.sessionStart[i], peeked, 0);
        assertBitIdentical(before, values(ind), name + " values changed by peek at bar " + i);
        assertEquals(readyBefore, ind.ready());

        Indicator copy = ind.copy();
        s.update(copy, i);
        assertBitIdentical(values(copy), peeked, name + " peek vs update on a copy at bar " + i);

        s.update(ind, i);
        s.update(untouched, i);
        assertBitIdentical(values(untouched), values(ind), name + " after peeks at bar " + i);
        assertBitIdentical(values(copy), values(ind), name + " copy at bar " + i);
      }
    }
  }

  @Test
  void peekWritesAtTheOffsetOnly() {
    Indicator macd = Indicators.parse("MACD_2_3_1");
    for (int i = 0; i < 5; i++) macd.update(10, 11, 9, 10 + i, 1, Double.NaN, false);
    double[] out = {7, 7, 7, 7, 7, 7};
    macd.peek(10, 12, 9, 12, 1, Double.NaN, false, out, 2);
    assertEquals(7, out[0]);
    assertEquals(7, out[1]);
    assertEquals(7, out[5]);
    assertFalse(Double.isNaN(out[2]) || Double.isNaN(out[3]) || Double.isNaN(out[4]));
  }

  @Test
  void copyFromAndCopyEvolveBitIdentically() {
    Series s = bars();
    for (String name : NAMES) {
      Indicator a = Indicators.parse(name);
      for (int i = 0; i < 250; i++) s.update(a, i);
      Indicator b = a.copy();
      assertNotSame(a, b);
      Indicator c = Indicators.parse(name);
      for (int i = 0; i < 40; i++) s.update(c, s.size - 1 - i); // some unrelated state, overwritten below
      c.copyFrom(a);
      for (int i = 250; i < s.size; i++) {
        s.update(a, i);
        s.update(b, i);
        s.update(c, i);
        assertBitIdentical(values(a), values(b), name + " copy() at bar " + i);
        assertBitIdentical(values(a), values(c), name + " copyFrom at bar " + i);
        assertEquals(a.ready(), c.ready());
      }
    }
  }

  @Test
  void copyFromRefusesAnotherKindOrOtherParameters() {
    Indicator sma = Indicators.parse("SMA_20");
    assertThrows(IllegalArgumentException.class, () -> sma.copyFrom(Indicators.parse("SMA_21")));
    assertThrows(IllegalArgumentException.class, () -> sma.copyFrom(Indicators.parse("EMA_20")));
    assertThrows(IllegalArgumentException.class, () -> Indicators.parse("BB_20_2").copyFrom(Indicators.parse("BB_20_2.5")));
    assertThrows(IllegalArgumentException.class, () -> sma.copyFrom(null));
  }

  @Test
  void resetStartsAfresh() {
    Series s = bars();
    for (String name : NAMES) {
      Indicator used = Indicators.parse(name);
      for (int i = 0; i < 300; i++) s.update(used, i);
      used.reset();
      assertFalse(used.ready(), name);
      assertTrue(Double.isNaN(used.value(0)), name);
      Indicator fresh = Indicators.parse(name);
      for (int i = 300; i < s.size; i++) {
        s.update(used, i);
        s.update(fresh, i);
        assertBitIdentical(values(fresh), values(used), name + " after reset, bar " + i);
      }
    }
  }

  @Test
  void firstOutputComesAtTheLookbackForEveryOutput() {
    Series s = bars();
    for (String name : NAMES) {
      Indicator ind = Indicators.parse(name);
      for (int i = 0; i < s.size; i++) {
        s.update(ind, i);
        boolean expectReady = i >= ind.lookback();
        assertEquals(expectReady, ind.ready(), name + " at bar " + i);
        for (int j = 0; j < ind.outputs().size(); j++) {
          assertEquals(expectReady, !Double.isNaN(ind.value(j)), name + " output " + j + " at bar " + i);
        }
      }
    }
  }

  @Test
  void lookbacksAreTaLibs() {
    assertEquals(19, new Sma(20).lookback());
    assertEquals(8, new Ema(9).lookback());
    assertEquals(14, new Rsi(14).lookback());
    assertEquals(33, new Macd(12, 26, 9).lookback());
    assertEquals(19, new BollingerBands(20, 2).lookback());
    assertEquals(14, new Atr(14).lookback());
    assertEquals(0, new SessionVwap().lookback());
  }

  @Test
  void bollingerMiddleIsBitIdenticalToTheSma() {
    Series s = Series.randomWalk(3L, 5_000, 40_000);
    Sma sma = new Sma(20);
    BollingerBands bb = new BollingerBands(20, 2);
    for (int i = 0; i < s.size; i++) {
      s.update(sma, i);
      s.update(bb, i);
      assertEquals(Double.doubleToRawLongBits(sma.value(0)), Double.doubleToRawLongBits(bb.value(BollingerBands.MIDDLE)));
    }
  }

  @Test
  void updateAndPeekOfTheDefaultSetDoNotAllocate() {
    Series s = Series.randomWalk(11L, 4_000, 1000);
    IndicatorSet set = IndicatorSet.defaults();
    double[] out = new double[set.outputCount()];
    int[] next = {0};
    Runnable block = () -> {
      for (int k = 0; k < 1_000; k++) {
        int i = next[0]++;
        set.peek(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, i % 390 == 0, out);
        set.update(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, i % 390 == 0);
        set.values(out);
      }
    };
    block.run(); // warm-up past every lookback (SMA_200), so the measured bars run the steady-state paths
    block.run();
    // Allocations.measure runs the block once more to warm up, then measures a fourth run of 1,000 bars.
    long bytes = Allocations.measure(block);
    assertEquals(0, bytes, "bytes allocated by 1,000 x (peek + update + values) of " + set);
    assertTrue(set.get(0).ready());
  }

  @Test
  void defaultSetHasTheSpecNamesAndOutputs() {
    IndicatorSet set = IndicatorSet.defaults();
    assertEquals(IndicatorSet.DEFAULT_NAMES, set.names());
    List<String> outputs = new ArrayList<>(set.outputNames());
    assertEquals(List.of("SMA_9", "SMA_20", "SMA_50", "SMA_200", "EMA_9", "EMA_21", "RSI_14", "MACD_12_26_9.macd",
        "MACD_12_26_9.signal", "MACD_12_26_9.hist", "BB_20_2.middle", "BB_20_2.upper", "BB_20_2.lower", "ATR_14", "VWAP"),
        outputs);
    assertEquals(15, set.outputCount());
    assertEquals(7, set.offset(7));
    assertEquals(10, set.offset(8));
  }
}
