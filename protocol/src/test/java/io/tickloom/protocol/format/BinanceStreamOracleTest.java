package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.BinanceStream.BinanceTrade;
import io.tickloom.protocol.format.BinanceStream.Ignored;
import io.tickloom.protocol.format.BinanceStream.Message;
import io.tickloom.protocol.format.BinanceStream.Trade;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every message of cryptofeed's raw Binance WebSocket captures (oracle README §3: spot, Binance.US, Binance TR,
 * USD-M and COIN-M futures; combined-stream wrapper, one {@code <receive time>: <json>} per line after a URL line).
 * {@code aggTrade} messages must become trades whose aggregate ids and trade id ranges are contiguous per symbol
 * (the captures drop nothing), every other stream must be ignored, and no line may fail. The oracle folder comes
 * from {@code tickloom.oracle}, else {@code ../../shared/oracle}; the test is skipped when it is absent
 * ({@link BinanceStreamTest} covers the same logic with own fixtures).
 */
class BinanceStreamOracleTest {
  private static final String DIR = "binance_ws_capture";

  private static List<Path> captures() throws IOException {
    String configured = System.getProperty("tickloom.oracle");
    Path oracle = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Path dir = oracle.resolve(DIR);
    Prerequisites.oracle(Files.isDirectory(dir), "oracle data absent: " + dir.toAbsolutePath().normalize()
        + " does not exist (set -Dtickloom.oracle=DIR); BinanceStreamTest covers the same logic with own fixtures");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> ws = files.filter(f -> f.getFileName().toString().endsWith(".ws.1.0")).sorted().toList();
      Prerequisites.oracle(!ws.isEmpty(), "no *.ws.1.0 capture in " + dir);
      return ws;
    }
  }

  @Test
  void everyCapturedMessageParsesAggTradesAreContiguousPerSymbolAndOtherStreamsAreIgnored() throws IOException {
    int trades = 0;
    int ignoredCount = 0;
    Map<String, Integer> ignoredTypes = new HashMap<>();
    for (Path file : captures()) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertTrue(lines.get(0).contains(" <-> "), file + ": first line is the URL line");
      Map<String, BinanceTrade> last = new HashMap<>();
      for (int i = 1; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) continue;
        String where = file.getFileName() + ":" + (i + 1);
        int sep = line.indexOf(": ");
        assertTrue(sep > 0, where + ": '<receive time>: <json>'");
        String json = line.substring(sep + 2);
        long receiveNanos = new BigDecimal(line.substring(0, sep)).movePointRight(9).longValueExact();
        Message m;
        try {
          m = BinanceStream.parse(json);
        } catch (RuntimeException e) {
          fail(where + ": " + e.getMessage(), e);
          return;
        }
        String stream = json.substring(json.indexOf("\"stream\":\"") + 10, json.indexOf('"', json.indexOf("\"stream\":\"") + 10));
        if (stream.endsWith("@aggTrade")) {
          BinanceTrade t = ((Trade) m).trade(); // ClassCastException names the message that was not a trade
          trades++;
          assertTrue(t.aggregate(), where);
          assertEquals(stream.substring(0, stream.indexOf('@')).toUpperCase(Locale.ROOT), t.symbol(), where);
          BinanceTrade previous = last.put(t.symbol(), t);
          if (previous != null) {
            assertEquals(previous.id() + 1, t.id(), where + ": aggregate ids are consecutive");
            assertEquals(previous.lastTradeId() + 1, t.firstTradeId(), where + ": trade id ranges are contiguous");
            assertTrue(t.tradeTimeMs() >= previous.tradeTimeMs(), where + ": trade times do not go back");
          }
          int scale = Math.max(BinanceStream.scaleFor(t.price()), BinanceStream.scaleFor(t.qty()));
          Tick tick = t.toTick(1, scale, scale, receiveNanos, Feed.PRIMARY);
          assertEquals(0, new BigDecimal(t.price()).compareTo(new BigDecimal(Fixed.format(tick.price(), scale))), where);
          assertEquals(0, new BigDecimal(t.qty()).compareTo(new BigDecimal(Fixed.format(tick.qty(), scale))), where);
          assertEquals(t.id(), tick.seq(), where);
          assertTrue(tick.exchangeTs() <= receiveNanos + 1_000_000_000L, where + ": trade time before receive time (1 s clock skew)");
        } else {
          String type = ((Ignored) m).eventType();
          ignoredCount++;
          ignoredTypes.merge(type, 1, Integer::sum);
        }
      }
    }
    assertEquals(155, trades, "aggTrade messages in the captures (oracle README §3)");
    assertEquals(3_408 + 3_112 + 115, ignoredCount, "depth, bookTicker and kline messages");
    assertEquals(Map.of("depthUpdate", 3_408, "bookTicker", 3_112, "kline", 115), ignoredTypes);
  }
}
