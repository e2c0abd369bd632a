package io.tickloom.protocol.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.format.Scales;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineBarsTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(OfflineBarsTest.class.getResource("/bars/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture bars/" + name, e);
    }
  }

  private static String run(OfflineBars.Format format, EmptyBarPolicy policy, List<Path> files) throws IOException {
    StringWriter out = new StringWriter();
    OfflineBars.run(format, Timeframe.M1, policy, files, out);
    return out.toString();
  }

  @Test
  void binanceTradesWithCarryGiveKlinesIncludingFlatMinutes() throws IOException {
    String out = run(OfflineBars.Format.BINANCE_TRADES, EmptyBarPolicy.CARRY, List.of(fixture("btc-trades-mini.csv")));
    assertEquals(Files.readString(fixture("btc-trades-mini.carry.expected.csv")), out);
  }

  @Test
  void binanceTradesWithSkipGiveOnlyTradedMinutes() throws IOException {
    String out = run(OfflineBars.Format.BINANCE_TRADES, EmptyBarPolicy.SKIP, List.of(fixture("btc-trades-mini.csv")));
    assertEquals(Files.readString(fixture("btc-trades-mini.skip.expected.csv")), out);
  }

  @Test
  void binanceTradesDefaultToCarry() throws IOException {
    assertEquals(EmptyBarPolicy.CARRY, OfflineBars.Format.BINANCE_TRADES.defaultPolicy());
    String out = run(OfflineBars.Format.BINANCE_TRADES, null, List.of(fixture("btc-trades-mini.csv")));
    assertEquals(Files.readString(fixture("btc-trades-mini.carry.expected.csv")), out);
  }

  @Test
  void microsecondFileWithHeaderGivesSameBarsAsMilliseconds() throws IOException {
    String out = run(OfflineBars.Format.BINANCE_TRADES, EmptyBarPolicy.CARRY, List.of(fixture("btc-trades-mini-micros.csv")));
    assertEquals(Files.readString(fixture("btc-trades-mini.carry.expected.csv")), out);
  }

  @Test
  void filesAreReadInOrderAsOneStream() throws IOException {
    List<String> lines = Files.readAllLines(fixture("btc-trades-mini.csv"));
    Path a = Files.write(tmp.resolve("a.csv"), lines.subList(0, 4));
    Path b = Files.write(tmp.resolve("b.csv"), lines.subList(4, lines.size()));
    StringWriter out = new StringWriter();
    OfflineBars.Summary summary = OfflineBars.run(OfflineBars.Format.BINANCE_TRADES, Timeframe.M1, EmptyBarPolicy.CARRY, List.of(a, b), out);
    assertEquals(Files.readString(fixture("btc-trades-mini.carry.expected.csv")), out.toString());
    assertEquals(new OfflineBars.Summary(8, 8, 0, 0, 0), summary);
  }

  @Test
  void malformedRowIsReportedWithFileAndLine() throws IOException {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(fixture("btc-trades-mini.csv")));
    lines.set(2, "2,4261.48000000,0.07518300,320.39085084,1502942432322,Maybe,True");
    Path bad = Files.write(tmp.resolve("bad.csv"), lines);
    FormatException e = assertThrows(FormatException.class,
        () -> run(OfflineBars.Format.BINANCE_TRADES, EmptyBarPolicy.CARRY, List.of(fixture("btc-trades-mini.csv"), bad)));
    assertEquals(bad.toString(), e.source());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith(bad + ":3: isBuyerMaker"), e.getMessage());
  }

  @Test
  void ticksCsvMergesOutOfOrderRowAsRevisionAndWritesStartOrder() throws IOException {
    StringWriter out = new StringWriter();
    OfflineBars.Summary summary = OfflineBars.run(OfflineBars.Format.TICKS_CSV, Timeframe.M1, null, List.of(fixture("ticks-mini.csv")), out);
    assertEquals(Files.readString(fixture("ticks-mini.skip.expected.csv")), out.toString());
    assertEquals(new OfflineBars.Summary(4, 3, 1, 0, 0), summary);
  }

  @Test
  void ticksCsvWithCarryFillsTheEmptyMinute() throws IOException {
    String out = run(OfflineBars.Format.TICKS_CSV, EmptyBarPolicy.CARRY, List.of(fixture("ticks-mini.csv")));
    assertEquals(Files.readString(fixture("ticks-mini.carry.expected.csv")), out);
  }

  @Test
  void ticksCsvOfTwoTokensIsRefused() throws IOException {
    Path two = Files.writeString(tmp.resolve("two.csv"), "1,1000,1.5,1,1\n2,2000,1.5,1,2\n");
    FormatException e = assertThrows(FormatException.class, () -> run(OfflineBars.Format.TICKS_CSV, null, List.of(two)));
    assertEquals(2, e.line());
  }

  @Test
  void emptyInputWritesNothing() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
    StringWriter out = new StringWriter();
    assertEquals(new OfflineBars.Summary(0, 0, 0, 0, 0), OfflineBars.run(OfflineBars.Format.BINANCE_TRADES, Timeframe.M1, null, List.of(empty), out));
    assertEquals("", out.toString());
  }

  @Test
  void formatsParseByCliName() {
    assertEquals(OfflineBars.Format.BINANCE_TRADES, OfflineBars.Format.parse("binance-trades"));
    assertEquals(OfflineBars.Format.TICKS_CSV, OfflineBars.Format.parse(" Ticks-CSV "));
    assertThrows(IllegalArgumentException.class, () -> OfflineBars.Format.parse("lobster"));
  }

  @Test
  void csvLineWritesExactDecimalsWithoutTrailingZeros() {
    Bar bar = new Bar(0, Timeframe.M1, 1_502_942_400_000_000_000L, 1_502_942_460_000_000_000L,
        426_148_000_000L, 426_150_000_000L, -5L, 0L, 177_518_300L, 3, 0, true, 0);
    assertEquals("1502942400000,4261.48,4261.5,-0.00000005,0,1.775183,3", OfflineBars.csvLine(bar, new Scales(8, 8)));
  }
}
