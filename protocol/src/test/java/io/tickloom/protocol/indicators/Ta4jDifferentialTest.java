package io.tickloom.protocol.indicators;

import static io.tickloom.protocol.indicators.Ta4jSpreadsheetOracleTest.decayed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.indicators.volume.VWAPIndicator;
import org.ta4j.core.num.DecimalNum;
import org.ta4j.core.num.Num;

/**
 * Differential test against the ta4j 0.17 library (DecimalNum, 32 significant digits, reading the same decimal
 * text as our doubles) over 5,000 seeded random bars around 1000.
 *
 * <p>Agreement to 1e-9 relative ({@code |ours - ta4j| <= 1e-9 · |ta4j|}); for MACD's outputs, which cross zero, the
 * difference is taken relative to the bar's close (the scale of the prices the EMAs are made of). From which bar:
 * <ul>
 *   <li>SMA and Bollinger bands: from our first output (bar n-1); ta4j's partial windows before that are not ours.
 *       ta4j 0.17's {@code StandardDeviationIndicator} divides by the number of values (population σ), as TA-Lib.
 *   <li>EMA, RSI, ATR, MACD: ta4j seeds with the first input at bar 0 (RSI's averages with 0; ATR with
 *       {@code TR[0] = high - low}); from {@link Ta4jSpreadsheetOracleTest#decayed} on, with the slowest smoothing
 *       factor involved (MACD: the slow EMA's, {@code 25/27}).
 *   <li>VWAP: ta4j's {@code VWAPIndicator(n)} is a rolling window of typical prices; with sessions of exactly
 *       {@code n} bars starting at bar 0 it equals our session VWAP on every bar of the first session and on the last
 *       bar of every session.
 * </ul>
 */
class Ta4jDifferentialTest {
  private static final int BARS = 5_000;
  private static final int SESSION = 390;
  private static Series series;
  private static BarSeries ta4j;
  private static ClosePriceIndicator close;

  @BeforeAll
  static void build() {
    series = Series.randomWalk(20260115L, BARS, 1000);
    for (int i = 0; i < BARS; i++) series.sessionStart[i] = i % SESSION == 0;
    ta4j = new BaseBarSeriesBuilder().withName("random").withNumTypeOf(DecimalNum.class).build();
    ZonedDateTime t = ZonedDateTime.of(2026, 1, 15, 0, 0, 0, 0, ZoneOffset.UTC);
    for (int i = 0; i < BARS; i++) {
      String[] b = series.text[i];
      ta4j.addBar(Duration.ofMinutes(1), t.plusMinutes(i + 1L), DecimalNum.valueOf(b[0]), DecimalNum.valueOf(b[1]),
          DecimalNum.valueOf(b[2]), DecimalNum.valueOf(b[3]), DecimalNum.valueOf(b[4]));
    }
    close = new ClosePriceIndicator(ta4j);
  }

  /** Compares output {@code output} of {@code ours} with {@code theirs} from bar {@code from}; returns the worst error. */
  private static double compare(Indicator ours, int output, IntFunction<Num> theirs, int from, boolean relativeToClose) {
    double[][] v = series.run(ours);
    assertTrue(from < BARS - 1000, ours.name() + ": start " + from);
    double worst = 0;
    for (int i = 0; i < BARS; i++) {
      if (i < ours.lookback()) assertTrue(Double.isNaN(v[i][output]), ours.name() + " has no value at bar " + i);
      if (i < from) continue;
      double t = theirs.apply(i).doubleValue();
      double scale = relativeToClose ? Math.max(Math.abs(t), series.close[i]) : Math.abs(t);
      double err = Math.abs(v[i][output] - t) / scale;
      assertTrue(err <= 1e-9, ours.outputs().get(output) + " at bar " + i + ": ta4j " + t + ", ours " + v[i][output]);
      worst = Math.max(worst, err);
    }
    System.out.printf("ta4j 0.17 differential: %s from bar %d, max relative error %.2e%n",
        ours.outputs().get(output), from, worst);
    return worst;
  }

