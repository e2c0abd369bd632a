package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path renders exactly what the BigDecimal definition renders. */
class RoundingTest {
  static String definition(double v) {
    return new BigDecimal(v).setScale(8, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }

  @Test
  void equalsTheDefinitionOnMillionsOfValuesOfEveryMagnitude() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 2_000_000; i++) {
      double magnitude = Math.pow(10, rnd.nextInt(-12, 10));
      double v = (rnd.nextDouble() - 0.5) * 2 * magnitude;
      if (rnd.nextInt(4) == 0) v = Math.rint(v * 1e8) / 1e8; // decimals of 8 places, as prices and stored values are
      if (rnd.nextInt(8) == 0) v = (Math.rint(v * 1e8) + 0.5) / 1e8; // near ties
      assertEquals(definition(v), Rounding.format(v), "value " + v);
    }
  }

  @Test
  void edgeCases() {
    for (double v : new double[] {0.0, -0.0, 1e-9, -1e-9, 5e-9, -5e-9, 1.5e-8, 2.5e-8, 0.1 + 0.2, 100, -100, 9_999_999.999999995,
        1e7, -1e7, 123_456_789.123456789, 1e300, -1e-300, Double.MIN_VALUE, 2512.5, 61.25}) {
      assertEquals(definition(v), Rounding.format(v), "value " + v);
    }
    assertEquals("", Rounding.format(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Rounding.format(Double.POSITIVE_INFINITY));
  }
}
