package io.tickloom.protocol.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binance's own 1m klines of BTCUSDT 2017-08-17 rebuilt from that day's trades (oracle README §2). The oracle
 * folder comes from the system property {@code tickloom.oracle} (set by the build), else
 * {@code ../../shared/oracle} relative to the module; the test is skipped when it is absent.
 * Compared columns: open_time, open, high, low, close, volume, number_of_trades, as exact decimals.
 */
class BinanceKlinesOracleTest {
  private static final String TRADES = "binance/BTCUSDT-trades-2017-08-17.csv";
  private static final String KLINES = "binance/BTCUSDT-1m-2017-08-17.csv";

  private static Path oracle() {
    String configured = System.getProperty("tickloom.oracle");
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Prerequisites.oracle(Files.isRegularFile(dir.resolve(TRADES)) && Files.isRegularFile(dir.resolve(KLINES)),
        "oracle data absent: " + dir.toAbsolutePath().normalize() + " has no " + TRADES + " / " + KLINES
            + " (set -Dtickloom.oracle=DIR); small fixtures in src/test/resources/bars cover the same logic");
    return dir;
  }

  /** Kline rows reduced to the 7 compared columns. */
  private static List<String[]> klines(Path dir) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(KLINES))) {
      if (line.isBlank()) continue;
      String[] f = line.split(",");
      rows.add(new String[] {f[0], f[1], f[2], f[3], f[4], f[5], f[8]});
    }
    return rows;
  }

  private static List<String[]> ours(Path dir, EmptyBarPolicy policy) throws IOException {
    StringWriter out = new StringWriter();
    OfflineBars.Summary summary = OfflineBars.run(OfflineBars.Format.BINANCE_TRADES, Timeframe.M1, policy, List.of(dir.resolve(TRADES)), out);
    assertEquals(3_427, summary.ticksRead());
    assertEquals(0, summary.lateTicks());
    List<String[]> rows = new ArrayList<>();
    for (String line : out.toString().split("\n")) rows.add(line.split(","));
    assertEquals(summary.barsWritten(), rows.size());
    return rows;
  }

  private static void assertSameRow(String[] want, String[] got, int index) {
    String context = "row " + index + " (open_time " + want[0] + ")";
    assertEquals(7, got.length, context);
    assertEquals(Long.parseLong(want[0]), Long.parseLong(got[0]), context + " start");
    String[] names = {"open", "high", "low", "close", "volume"};
    for (int c = 1; c <= 5; c++) {
      assertEquals(0, new BigDecimal(want[c]).compareTo(new BigDecimal(got[c])),
          context + " " + names[c - 1] + ": Binance " + want[c] + ", ours " + got[c]);
    }
    assertEquals(Long.parseLong(want[6]), Long.parseLong(got[6]), context + " trades");
  }

  @Test
  void carryReproducesEveryKlineUpToTheLastTradedMinute() throws IOException {
    Path dir = oracle();
    List<String[]> binance = klines(dir);
    int lastTraded = -1;
    for (int i = 0; i < binance.size(); i++) if (!binance.get(i)[6].equals("0")) lastTraded = i;
    List<String[]> ours = ours(dir, EmptyBarPolicy.CARRY);
    assertEquals(1_199, lastTraded + 1);
    assertEquals(lastTraded + 1, ours.size(), "bars up to the last traded minute (no carry after the last trade)");
    for (int i = 0; i < ours.size(); i++) assertSameRow(binance.get(i), ours.get(i), i);
  }

  @Test
  void skipReproducesExactlyTheTradedMinutes() throws IOException {
    Path dir = oracle();
    List<String[]> traded = klines(dir).stream().filter(r -> !r[6].equals("0")).toList();
    List<String[]> ours = ours(dir, EmptyBarPolicy.SKIP);
    assertEquals(831, traded.size());
    assertEquals(traded.size(), ours.size());
    for (int i = 0; i < ours.size(); i++) assertSameRow(traded.get(i), ours.get(i), i);
  }
}