  @Test
  void smaEqualsTa4jFromTheFirstFullWindow() {
    for (int n : new int[] {1, 9, 20, 50, 200}) {
      SMAIndicator sma = new SMAIndicator(close, n);
      compare(new Sma(n), 0, sma::getValue, n - 1, false);
    }
  }

  @Test
  void emaAgreesWithTa4jOnceTheSeedHasDecayed() {
    for (int n : new int[] {9, 21, 50}) {
      EMAIndicator ema = new EMAIndicator(close, n);
      compare(new Ema(n), 0, ema::getValue, decayed(n - 1, 1 - 2.0 / (n + 1)), false);
    }
  }

  @Test
  void rsiAgreesWithTa4jOnceTheZeroSeedHasDecayed() {
    for (int n : new int[] {2, 14, 30}) {
      RSIIndicator rsi = new RSIIndicator(close, n);
      compare(new Rsi(n), 0, rsi::getValue, decayed(n, (n - 1.0) / n), false);
    }
  }

  @Test
  void atrAgreesWithTa4jOnceTheFirstBarRangeHasDecayed() {
    for (int n : new int[] {5, 14}) {
      ATRIndicator atr = new ATRIndicator(ta4j, n);
      compare(new Atr(n), 0, atr::getValue, decayed(n, (n - 1.0) / n), false);
    }
  }

  @Test
  void macdAgreesWithTa4jOnceTheSeedsHaveDecayed() {
    MACDIndicator macd = new MACDIndicator(close, 12, 26);
    EMAIndicator signal = macd.getSignalLine(9);
    var hist = macd.getHistogram(9);
    int from = decayed(25, 25.0 / 27);
    compare(new Macd(12, 26, 9), Macd.MACD, macd::getValue, from, true);
    compare(new Macd(12, 26, 9), Macd.SIGNAL, signal::getValue, from, true);
    compare(new Macd(12, 26, 9), Macd.HIST, hist::getValue, from, true);
  }

  @Test
  void bollingerBandsEqualTa4jPopulationBandsFromTheFirstFullWindow() {
    for (double k : new double[] {2, 2.5}) {
      SMAIndicator sma = new SMAIndicator(close, 20);
      BollingerBandsMiddleIndicator middle = new BollingerBandsMiddleIndicator(sma);
      StandardDeviationIndicator sd = new StandardDeviationIndicator(close, 20);
      Num kn = DecimalNum.valueOf(k);
      BollingerBandsUpperIndicator upper = new BollingerBandsUpperIndicator(middle, sd, kn);
      BollingerBandsLowerIndicator lower = new BollingerBandsLowerIndicator(middle, sd, kn);
      compare(new BollingerBands(20, k), BollingerBands.MIDDLE, middle::getValue, 19, false);
      compare(new BollingerBands(20, k), BollingerBands.UPPER, upper::getValue, 19, false);
      compare(new BollingerBands(20, k), BollingerBands.LOWER, lower::getValue, 19, false);
    }
  }

  @Test
  void sessionVwapEqualsTa4jRollingVwapWhereTheWindowIsTheSession() {
    VWAPIndicator vwap = new VWAPIndicator(ta4j, SESSION);
    double[][] ours = series.run(new SessionVwap());
    double worst = 0;
    int compared = 0;
    for (int i = 0; i < BARS; i++) {
      if (i >= SESSION && i % SESSION != SESSION - 1) continue;
      double t = vwap.getValue(i).doubleValue();
      double err = Math.abs(ours[i][0] - t) / Math.abs(t);
      assertTrue(err <= 1e-9, "VWAP at bar " + i + ": ta4j " + t + ", ours " + ours[i][0]);
      worst = Math.max(worst, err);
      compared++;
    }
    assertTrue(compared > SESSION + 10);
    System.out.printf("ta4j 0.17 differential: VWAP on %d bars, max relative error %.2e%n", compared, worst);
  }
}
