package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tickloom import --format lobster --snapshot ORDERBOOK.csv} into a running node: the first 4,000 rows of
 * LOBSTER's GOOG level-10 sample become the instrument's live book, which equals LOBSTER's orderbook file (top 10 per
 * side) at the end and, through {@code /api/v1/book/{token}/at}, at earlier instants; its executions become trades.
 */
class BookLobsterImportIT {
  static final Path ORACLE = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle")).resolve("lobster");
  static final Path MESSAGES = ORACLE.resolve("GOOG_2012-06-21_34200000_57600000_message_10.first50000.csv");
  static final Path ORDERBOOK = ORACLE.resolve("GOOG_2012-06-21_34200000_57600000_orderbook_10.first50000.csv");
  static final int ROWS = 4_000;
  static TickloomNode node;
  static HttpClient http = HttpClient.newHttpClient();
  static ObjectMapper json = new ObjectMapper();
  static URI base;

  @BeforeAll
  static void start() throws Exception {
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(MESSAGES), "LOBSTER samples absent at " + ORACLE.toAbsolutePath());
    node = TickloomNode.start(NodeConfig.load(TestNodes.overrides(
        "tickloom.http.api-keys = \"importkey:IMP:feed\"",
        "tickloom.node.feeds = \"\"")));
    base = URI.create("http://127.0.0.1:" + node.httpPort() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return json.readTree(r.body());
  }

  /** LOBSTER's row as the API's {@code bids}/{@code asks} ([[price, size], ...], price ÷ 10,000). */
  static void assertBookEqualsRow(JsonNode book, String row, String what) {
    String[] f = row.split(",");
    int levels = f.length / 4;
    int asks = 0;
    int bids = 0;
    for (int i = 0; i < levels; i++) {
      long ap = Long.parseLong(f[4 * i]);
      long bp = Long.parseLong(f[4 * i + 2]);
      if (ap != 9_999_999_999L) {
        JsonNode level = book.get("asks").get(asks++);
        assertEquals(BigDecimal.valueOf(ap, 4).compareTo(level.get(0).decimalValue()), 0, what + " ask " + i);
        assertEquals(Long.parseLong(f[4 * i + 1]), level.get(1).asLong(), what + " ask size " + i);
      }
      if (bp != -9_999_999_999L) {
        JsonNode level = book.get("bids").get(bids++);
        assertEquals(BigDecimal.valueOf(bp, 4).compareTo(level.get(0).decimalValue()), 0, what + " bid " + i);
        assertEquals(Long.parseLong(f[4 * i + 3]), level.get(1).asLong(), what + " bid size " + i);
      }
    }
    assertEquals(asks, book.get("asks").size(), what + " ask levels");
    assertEquals(bids, book.get("bids").size(), what + " bid levels");
  }

  @Test
  void lobsterFileBecomesTheInstrumentsLiveBookAndTrades() throws Exception {
    Path dir = Files.createTempDirectory("lobster-it");
    List<String> messages = Files.readAllLines(MESSAGES).subList(0, ROWS);
    List<String> rows = Files.readAllLines(ORDERBOOK).subList(0, ROWS);
    Path m = Files.write(dir.resolve("GOOG_message_10.csv"), messages);
    Path o = Files.write(dir.resolve("GOOG_orderbook_10.csv"), rows);

    Importer.Summary s = new Importer(base, "importkey", new PrintStream(new ByteArrayOutputStream()), false)
        .runLobster(m, o, "GOOG", Exchange.NASDAQ, LocalDate.of(2012, 6, 21));
    assertEquals(ROWS, s.read);
    assertEquals(0, s.rejected, s.rejects.toString());
    assertTrue(s.note.contains(" 0 integrity events"), s.note);
    long executions = messages.stream().filter(l -> l.split(",")[1].equals("4") || l.split(",")[1].equals("5")).count();
    assertEquals(executions, s.stored, "every execution stored as a trade");

    long token = InstrumentResolver.tokenFor(Exchange.NASDAQ, "GOOG");
    JsonNode live = get("api/v1/book/" + token + "?depth=10");
    assertEquals("L3", live.get("kind").asText());
    assertEquals("LIVE", live.get("status").asText());
    assertEquals("2012-06-21T13:3", live.get("ts").asText().substring(0, 15)); // 09:3x New York (EDT)
    assertBookEqualsRow(live, rows.get(ROWS - 1), "live book after row " + ROWS);

    // time travel over the imported day: rows whose time the next row does not share
    node.market().flushWriter().toCompletableFuture().get(30, TimeUnit.SECONDS);
    long midnight = LocalDate.of(2012, 6, 21).atStartOfDay(ZoneId.of("America/New_York")).toInstant().toEpochMilli() * 1_000_000L;
    int checked = 0;
    for (int k = 1; k < ROWS - 1; k += 397) {
      while (messages.get(k).split(",")[0].equals(messages.get(k + 1).split(",")[0])) k++;
      long ts = midnight + new BigDecimal(messages.get(k).split(",")[0]).movePointRight(9).longValueExact();
      String iso = java.net.URLEncoder.encode(io.tickloom.protocol.Timestamps.format(ts), java.nio.charset.StandardCharsets.UTF_8);
      assertBookEqualsRow(get("api/v1/book/" + token + "/at?depth=10&ts=" + iso), rows.get(k), "book at row " + (k + 1));
      checked++;
    }
    assertTrue(checked >= 8);
    assertEquals(executions, get("api/v1/ticks?token=" + token + "&limit=10000").get("items").size());
  }
}
