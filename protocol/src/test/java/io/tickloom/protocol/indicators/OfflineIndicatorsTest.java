package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.bars.OfflineBars;
import io.tickloom.protocol.format.FormatException;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code indicators} command's logic: formats, output layout, and the oracles through it. */
class OfflineIndicatorsTest {
  private static final long DAY_MS = 86_400_000L;
  @TempDir Path tmp;

  private static String run(OfflineIndicators.Format format, List<String> names, Path... files) throws IOException {
    StringWriter out = new StringWriter();
    OfflineIndicators.run(format, Timeframe.M1, names, List.of(files), out);
    return out.toString();
  }

  private static Path resource(String name) {
    try {
      return Path.of(OfflineIndicatorsTest.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }

  @Test
  void barsCsvGivesHeaderThenOneRowPerBarWithEmptyFieldsBeforeTheFirstValue() throws IOException {
    Path bars = Files.writeString(tmp.resolve("bars.csv"), """
        start,open,high,low,close,volume
        1700000000000,1,1,1,1,10
        1700000060000,2,2,2,2,10

        2023-11-14T22:15:00Z,3,3,3,3,10
        1700000180000,4,4.5,3.5,4,0
        """);
    String out = run(OfflineIndicators.Format.BARS_CSV, List.of("SMA_3", "EMA_2", "VWAP"), bars);
    assertEquals("""
        start,SMA_3,EMA_2,VWAP
        1700000000000,,,1
        1700000060000,,1.5,1.5
        1700000100000,2,2.5,2
        1700000180000,3,3.5,2
        """, out);
  }

  @Test
  void valuesAreRoundedHalfEvenToEightDecimalsWithoutTrailingZeros() {
    assertEquals("", OfflineIndicators.format(Double.NaN));
    assertEquals("0.33333333", OfflineIndicators.format(1.0 / 3));
    assertEquals("0.66666667", OfflineIndicators.format(2.0 / 3));
    assertEquals("0.3", OfflineIndicators.format(0.1 + 0.2));
    assertEquals("100", OfflineIndicators.format(100));
    assertEquals("0", OfflineIndicators.format(-1e-12));
    assertEquals("0", OfflineIndicators.format(-0.0));
    assertEquals("-1.25", OfflineIndicators.format(-1.25));
    assertEquals("123456.12345679", OfflineIndicators.format(123456.123456789));
    assertEquals("0.00000001", OfflineIndicators.format(1e-8));
    // the exact value of the nearest double, in plain notation
    assertEquals("12345678901234567168", OfflineIndicators.format(12345678901234567890.0));
    assertEquals("0.1", OfflineIndicators.format(0.1)); // 0.1000000000000000055511151231257827 rounded
  }

  @Test
  void barsCommandOutputFedBackAsBarsCsvGivesTheSameIndicators() throws IOException {
    // Binance trades fixture -> `bars` rows (7 columns) -> indicators over bars-csv == indicators over the trades.
    // VWAP is left out: from trades it uses each bar's own vwap, from bars-csv the typical price.
    Path trades = resource("/bars/btc-trades-mini.csv");
    StringWriter bars = new StringWriter();
    OfflineBars.run(OfflineBars.Format.BINANCE_TRADES, Timeframe.M1, null, List.of(trades), bars);
    Path barsCsv = Files.writeString(tmp.resolve("bars.csv"), bars.toString());
    List<String> names = List.of("SMA_2", "EMA_3", "RSI_2", "MACD_2_3_2", "BB_2_2", "ATR_2");
    String fromTrades = run(OfflineIndicators.Format.BINANCE_TRADES, names, trades);
    assertEquals(run(OfflineIndicators.Format.BARS_CSV, names, barsCsv), fromTrades);
    assertEquals(bars.toString().lines().count() + 1, fromTrades.lines().count());
  }

  @Test
  void taLibInputAsBarsCsvReproducesTheTaLibVectors() throws IOException {
    Series input = TaLibOracleTest.talibInput(OracleFiles.require("indicators/talib/talib_regtest_input_252.csv"));
    StringBuilder csv = new StringBuilder("start,open,high,low,close,volume\n");
    for (int i = 0; i < input.size; i++) {
      csv.append(i * DAY_MS).append(',').append(String.join(",", input.text[i])).append('\n'); // daily bars from 1970-01-01
    }
    Path bars = Files.writeString(tmp.resolve("talib.csv"), csv);
    StringWriter out = new StringWriter();
    OfflineIndicators.Summary summary = OfflineIndicators.run(OfflineIndicators.Format.BARS_CSV, null,
        List.of("SMA_30", "EMA_10", "RSI_14", "MACD_12_26_9", "BB_20_2"), List.of(bars), out);
    assertEquals(new OfflineIndicators.Summary(252, 252, 0, 0, 0), summary);
    List<String> lines = out.toString().lines().toList();
    List<String> header = Arrays.asList(lines.get(0).split(","));
    Map<String, String> column = new HashMap<>(Map.of("SMA timeperiod=30", "SMA_30", "EMA timeperiod=10", "EMA_10",
        "RSI timeperiod=14", "RSI_14"));
    column.put("MACD macd", "MACD_12_26_9.macd");
    column.put("MACD macdsignal", "MACD_12_26_9.signal");
    column.put("MACD macdhist", "MACD_12_26_9.hist");
    column.put("BBANDS upperband", "BB_20_2.upper");
    column.put("BBANDS middleband", "BB_20_2.middle");
    column.put("BBANDS lowerband", "BB_20_2.lower");
    int checked = 0;
    for (Map<String, String> row : OracleFiles.csv(OracleFiles.require("indicators/talib/talib_expected.csv"), 0)) {
      if (!row.get("compatibility").equals("DEFAULT")) continue;
      String key = row.get("function").equals("MACD") || row.get("function").equals("BBANDS")
          ? row.get("function") + " " + row.get("output") : row.get("function") + " " + row.get("params");
      String name = column.get(key);
      if (name == null) continue;
      int bar = Integer.parseInt(row.get("bar_index"));
      String[] fields = lines.get(1 + bar).split(",", -1);
      assertEquals(String.valueOf(bar * DAY_MS), fields[0]);
      String value = fields[header.indexOf(name)];
      assertTrue(Math.abs(Double.parseDouble(value) - Double.parseDouble(row.get("expected"))) <= 0.01,
          name + " at bar " + bar + ": TA-Lib " + row.get("expected") + ", printed " + value);
      int beg = Integer.parseInt(row.get("expected_beg_idx"));
      assertEquals("", lines.get(beg).split(",", -1)[header.indexOf(name)], name + " has no value before bar " + beg);
      checked++;
    }
    assertEquals(20, checked); // SMA_30 6, EMA_10 4, RSI_14 4, MACD 3, BB_20_2 3
  }

  @Test
  void binanceOracleTradesGiveOneRowPerKlineUpToTheLastTrade() throws IOException {
    Path trades = OracleFiles.require("binance/BTCUSDT-trades-2017-08-17.csv");
    StringWriter out = new StringWriter();
    OfflineIndicators.Summary summary = OfflineIndicators.run(OfflineIndicators.Format.BINANCE_TRADES, Timeframe.M1,
        IndicatorSet.DEFAULT_NAMES, List.of(trades), out);
    assertEquals(new OfflineIndicators.Summary(3_427, 1_199, 0, 0, 0), summary);
    List<String> lines = out.toString().lines().toList();
    assertEquals(1_200, lines.size());
    assertEquals("start," + String.join(",", IndicatorSet.defaults().outputNames()), lines.get(0));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int macd = header.indexOf("MACD_12_26_9.macd");
    int vwap = header.indexOf("VWAP");
    int sma200 = header.indexOf("SMA_200");
    for (int bar = 0; bar < 1_199; bar++) {
      String[] f = lines.get(1 + bar).split(",", -1);
      assertEquals(header.size(), f.length);
      assertEquals(bar >= 33, !f[macd].isEmpty(), "MACD at bar " + bar);
      assertEquals(bar >= 199, !f[sma200].isEmpty(), "SMA_200 at bar " + bar);
      assertTrue(!f[vwap].isEmpty());
    }
    // 04:00 UTC first kline; the trade day is one UTC session, so VWAP at the last bar is the day's Σ(p·q)/Σq,
    // up to the rounding of each bar's vwap to 8 decimals.
    assertEquals("1502942400000", lines.get(1).split(",")[0]);
    double dayVwap = dayVwap(trades);
    double last = Double.parseDouble(lines.get(1_199).split(",", -1)[vwap]);
    assertEquals(dayVwap, last, 1e-6, "session VWAP of the day");
  }

  private static double dayVwap(Path trades) throws IOException {
    java.math.BigDecimal pq = java.math.BigDecimal.ZERO;
    java.math.BigDecimal q = java.math.BigDecimal.ZERO;
    for (String line : Files.readAllLines(trades)) {
      String[] f = line.split(",");
      pq = pq.add(new java.math.BigDecimal(f[3]));
      q = q.add(new java.math.BigDecimal(f[2]));
    }
    return pq.divide(q, java.math.MathContext.DECIMAL128).doubleValue();
  }

  @Test
  void malformedBarsCsvRowsAreReportedWithFileAndLine() throws IOException {
    String good = "1700000000000,1,2,0.5,1.5,10\n";
    String[][] cases = {
        {"1700000060000,1,2,0.5,1.5\n", "expected 6 fields"},
        {"1700000060000,1,2,0.5,abc,10\n", "close: not a decimal number: 'abc'"},
        {"1700000060000,1,2,0.5,NaN,10\n", "close: not a decimal number"},
        {"1700000060000,1,2,0.5,1e3,10\n", "close: not a decimal number"},
        {"yesterday,1,2,0.5,1.5,10\n", "start: expected ISO-8601"},
        {"1700000060000,1,1.2,0.5,1.5,10\n", "inconsistent bar"},
        {"1700000060000,1,2,1.2,1.1,10\n", "inconsistent bar"},
        {"1700000060000,1,2,0.5,1.5,-1\n", "negative volume"},
        {"1700000060000,1,2,0.5,1.5,10,x\n", "trades: not a non-negative integer"},
        {"1700000000000,1,2,0.5,1.5,10\n", "is not after the previous bar's start"},
        {"start,open,high,low,close,volume\n", "start: expected ISO-8601"},
    };
    for (String[] c : cases) {
      Path file = Files.writeString(tmp.resolve("bad.csv"), "start,open,high,low,close,volume\n" + good + c[0]);
      FormatException e = assertThrows(FormatException.class,
          () -> run(OfflineIndicators.Format.BARS_CSV, List.of("SMA_2"), file), c[0]);
      assertEquals(file.toString(), e.source());
      assertEquals(3, e.line(), c[0]);
      assertTrue(e.reason().contains(c[1]), e.reason() + " should contain " + c[1]);
    }
  }

  @Test
  void startsMustIncreaseAcrossFiles() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.csv"), "1700000060000,1,1,1,1,1\n");
    Path b = Files.writeString(tmp.resolve("b.csv"), "start,open,high,low,close,volume\n1700000000000,1,1,1,1,1\n");
    FormatException e = assertThrows(FormatException.class, () -> run(OfflineIndicators.Format.BARS_CSV, List.of("SMA_2"), a, b));
    assertEquals(b.toString() + ":2: start 2023-11-14T22:13:20Z is not after the previous bar's start 2023-11-14T22:14:20Z",
        e.getMessage());
  }

  @Test
  void badNamesAndFormatsAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path bars = Files.writeString(tmp.resolve("bars.csv"), "1700000000000,1,1,1,1,1\n");
    StringWriter out = new StringWriter();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OfflineIndicators.run(OfflineIndicators.Format.BARS_CSV, null, List.of("RSI_14", "RSI_0"), List.of(bars), out));
    assertTrue(e.getMessage().contains("RSI_0"), e.getMessage());
    assertEquals("", out.toString());
    assertEquals(OfflineIndicators.Format.BARS_CSV, OfflineIndicators.Format.parse("bars-csv"));
    assertEquals(OfflineIndicators.Format.TICKS_CSV, OfflineIndicators.Format.parse(" Ticks-CSV"));
    assertEquals("unknown format 'lobster' for indicators (one of binance-trades, ticks-csv, bars-csv)",
        assertThrows(IllegalArgumentException.class, () -> OfflineIndicators.Format.parse("lobster")).getMessage());
  }

  @Test
  void ticksCsvUsesTheSameBarsAsTheBarsCommand() throws IOException {
    Path ticks = resource("/bars/ticks-mini.csv");
    StringWriter bars = new StringWriter();
    OfflineBars.run(OfflineBars.Format.TICKS_CSV, Timeframe.M1, EmptyBarPolicy.SKIP, List.of(ticks), bars);
    List<String> names = List.of("SMA_2", "ATR_1");
    String fromTicks = run(OfflineIndicators.Format.TICKS_CSV, names, ticks);
    String fromBars = run(OfflineIndicators.Format.BARS_CSV, names, Files.writeString(tmp.resolve("b.csv"), bars.toString()));
    assertEquals(fromBars, fromTicks);
    List<String> starts = new ArrayList<>();
    for (String line : bars.toString().lines().toList()) starts.add(line.split(",")[0]);
    assertEquals(starts, fromTicks.lines().skip(1).map(l -> l.split(",")[0]).toList());
  }
}
