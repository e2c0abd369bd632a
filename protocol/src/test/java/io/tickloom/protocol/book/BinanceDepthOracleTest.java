package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link L2Book} against Binance's own {@code bookTicker} (oracle README §3): for every symbol of cryptofeed's raw
 * captures (spot, Binance.US, Binance TR with the spot rule; USD-M and COIN-M futures with the {@code pu} rule), the
 * REST depth snapshot plus the diff-depth stream must sync without a gap, never cross, and give the ticker's best bid
 * and ask, price and quantity, at every comparable point: where the ticker's update id equals a depth event's final
 * id or lies after it and before the next event's first id (inside one 100 ms batch the intermediate state is not
 * published). The numbers of comparable points must be the oracle's own: 26, 56, 24, 50 and 212. Skipped when the
 * oracle folder is absent.
 */
class BinanceDepthOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SCALE = 8;
  private static final Map<String, Integer> COMPARABLE = Map.of(
      "BINANCE", 26, "BINANCE_US", 56, "BINANCE_TR", 24, "BINANCE_FUTURES", 50, "BINANCE_DELIVERY", 212);

  private record Ticker(long id, long bid, long bidQty, long ask, long askQty) {}

  private record Applied(long first, long fin, long bid, long bidQty, long ask, long askQty) {}

  private static Path captureDir() {
    String configured = System.getProperty("tickloom.oracle");
    Path oracle = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Path dir = oracle.resolve("binance_ws_capture");
    Prerequisites.oracle(Files.isDirectory(dir), "oracle data absent: " + dir.toAbsolutePath().normalize()
        + " does not exist (set -Dtickloom.oracle=DIR); L2BookTest covers the sync rule with own cases");
    return dir;
  }

  @TestFactory
  Stream<DynamicTest> depthSnapshotPlusDiffStreamEqualsBookTickerAtEveryComparablePoint() throws IOException {
    Path dir = captureDir();
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path http : files.filter(f -> f.getFileName().toString().endsWith(".http.0.0")).sorted().toList()) {
        String venue = http.getFileName().toString().replace(".http.0.0", "");
        Path ws = dir.resolve(venue + ".ws.1.0");
        if (!Files.isRegularFile(ws)) continue;
        tests.add(DynamicTest.dynamicTest(venue, () -> venue(venue, http, ws)));
      }
    }
    Prerequisites.oracle(!tests.isEmpty(), "no *.http.0.0 / *.ws.1.0 capture pair in " + dir);
    return tests.stream();
  }

  private static void venue(String venue, Path http, Path ws) throws IOException {
    L2Book.SyncRule rule = venue.contains("FUTURES") || venue.contains("DELIVERY") ? L2Book.SyncRule.FUTURES : L2Book.SyncRule.SPOT;
    Map<String, JsonNode> snapshots = new LinkedHashMap<>();
    for (String line : Files.readAllLines(http, StandardCharsets.UTF_8)) {
      if (line.isBlank() || !line.contains("depth?symbol=")) continue;
      String url = line.substring(0, line.indexOf(' '));
      String symbol = url.substring(url.indexOf("symbol=") + 7).split("&")[0].toLowerCase(Locale.ROOT);
      snapshots.put(symbol, JSON.readTree(line.substring(line.indexOf(": ") + 2)));
    }
    Map<String, List<JsonNode>> depth = new LinkedHashMap<>();
    Map<String, List<Ticker>> tickers = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(ws, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      JsonNode msg = JSON.readTree(line.substring(line.indexOf(": ") + 2));
      String stream = msg.path("stream").asText();
      String symbol = stream.substring(0, stream.indexOf('@'));
      JsonNode d = msg.path("data");
      if (stream.endsWith("@depth@100ms")) {
        depth.computeIfAbsent(symbol, k -> new ArrayList<>()).add(d);
      } else if (stream.endsWith("@bookTicker")) {
        tickers.computeIfAbsent(symbol, k -> new ArrayList<>()).add(new Ticker(d.path("u").asLong(),
            fixed(d.path("b")), fixed(d.path("B")), fixed(d.path("a")), fixed(d.path("A"))));
      }
    }
    int books = 0;
    int comparable = 0;
    int equal = 0;
    int inBatch = 0;
    for (Map.Entry<String, JsonNode> e : snapshots.entrySet()) {
      String symbol = e.getKey();
      List<Applied> applied = replay(venue + " " + symbol, rule, e.getValue(), depth.getOrDefault(symbol, List.of()));
      books++;
      for (Ticker t : tickers.getOrDefault(symbol, List.of())) {
        Applied state = null;
        for (int k = 0; k < applied.size(); k++) {
          Applied a = applied.get(k);
          boolean beforeNext = k + 1 < applied.size() && t.id() < applied.get(k + 1).first();
          if (t.id() == a.fin() || t.id() > a.fin() && beforeNext) state = a;
          if (t.id() >= a.first() && t.id() < a.fin()) inBatch++;
        }
        if (state == null) continue;
        comparable++;
        String where = venue + " " + symbol + " bookTicker u=" + t.id();
        assertEquals(t.bid(), state.bid(), where + " bid");
        assertEquals(t.bidQty(), state.bidQty(), where + " bid qty");
        assertEquals(t.ask(), state.ask(), where + " ask");
        assertEquals(t.askQty(), state.askQty(), where + " ask qty");
        equal++;
      }
    }
    System.out.printf("Binance %s (%s rule): %d books synced, %d/%d comparable bookTickers equal, %d inside a batch skipped%n",
        venue, rule, books, equal, comparable, inBatch);
    assertTrue(books > 0, venue + ": no snapshot");
    if (COMPARABLE.containsKey(venue)) assertEquals(COMPARABLE.get(venue), comparable, venue + ": comparable points");
  }

  /** Snapshot + deltas by the book's sync rule; the state after each applied delta. */
  private static List<Applied> replay(String where, L2Book.SyncRule rule, JsonNode snapshot, List<JsonNode> deltas) {
    L2Book book = new L2Book(rule, 1024, BookIntegrityListener.IGNORE);
    assertTrue(book.needsSnapshot(), "a synced book starts waiting for its snapshot");
    book.beginSnapshot(snapshot.path("lastUpdateId").asLong());
    levels(book, snapshot.path("bids"), Side.BUY);
    levels(book, snapshot.path("asks"), Side.SELL);
    assertEquals(BookResult.OK, book.endSnapshot(), where + " snapshot");
    List<Applied> applied = new ArrayList<>();
    for (JsonNode d : deltas) {
      long first = d.path("U").asLong();
      long fin = d.path("u").asLong();
      BookResult r = book.beginDelta(first, fin, d.path("pu").asLong(-1));
      if (r == BookResult.STALE) {
        assertTrue(applied.isEmpty(), where + ": only deltas before the snapshot are stale");
        continue;
      }
      assertEquals(BookResult.OK, r, where + " delta U=" + first + " u=" + fin);
      levels(book, d.path("b"), Side.BUY);
      levels(book, d.path("a"), Side.SELL);
      assertEquals(BookResult.OK, book.endDelta(), where + " after u=" + fin);
      applied.add(new Applied(first, fin, book.bestBidPrice(), book.bestBidSize(), book.bestAskPrice(), book.bestAskSize()));
    }
    assertNotEquals(0, applied.size(), where + ": no delta applied after the snapshot");
    assertEquals(0, book.integrityEvents(), where);
    return applied;
  }

  private static void levels(L2Book book, JsonNode levels, Side side) {
    for (JsonNode l : levels) assertEquals(BookResult.OK, book.set(side, fixed(l.get(0)), fixed(l.get(1))));
  }

  private static long fixed(JsonNode text) {
    return Fixed.parse(text.asText(), SCALE);
  }
}
