package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ta4j's unit-test spreadsheets (oracle README §5b: GOLD weekly 1979-1985, 365 bars, length 13, full double
 * precision). ta4j outputs from bar 0 and seeds differently (EMA and MMA with the first value, RSI's averages with
 * 0, ATR with {@code TR[0] = high - low}); we follow TA-Lib. So:
 * <ul>
 *   <li>SMA: identical from bar n-1 on (relative error at most 1e-9);
 *   <li>EMA, MMA (Wilder), RSI, ATR: the seeds differ, and the difference decays geometrically with the smoothing
 *       factor {@code d} ({@code 1 - 2/(n+1)} for EMA, {@code (n-1)/n} for Wilder). We assert agreement to 1e-9
 *       relative from {@link #decayed} on: the first bar where {@code d^k · 10 <= 1e-9}, {@code k} bars after our
 *       first output (10: a generous bound on the initial relative difference, which is below 1 here), and that
 *       the values do differ right after the seed (the conventions really are different).
 * </ul>
 */
class Ta4jSpreadsheetOracleTest {
  static final double RELATIVE = 1e-9;
  /** Bound on the relative difference of two seeds of the same average. */
  static final double SEED_SCALE = 10;

  /** First bar from which a seed difference at bar {@code seedBar}, decaying by {@code decay} a bar, is negligible. */
  static int decayed(int seedBar, double decay) {
    return seedBar + (int) Math.ceil(Math.log(RELATIVE / SEED_SCALE) / Math.log(decay));
  }

  static double relativeError(double ours, double theirs) {
    return Math.abs(ours - theirs) / Math.max(Math.abs(theirs), Double.MIN_NORMAL);
  }

  private static Series gold(List<Map<String, String>> rows) {
    Series s = new Series(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      s.set(i, r.get("Open"), r.get("High"), r.get("Low"), r.get("Close"), r.get("Volume"));
    }
    return s;
  }

  private static List<Map<String, String>> sheet(String name) {
    List<Map<String, String>> rows = OracleFiles.csv(OracleFiles.require("indicators/ta4j/" + name), 1);
    assertEquals(365, rows.size());
    return rows;
  }

  /** Asserts agreement from {@code from} on and returns the largest relative error there. */
  private static double agreeFrom(int from, double[][] ours, List<Map<String, String>> rows, String column) {
    assertTrue(from < rows.size() - 30, "too few bars left after the decay: from " + from);
    double worst = 0;
    for (int i = from; i < rows.size(); i++) {
      double theirs = Double.parseDouble(rows.get(i).get(column));
      double err = relativeError(ours[i][0], theirs);
      assertTrue(err <= RELATIVE, column + " at bar " + i + ": ta4j " + theirs + ", ours " + ours[i][0]);
      worst = Math.max(worst, err);
    }
    return worst;
  }

  private static void differsAt(int bar, double[][] ours, List<Map<String, String>> rows, String column) {
    double theirs = Double.parseDouble(rows.get(bar).get(column));
    assertTrue(relativeError(ours[bar][0], theirs) > 1e-6,
        column + " at bar " + bar + " should show the seed difference: ta4j " + theirs + ", ours " + ours[bar][0]);
  }

  @Test
  void smaEqualsTa4jFromTheFirstFullWindow() {
    List<Map<String, String>> rows = sheet("SMA.csv");
    double[][] ours = gold(rows).run(new Sma(13));
    for (int i = 0; i < 12; i++) assertTrue(Double.isNaN(ours[i][0]), "no SMA before bar 12 (ta4j averages the bars so far)");
    double worst = agreeFrom(12, ours, rows, "SMA");
    System.out.printf("ta4j SMA.csv: SMA_13 from bar 12, max relative error %.2e%n", worst);
  }

  @Test
  void emaAgreesWithTa4jOnceTheSeedHasDecayed() {
    List<Map<String, String>> rows = sheet("EMA.csv");
    double[][] ours = gold(rows).run(new Ema(13));
    differsAt(12, ours, rows, "EMA");
    int from = decayed(12, 1 - 2.0 / 14);
    double worst = agreeFrom(from, ours, rows, "EMA");
    System.out.printf("ta4j EMA.csv: EMA_13 from bar %d, max relative error %.2e%n", from, worst);
  }

  @Test
  void wilderSmoothingAgreesWithTa4jMmaOnceTheSeedHasDecayed() {
    // No MMA indicator of its own: Wilder smoothing is checked through ATR on bars whose true range is the
    // sheet's close (open = low = close = 0, high = x, so TR = max(x - 0, |x - 0|, |0 - 0|) = x from bar 1 on).
    List<Map<String, String>> rows = sheet("MMA.csv");
    Atr atr = new Atr(13);
    double[][] ours = new double[rows.size()][1];
    for (int i = 0; i < rows.size(); i++) {
      atr.update(0, Double.parseDouble(rows.get(i).get("Close")), 0, 0, 0, Double.NaN, false);
      ours[i][0] = atr.value(0);
    }
    differsAt(13, ours, rows, "MMA");
    int from = decayed(13, 12.0 / 13);
    double worst = agreeFrom(from, ours, rows, "MMA");
    System.out.printf("ta4j MMA.csv: Wilder(13) from bar %d, max relative error %.2e%n", from, worst);
  }

  @Test
  void rsiAgreesWithTa4jOnceTheZeroSeedHasDecayed() {
    List<Map<String, String>> rows = sheet("RSI.csv");
    double[][] ours = gold(rows).run(new Rsi(13));
    for (int i = 0; i < 13; i++) assertTrue(Double.isNaN(ours[i][0]));
    differsAt(13, ours, rows, "RSI");
    int from = decayed(13, 12.0 / 13);
    double worst = agreeFrom(from, ours, rows, "RSI");
    System.out.printf("ta4j RSI.csv: RSI_13 from bar %d, max relative error %.2e%n", from, worst);
  }

  @Test
  void atrAgreesWithTa4jOnceTheFirstBarRangeHasDecayed() {
    List<Map<String, String>> rows = sheet("ATR.csv");
    double[][] ours = gold(rows).run(new Atr(13));
    for (int i = 0; i < 13; i++) assertTrue(Double.isNaN(ours[i][0]));
    // TR itself agrees from bar 1 (ta4j's TR[0] = high - low has no previous close).
    Series s = gold(rows);
    for (int i = 1; i < rows.size(); i++) {
      double pc = s.close[i - 1];
      double tr = Math.max(s.high[i] - s.low[i], Math.max(Math.abs(s.high[i] - pc), Math.abs(s.low[i] - pc)));
      assertTrue(relativeError(tr, Double.parseDouble(rows.get(i).get("TR"))) <= RELATIVE, "TR at bar " + i);
    }
    differsAt(13, ours, rows, "ATR");
    int from = decayed(13, 12.0 / 13);
    double worst = agreeFrom(from, ours, rows, "ATR");
    System.out.printf("ta4j ATR.csv: ATR_13 from bar %d, max relative error %.2e%n", from, worst);
  }
}
