package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Session VWAP: what it averages, when it restarts, and agreement with an exact decimal reference. */
class SessionVwapTest {

  @Test
  void usesTheBarVwapWhenGivenElseTheTypicalPrice() {
    SessionVwap vwap = new SessionVwap();
    vwap.update(10, 12, 9, 11, 2, 10.5, true); // bar vwap 10.5
    assertEquals(10.5, vwap.value(0));
    vwap.update(11, 13, 10, 13, 2, Double.NaN, false); // typical (13 + 10 + 13) / 3 = 12
    assertEquals((10.5 * 2 + 12 * 2) / 4, vwap.value(0));
    assertTrue(vwap.ready());
  }

  @Test
  void restartsAtEverySessionStart() {
    SessionVwap vwap = new SessionVwap();
    vwap.update(0, 0, 0, 0, 5, 100, false); // first bar ever: a session start even without the flag
    assertEquals(100, vwap.value(0));
    vwap.update(0, 0, 0, 0, 5, 110, false);
    assertEquals(105, vwap.value(0));
    vwap.update(0, 0, 0, 0, 1, 200, true);
    assertEquals(200, vwap.value(0));
    vwap.update(0, 0, 0, 0, 3, 204, false);
    assertEquals(203, vwap.value(0));
  }

  @Test
  void sessionWithoutVolumeShowsTheLastBarPrice() {
    SessionVwap vwap = new SessionVwap();
    vwap.update(0, 0, 0, 0, 0, 100, true);
    assertEquals(100, vwap.value(0));
    vwap.update(0, 0, 0, 0, 0, 101, false);
    assertEquals(101, vwap.value(0));
    vwap.update(0, 0, 0, 0, 2, 110, false);
    assertEquals(110, vwap.value(0));
    vwap.update(0, 0, 0, 0, 0, 120, false); // a flat carried bar adds nothing
    assertEquals(110, vwap.value(0));
  }

  @Test
  void matchesAnExactDecimalReferenceOverManySessions() {
    Series s = Series.randomWalk(99L, 10_000, 45_000);
    Random r = new Random(3);
    SessionVwap vwap = new SessionVwap();
    BigDecimal pv = BigDecimal.ZERO;
    BigDecimal v = BigDecimal.ZERO;
    double worst = 0;
    for (int i = 0; i < s.size; i++) {
      boolean start = i % 1440 == 0;
      double barVwap = r.nextBoolean() ? Double.NaN : (s.low[i] + s.high[i]) / 2;
      vwap.update(s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], barVwap, start);
      if (start) {
        pv = BigDecimal.ZERO;
        v = BigDecimal.ZERO;
      }
      BigDecimal p = Double.isNaN(barVwap)
          ? new BigDecimal(s.text[i][1]).add(new BigDecimal(s.text[i][2])).add(new BigDecimal(s.text[i][3]))
              .divide(BigDecimal.valueOf(3), MathContext.DECIMAL128)
          : new BigDecimal(barVwap);
      BigDecimal vol = new BigDecimal(s.text[i][4]);
      pv = pv.add(p.multiply(vol));
      v = v.add(vol);
      double exact = pv.divide(v, MathContext.DECIMAL128).doubleValue();
      double err = Math.abs(vwap.value(0) - exact) / exact;
      assertTrue(err <= 1e-12, "bar " + i + ": exact " + exact + ", ours " + vwap.value(0));
      worst = Math.max(worst, err);
    }
    System.out.printf("session VWAP vs exact decimals over 10,000 bars: max relative error %.1e%n", worst);
  }
}
