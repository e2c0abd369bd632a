package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.protocol.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tickloom import} into a running node, through its ingest path: Binance's own trades file comes back from
 * the REST API as Binance's own 1m klines and as exactly its trades, however often it is imported; a file with bad
 * rows is reported by line and its good rows go in; an instrument master fills the search.
 */
class ImportIT {
  static TickloomNode node;
  static HttpClient http = HttpClient.newHttpClient();
  static ObjectMapper json = new ObjectMapper();
  static URI base;
  static ActorTestKit probes = ActorTestKit.create("import-it-probes");
  static final Path ORACLE = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle"));

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.load(TestNodes.overrides(
        "tickloom.http.api-keys = \"importkey:IMP:feed\"",
        "tickloom.node.feeds = \"\"")));
    base = URI.create("http://127.0.0.1:" + node.httpPort() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    probes.shutdownTestKit();
    node.close();
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return json.readTree(r.body());
  }

  static Importer.Summary importFiles(String format, String symbol, Path... files) throws Exception {
    return new Importer(base, "importkey", new PrintStream(new ByteArrayOutputStream()), false)
        .run(Importer.Format.parse(format), List.of(files), symbol, Exchange.BINANCE);
  }

  @Test
  void binanceTradesImportedAnyNumberOfTimesComeBackAsBinancesKlinesAndExactlyItsTrades() throws Exception {
    Path trades = ORACLE.resolve("binance/BTCUSDT-trades-2017-08-17.csv");
    Path klines = ORACLE.resolve("binance/BTCUSDT-1m-2017-08-17.csv");
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(trades), "oracle data absent at " + ORACLE.toAbsolutePath());

    Importer.Summary first = importFiles("binance-trades", "BTCUSDT", trades);
    assertEquals(3_427, first.read);
    assertEquals(3_427, first.accepted);
    assertEquals(3_427, first.stored);
    assertEquals(0, first.rejected);
    for (int again = 0; again < 2; again++) {
      Importer.Summary s = importFiles("binance-trades", "BTCUSDT", trades);
      assertEquals(0, s.stored, "a re-import stores nothing");
      assertEquals(3_427, s.duplicates, "every row of a re-import is a duplicate");
    }

    long token = InstrumentResolver.tokenFor(Exchange.BINANCE, "BTCUSDT");
    JsonNode ticks = get("api/v1/ticks?token=" + token + "&from=2017-08-17T00:00:00Z&to=2017-08-18T00:00:00Z&limit=10000");
    assertEquals(3_427, ticks.path("items").size());
    assertTrue(ticks.path("nextCursor").isNull());
    List<String> rows = Files.readAllLines(trades);
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      JsonNode t = ticks.path("items").get(i);
      assertEquals(Long.parseLong(f[0]), t.path("tradeId").asLong(), "trade " + i);
      assertEquals(0, new BigDecimal(f[1]).compareTo(t.path("price").decimalValue()), "price of trade " + f[0]);
      assertEquals(0, new BigDecimal(f[2]).compareTo(t.path("qty").decimalValue()), "qty of trade " + f[0]);
      assertEquals("import", t.path("feed").asText());
    }

    // Every kline up to the last traded minute (23:58; the 23:59 kline is an empty minute after the last trade).
    List<String> expected = Files.readAllLines(klines).subList(0, 1199);
    // Final bars reach the store through the node's bar writer, shortly after the ticks: wait for them.
    String candles = "api/v1/candles?token=" + token + "&tf=1m&from=2017-08-17T00:00:00Z&limit=2000";
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
      try {
        assertEquals(expected.size(), get(candles).path("items").size(), "one bar per kline from 04:00 to 23:58");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    JsonNode bars = get(candles).path("items");
    assertEquals(expected.size(), bars.size(), "one bar per kline from 04:00 to 23:58");
    for (int i = 0; i < expected.size(); i++) {
      String[] k = expected.get(i).split(",");
      JsonNode b = bars.get(i);
      String at = "kline " + i + " (" + k[0] + ")";
      assertEquals(Long.parseLong(k[0]), java.time.Instant.parse(b.path("start").asText()).toEpochMilli(), at);
      assertEquals(0, new BigDecimal(k[1]).compareTo(b.path("open").decimalValue()), at + " open");
      assertEquals(0, new BigDecimal(k[2]).compareTo(b.path("high").decimalValue()), at + " high");
      assertEquals(0, new BigDecimal(k[3]).compareTo(b.path("low").decimalValue()), at + " low");
      assertEquals(0, new BigDecimal(k[4]).compareTo(b.path("close").decimalValue()), at + " close");
      assertEquals(0, new BigDecimal(k[5]).compareTo(b.path("volume").decimalValue()), at + " volume");
      assertEquals(Long.parseLong(k[8]), b.path("trades").asLong(), at + " trades");
      assertEquals(0, b.path("revision").asInt(), at + ": no revision from re-imports");
    }
    assertFalse(bars.get(bars.size() - 1).path("final").asBoolean(), "the last traded minute is still forming");
  }

  @Test
  void badRowsAreReportedByLineAndTheGoodRowsGoIn() throws Exception {
    Path file = Files.createTempFile("bad-trades", ".csv");
    Files.writeString(file, String.join("\n",
        "1,100.5,1.0,100.5,1700000000000,True,True",
        "2,abc,1.0,100.5,1700000001000,True,True",
        "3,100.7,1.0,100.7,1700000002000,False",
        "4,100.8,-1.0,100.8,1700000003000,False,True",
        "5,100.9,2.0,201.8,1700000004000,False,True",
        ""), StandardCharsets.UTF_8);
    Importer.Summary s = importFiles("binance-trades", "BADUSDT", file);
    assertEquals(5, s.read);
    assertEquals(2, s.stored);
    assertEquals(3, s.rejected);
    String report = s.text("bad-trades");
    String name = file.getFileName().toString();
    assertTrue(report.contains(name + ":2:"), report);
    assertTrue(report.contains(name + ":3:"), report);
    assertTrue(report.contains(name + ":4:"), report);

    // The command line: exit code 1 when rows were rejected, 2 for a file that does not exist.
    PrintStream out = System.out;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream()));
      assertEquals(1, new picocli.CommandLine(new Main()).execute("import", "--format", "binance-trades", "--symbol", "BADUSDT",
          "--url", base.toString(), "--key", "importkey", file.toString()));
      assertEquals(2, new picocli.CommandLine(new Main()).execute("import", "--format", "binance-trades", "--symbol", "BADUSDT",
          "--url", base.toString(), "--key", "importkey", file + ".missing"));
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void ticksCsvGoesInAtTheInstrumentsScalesAndItsSourceIsCounted() throws Exception {
    node.market().registerInstruments(List.of(io.tickloom.protocol.Instrument.cash(7_001, Exchange.NSE, "CSVEQ",
        io.tickloom.protocol.InstrumentKind.EQ, 5, 1, 2, 0)));
    Path file = Files.createTempFile("ticks", ".csv");
    Files.writeString(file, String.join("\n",
        "token,exchangeTs,price,qty,seq",
        "7001,2026-01-15T03:45:00.000001Z,1500.05,10,1",
        "7001,2026-01-15T03:45:00.5Z,1500.1,5,2",
        "7002,2026-01-15T03:45:01Z,10,1,1",
        "7001,2026-01-15T03:45:02Z,1500.125,1,3",
        "7001,1768448703000000000,1499.95,7,4",
        ""), StandardCharsets.UTF_8);
    Importer.Summary s = importFiles("ticks-csv", null, file);
    assertEquals(5, s.read);
    assertEquals(3, s.stored);
    assertEquals(2, s.rejected);
    String report = s.text("ticks");
    assertTrue(report.contains(":4: "), "the unknown token's line: " + report);
    assertTrue(report.contains(":5: "), "the line with too many decimals: " + report);
    JsonNode ticks = get("api/v1/ticks?token=7001&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z").path("items");
    assertEquals(List.of("1500.05", "1500.10", "1499.95"),
        java.util.stream.StreamSupport.stream(ticks.spliterator(), false).map(t -> t.path("price").decimalValue().setScale(2).toPlainString()).toList());
    assertEquals("2026-01-15T03:45:00.000001Z", ticks.get(0).path("exchangeTs").asText(), "the source's precision");
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("tickloom_ingest_source_ticks_total{source=\"http\"}"), "per-source counter on /metrics");
    assertTrue(metrics.body().contains("tickloom_gaps_opened_total"), "gap counters on /metrics");
  }

  @Test
  void kiteInstrumentMasterFillsTheSearch() throws Exception {
    Path dump = ORACLE.resolve("nse/kite_mocks/instruments_nse.csv");
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(dump), "oracle data absent at " + ORACLE.toAbsolutePath());
    Importer.Summary s = importFiles("kite-instruments", null, dump);
    assertEquals(0, s.rejected);
    assertTrue(s.stored > 90, "stored " + s.stored);
    JsonNode found = get("api/v1/instruments?query=CDSL");
    assertEquals(List.of("CDSL", "CDSL-BE", "CDSL-BL"),
        java.util.stream.StreamSupport.stream(found.path("items").spliterator(), false).map(i -> i.path("symbol").asText()).toList());
    Importer.Summary again = importFiles("kite-instruments", null, dump);
    assertEquals(s.stored, again.stored, "a re-import rewrites nothing new but accepts the same rows");
  }
}
