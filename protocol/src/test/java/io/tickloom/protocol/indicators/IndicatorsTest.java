package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names to kernels ({@link Indicators#parse}) and the {@link IndicatorSet} around them. */
class IndicatorsTest {

  @Test
  void parsesEverySpecName() {
    assertInstanceOf(Sma.class, Indicators.parse("SMA_20"));
    assertInstanceOf(Ema.class, Indicators.parse("EMA_9"));
    assertInstanceOf(Rsi.class, Indicators.parse("RSI_14"));
    assertInstanceOf(Atr.class, Indicators.parse("ATR_14"));
    assertInstanceOf(SessionVwap.class, Indicators.parse("VWAP"));
    Macd macd = (Macd) Indicators.parse("MACD_12_26_9");
    assertEquals(List.of(12, 26, 9), List.of(macd.fast(), macd.slow(), macd.signal()));
    assertEquals(List.of("MACD_12_26_9.macd", "MACD_12_26_9.signal", "MACD_12_26_9.hist"), macd.outputs());
    BollingerBands bb = (BollingerBands) Indicators.parse("BB_20_2");
    assertEquals(20, bb.period());
    assertEquals(2.0, bb.k());
    assertEquals(List.of("BB_20_2.middle", "BB_20_2.upper", "BB_20_2.lower"), bb.outputs());
    assertEquals(List.of("RSI_14"), Indicators.parse("RSI_14").outputs());
  }

  @Test
  void namesAreCanonical() {
    assertEquals("BB_20_2.5", Indicators.parse("BB_20_2.5").name());
    assertEquals("BB_20_2", Indicators.parse("BB_20_2.0").name());
    assertEquals("BB_20_0.5", Indicators.parse("BB_20_0.50").name());
    assertEquals("SMA_20", Indicators.parse("SMA_020").name());
    assertEquals("SMA_10000", Indicators.parse("SMA_10000").name());
    assertEquals("SMA_1", Indicators.parse("SMA_1").name());
  }

  @Test
  void badNamesAreRefusedWithTheReason() {
    for (String bad : new String[] {"", "SMA", "SMA_", "sma_20", "SMA_20 ", "SMA_-1", "SMA_2.5", "FOO_3", "VWAP_5",
        "MACD_12_26", "MACD_12_26_9_1", "BB_20", "BB_20_", "BB_20_-1", "BB_20_2e1", "RSI14"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Indicators.parse(bad), bad);
      assertTrue(e.getMessage().contains("unknown indicator '" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("SMA_n"), e.getMessage());
    }
    assertEquals("bad indicator 'SMA_0': SMA period must be in 1..10000: 0", message("SMA_0"));
    assertEquals("bad indicator 'EMA_10001': EMA period must be in 1..10000: 10001", message("EMA_10001"));
    assertEquals("bad indicator 'RSI_99999999999': RSI period must be in 1..10000: 99999999999", message("RSI_99999999999"));
    assertEquals("bad indicator 'ATR_0': ATR period must be in 1..10000: 0", message("ATR_0"));
    assertEquals("bad indicator 'MACD_26_12_9': MACD fast period must be below the slow period: 26 >= 12",
        message("MACD_26_12_9"));
    assertEquals("bad indicator 'MACD_12_12_9': MACD fast period must be below the slow period: 12 >= 12",
        message("MACD_12_12_9"));
    assertEquals("bad indicator 'MACD_12_26_0': MACD signal period must be in 1..10000: 0", message("MACD_12_26_0"));
    assertEquals("bad indicator 'BB_20_0': BB multiplier must be in (0, 100.0]: 0.0", message("BB_20_0"));
    assertEquals("bad indicator 'BB_20_100.5': BB multiplier must be in (0, 100.0]: 100.5", message("BB_20_100.5"));
    assertEquals("bad indicator 'BB_0_2': BB period must be in 1..10000: 0", message("BB_0_2"));
    assertThrows(IllegalArgumentException.class, () -> Indicators.parse(null));
    assertThrows(IllegalArgumentException.class, () -> new Sma(0));
    assertThrows(IllegalArgumentException.class, () -> new BollingerBands(20, Double.NaN));
  }

  private static String message(String name) {
    return assertThrows(IllegalArgumentException.class, () -> Indicators.parse(name)).getMessage();
  }

  @Test
  void setRefusesDuplicatesAndBadNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndicatorSet.of(List.of("SMA_20", "SMA_020")));
    assertEquals("indicator SMA_20 given twice", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IndicatorSet.of(List.of("SMA_20", "XYZ")));
  }

  @Test
  void setCopyAndCopyFromEvolveBitIdentically() {
    Series s = Series.randomWalk(5L, 1_000, 500);
    IndicatorSet a = IndicatorSet.defaults();
    for (int i = 0; i < 400; i++) a.update(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, i % 100 == 0);
    IndicatorSet b = a.copy();
    IndicatorSet c = IndicatorSet.defaults();
    c.copyFrom(a);
    double[] va = new double[a.outputCount()];
    double[] vb = new double[a.outputCount()];
    double[] vc = new double[a.outputCount()];
    double[] peek = new double[a.outputCount()];
    for (int i = 400; i < s.size; i++) {
      boolean session = i % 100 == 0;
      a.peek(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, session, peek);
      for (IndicatorSet set : new IndicatorSet[] {a, b, c}) {
        set.update(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], Double.NaN, session);
      }
      a.values(va);
      b.values(vb);
      c.values(vc);
      assertEquals(Arrays.toString(va), Arrays.toString(vb));
      assertEquals(Arrays.toString(va), Arrays.toString(vc));
      assertEquals(Arrays.toString(va), Arrays.toString(peek));
    }
    assertThrows(IllegalArgumentException.class, () -> c.copyFrom(IndicatorSet.of(List.of("SMA_9"))));
  }

  @Test
  void fixedPointBarsAreTheirDecimalValues() {
    IndicatorSet fromBars = IndicatorSet.of(List.of("SMA_2", "VWAP"));
    IndicatorSet fromDoubles = IndicatorSet.of(List.of("SMA_2", "VWAP"));
    // price scale 2, qty scale 3: 2500.05, volume 1.5, vwap 2500.10
    Bar bar = new Bar(1, Timeframe.M1, 0, 60_000_000_000L, 250005, 250020, 249990, 250010, 1500, 3, 250010, true, 0);
    fromBars.update(bar, 2, 3, true);
    fromDoubles.update(2500.05, 2500.20, 2499.90, 2500.10, 1.5, 2500.10, true);
    double[] x = new double[2];
    double[] y = new double[2];
    fromBars.peek(bar, 2, 3, false, x);
    fromDoubles.peek(2500.05, 2500.20, 2499.90, 2500.10, 1.5, 2500.10, false, y);
    assertEquals(Arrays.toString(y), Arrays.toString(x));
    assertEquals(2500.10, x[0]);
    assertEquals(Double.parseDouble("2500.05"), IndicatorSet.price(250005, 2));
    assertEquals(123.0, IndicatorSet.price(123, 0));
  }
}
