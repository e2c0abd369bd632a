package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Numerical soundness of the O(1) sliding standard deviation ({@link SlidingWindow}): against an exact two-pass
 * computation in {@link BigDecimal} over thousands of bars at price levels 1e4..1e5 where the band is narrow
 * (σ/price down to ~1e-5), the case where {@code Σx²/n - mean²} cancels catastrophically.
 */
class BollingerBandsTest {
  private static final MathContext MC = MathContext.DECIMAL128;

  /** Exact population σ of {@code x[i-n+1..i]}: {@code (n·Σx² - (Σx)²) / n²} in exact decimals, then one rounding. */
  private static double exactSigma(double[] x, int i, int n) {
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    for (int j = i - n + 1; j <= i; j++) {
      BigDecimal v = new BigDecimal(x[j]);
      sum = sum.add(v);
      squares = squares.add(v.multiply(v));
    }
    BigDecimal nn = BigDecimal.valueOf(n);
    BigDecimal variance = squares.multiply(nn).subtract(sum.multiply(sum)).divide(nn.multiply(nn), MC);
    return variance.sqrt(MC).doubleValue();
  }

  @Test
  void slidingSigmaMatchesExactTwoPassAtHighPriceLevels() {
    for (double level : new double[] {1e4, 3e4, 1e5}) {
      // closes a few cents apart around the level: σ/price ~1e-6..1e-5, the hardest case for cancellation
      double[] x = new double[20_000];
      Random r = new Random((long) level);
      double p = level;
      for (int i = 0; i < x.length; i++) {
        p += (r.nextInt(5) - 2) * 0.01;
        x[i] = Math.round(p * 100) / 100.0;
      }
      for (int n : new int[] {2, 20, 200}) {
        SlidingWindow window = new SlidingWindow(n, true);
        BollingerBands bb = new BollingerBands(n, 2);
        double worst = 0;
        double worstNaive = 0;
        for (int i = 0; i < x.length; i++) {
          boolean full = window.next(x[i]);
          double sigma = full ? Math.sqrt(window.nextM2() / n) : Double.NaN;
          window.commit(x[i]);
          bb.update(x[i], x[i], x[i], x[i], 1, Double.NaN, false);
          if (!full || i % 7 != 0) continue; // the exact σ on every 7th bar keeps the test fast
          double exact = exactSigma(x, i, n);
          assertEquals(sigma, (bb.value(BollingerBands.UPPER) - bb.value(BollingerBands.LOWER)) / 4, 1e-9 * level,
              "band width at bar " + i);
          if (exact == 0) {
            assertEquals(0, sigma, 1e-9, "σ of a constant window at bar " + i);
            continue;
          }
          double err = Math.abs(sigma - exact) / exact;
          assertTrue(err <= 1e-9, "σ at bar " + i + ": exact " + exact + ", ours " + sigma + " (level " + level + ", n " + n + ")");
          worst = Math.max(worst, err);
          worstNaive = Math.max(worstNaive, Math.abs(naiveSigma(x, i, n) - exact) / exact);
        }
        System.out.printf("BB σ at price %.0e, n=%d: sliding relative error %.1e (running Σx, Σx² would give %.1e)%n",
            level, n, worst, worstNaive);
      }
    }
  }

  /** What the textbook running sums give: Σx²/n - (Σx/n)². */
  private static double naiveSigma(double[] x, int i, int n) {
    double s = 0;
    double s2 = 0;
    for (int j = i - n + 1; j <= i; j++) {
      s += x[j];
      s2 += x[j] * x[j];
    }
    double mean = s / n;
    return Math.sqrt(Math.max(0, s2 / n - mean * mean));
  }

  @Test
  void constantPricesGiveZeroWidth() {
    BollingerBands bb = new BollingerBands(20, 2);
    for (int i = 0; i < 100; i++) bb.update(0, 0, 0, 43_210.55, 1, Double.NaN, false);
    assertEquals(43_210.55, bb.value(BollingerBands.MIDDLE));
    assertEquals(43_210.55, bb.value(BollingerBands.UPPER));
    assertEquals(43_210.55, bb.value(BollingerBands.LOWER));
  }

  @Test
  void populationSigmaOfASmallWindow() {
    BollingerBands bb = new BollingerBands(4, 1.5);
    for (double c : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) bb.update(c, c, c, c, 1, Double.NaN, false);
    // last 4 closes 5, 5, 7, 9: mean 6.5, population variance (2.25 + 2.25 + 0.25 + 6.25) / 4 = 2.75
    double sigma = Math.sqrt(2.75);
    assertEquals(6.5, bb.value(BollingerBands.MIDDLE), 1e-12);
    assertEquals(6.5 + 1.5 * sigma, bb.value(BollingerBands.UPPER), 1e-12);
    assertEquals(6.5 - 1.5 * sigma, bb.value(BollingerBands.LOWER), 1e-12);
  }
}
