package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.protocol.Exchange;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/ingest/ticks} and {@code POST /api/v1/instruments} (SPEC §5, §8) against a real node: no feed
 * of its own ({@code feeds = ""}), so every stored tick came through the endpoint, a fresh PostgreSQL database, and a
 * real HTTP client. Each test uses instruments of its own, so the tests do not depend on one another or their order.
 *
 * <p>The node runs with the smallest ingest gate ({@code gate-capacity = 1}, {@code gate-parallelism = 1}: one batch
 * processed, one waiting, any further one refused with 429), so {@link #saturatedGateRefusesWholeRequestsWith429}
 * can provoke 429s with one burst of concurrent requests; the other tests send one request at a time, which such a
 * gate always takes.
 */
class IngestApiIT {
  static final String FEED_KEY = "feedkey";
  static final String TRADER_KEY = "traderkey";
  /** 2026-01-15T04:00:00Z (09:30 IST), epoch nanoseconds: the exchange time the tests' ticks start at. */
  static final long T0 = Instant.parse("2026-01-15T04:00:00Z").getEpochSecond() * 1_000_000_000L;

  static TickloomNode node;
  static ActorTestKit probes;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.demo(TestNodes.overrides(
        "tickloom.node.feeds = \"\"",
        "tickloom.http.api-keys = \"" + FEED_KEY + ":ACME:feed," + TRADER_KEY + ":ACME:trader\"",
        "tickloom.cluster.ingest.gate-capacity = 1",
        "tickloom.cluster.ingest.gate-parallelism = 1")));
    probes = ActorTestKit.create("ingest-api-probes");
    // Ready = an Up cluster member with a reachable database: before that, sharding cannot place the entities.
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
      try {
        assertEquals(200, send(get("/health/ready")).statusCode());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (probes != null) probes.shutdownTestKit();
    if (node != null) node.close();
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void missingWrongOrUnprivilegedKeyIsRefusedAndStoresNothing() throws Exception {
    long token = 408_101;
    register(nse(token, "AUTHCHK"));
    String batch = "[" + tick(token, T0, "100.05", "5", 1) + "]";

    HttpResponse<String> none = send(post("/api/v1/ingest/ticks", batch, null));
    assertProblem(none, 401, "urn:tickloom:problem:unauthorized");
    assertTrue(problem(none).get("detail").asText().contains("X-API-Key"), none.body());

    HttpResponse<String> wrong = send(post("/api/v1/ingest/ticks", batch, "not-a-key"));
    assertProblem(wrong, 401, "urn:tickloom:problem:unauthorized");

    HttpResponse<String> trader = send(post("/api/v1/ingest/ticks", batch, TRADER_KEY));
    assertProblem(trader, 403, "urn:tickloom:problem:forbidden");
    assertTrue(problem(trader).get("detail").asText().contains("feed"), trader.body());

    // The instrument import is guarded the same way.
    assertProblem(send(post("/api/v1/instruments", "[" + nse(408_102, "AUTHCHK2") + "]", TRADER_KEY)), 403,
        "urn:tickloom:problem:forbidden");
    assertEquals(404, send(get("/api/v1/instruments/408102")).statusCode());

    assertEquals(0, ticks(token).size(), "nothing stored from refused requests");
    assertEquals(0, node.market().ticks().count(token));
  }

  @Test
  void badItemIsReportedWithItsIndexAndFieldWhileTheGoodOnesAreStored() throws Exception {
    long infy = 408_065;
    register(nse(infy, "INFY"));
    String batch = "[" + String.join(",",
        // ISO time with microseconds, and epoch nanoseconds: both forms of "ts"
        "{\"token\":408065,\"ts\":\"2026-01-15T04:00:00.123456Z\",\"price\":\"1500.05\",\"qty\":\"10\",\"seq\":1,\"side\":\"BUY\"}",
        "{\"token\":408065,\"ts\":" + (T0 + 200_000_000L) + ",\"price\":\"abc\",\"qty\":\"3\",\"seq\":2}",
        "{\"token\":408065,\"ts\":" + (T0 + 300_000_000L) + ",\"price\":\"1500.10\",\"qty\":\"7\",\"seq\":2}") + "]";

    JsonNode answer = ingestOk(batch, "");
    assertEquals(3, answer.get("received").asInt(), answer.toString());
    assertEquals(2, answer.get("accepted").asInt(), answer.toString());
    assertEquals(2, answer.get("stored").asInt(), answer.toString());
    assertEquals(0, answer.get("duplicates").asInt(), answer.toString());
    assertEquals(1, answer.get("rejected").asInt(), answer.toString());
    JsonNode errors = answer.get("errors");
    assertEquals(1, errors.size(), answer.toString());
    assertEquals(1, errors.get(0).get("index").asInt());
    assertEquals("price", errors.get(0).get("field").asText());
    assertFalse(errors.get(0).get("reason").asText().isBlank());

    JsonNode items = ticks(infy);
    assertEquals(2, items.size(), items.toString());
    assertDecimal("1500.05", items.get(0).get("price"));
    assertDecimal("10", items.get(0).get("qty"));
    assertEquals("2026-01-15T04:00:00.123456Z", items.get(0).get("exchangeTs").asText());
    assertEquals("BUY", items.get(0).get("side").asText());
    assertEquals("primary", items.get(0).get("feed").asText());
    assertDecimal("1500.10", items.get(1).get("price"));
    assertDecimal("7", items.get(1).get("qty"));
    assertEquals(2, items.get(1).get("seq").asLong());
  }

  @Test
  void resentBatchIsAbsorbedAsDuplicates() throws Exception {
    long token = 408_066;
    register(nse(token, "REPOST"));
    String batch = "[" + tick(token, T0, "250.05", "1", 1) + ",{\"token\":" + token + ",\"ts\":" + T0 + ",\"price\":\"abc\",\"qty\":\"1\",\"seq\":9},"
        + tick(token, T0 + 1_000_000L, "250.10", "2", 2) + "]";

    JsonNode first = ingestOk(batch, "");
    assertEquals(2, first.get("stored").asInt(), first.toString());

    JsonNode again = ingestOk(batch, "");
    assertEquals(3, again.get("received").asInt(), again.toString());
    assertEquals(0, again.get("accepted").asInt(), again.toString());
    assertEquals(0, again.get("stored").asInt(), again.toString());
    assertEquals(2, again.get("duplicates").asInt(), again.toString());
    assertEquals(1, again.get("rejected").asInt(), again.toString());
    assertEquals(1, again.get("errors").get(0).get("index").asInt());

    assertEquals(2, ticks(token).size());
    assertEquals(2, node.market().ticks().count(token));
  }

  @Test
  void bySymbolTicksCreateCryptoInstrumentsOnSightButNotUnknownNseOnes() throws Exception {
    String batch = "[" + String.join(",",
        "{\"exchange\":\"BINANCE\",\"symbol\":\"ETHUSDT\",\"ts\":" + T0 + ",\"price\":\"3101.12345678\",\"qty\":\"0.0123\",\"tradeId\":1001}",
        "{\"exchange\":\"NSE\",\"symbol\":\"NOSUCHCO\",\"ts\":" + T0 + ",\"price\":\"10.05\",\"qty\":\"1\",\"seq\":1}",
        "{\"exchange\":\"BINANCE\",\"symbol\":\"ethusdt\",\"ts\":" + (T0 + 1000) + ",\"price\":\"3101.5\",\"qty\":\"1\",\"tradeId\":1002}") + "]";

    JsonNode answer = ingestOk(batch, "");
    assertEquals(3, answer.get("received").asInt(), answer.toString());
    assertEquals(2, answer.get("stored").asInt(), answer.toString());
    assertEquals(1, answer.get("rejected").asInt(), answer.toString());
    JsonNode error = answer.get("errors").get(0);
    assertEquals(1, answer.get("errors").size(), answer.toString());
    assertEquals(1, error.get("index").asInt());
    assertEquals("symbol", error.get("field").asText());
    assertTrue(error.get("reason").asText().contains("NSE:NOSUCHCO"), error.toString());

    JsonNode found = get200("/api/v1/instruments?query=ETHUSDT").get("items");
    assertEquals(1, found.size(), found.toString());
    JsonNode eth = found.get(0);
    assertEquals("BINANCE", eth.get("exchange").asText());
    assertEquals("ETHUSDT", eth.get("symbol").asText());
    assertTrue(eth.get("priceScale").asInt() >= 8, eth.toString());
    assertEquals(InstrumentResolver.tokenFor(Exchange.BINANCE, "ETHUSDT"), eth.get("token").asLong());
    JsonNode items = ticks(eth.get("token").asLong());
    assertEquals(2, items.size(), items.toString());
    assertDecimal("3101.12345678", items.get(0).get("price"));
    assertDecimal("0.0123", items.get(0).get("qty"));
    assertEquals(1001, items.get(0).get("tradeId").asLong());

    assertEquals(0, get200("/api/v1/instruments?query=NOSUCHCO").get("items").size(), "no NSE instrument made up");
  }

  @Test
  void bodyThatIsNotAnArrayOfAtMostTenThousandItemsIsRefusedWhole() throws Exception {
    long token = 408_068;
    register(nse(token, "BODYCHK"));

    assertBodyRefused(send(post("/api/v1/ingest/ticks", "this is not json", FEED_KEY)));
    assertBodyRefused(send(post("/api/v1/ingest/ticks", tick(token, T0, "10.05", "1", 1), FEED_KEY)));
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i <= 10_000; i++) tooMany.append(i == 0 ? "" : ",").append(tick(token, T0 + i, "10.05", "1", i + 1));
    HttpResponse<String> r = send(post("/api/v1/ingest/ticks", tooMany.append(']').toString(), FEED_KEY));
    assertBodyRefused(r);
    assertTrue(problem(r).get("detail").asText().contains("10000"), r.body());

    assertEquals(0, node.market().ticks().count(token), "a body refused whole stores nothing");
  }

  /**
   * 30 requests of 5,000 ticks each, sent at once, each on 5 instruments of its own (1,000 ticks each): with one batch
   * in process and one waiting, most are refused. Every refused request left nothing behind (its instruments hold no
   * tick), every taken one is stored whole, and the store holds exactly what the 200 answers say they stored.
   */
  @Test
  void saturatedGateRefusesWholeRequestsWith429() throws Exception {
    int requests = 30;
    int perRequest = 5;
    int ticksPerInstrument = 1_000;
    long base = 700_000;
    List<String> instruments = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      for (int k = 0; k < perRequest; k++) instruments.add(nse(base + r * perRequest + k, "SAT" + r + "X" + k));
    }
    register(instruments.toArray(String[]::new));

    List<HttpRequest> bodies = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      StringBuilder b = new StringBuilder(perRequest * ticksPerInstrument * 90).append('[');
      for (int i = 0; i < ticksPerInstrument; i++) {
        for (int k = 0; k < perRequest; k++) {
          if (b.length() > 1) b.append(',');
          b.append(tick(base + r * perRequest + k, T0 + i * 1_000_000L, (100 + i % 50) + ".05", "1", i + 1));
        }
      }
      bodies.add(post("/api/v1/ingest/ticks", b.append(']').toString(), FEED_KEY));
    }
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (HttpRequest req : bodies) sent.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();

    int ok = 0;
    int refused = 0;
    long storedPerAnswers = 0;
    long storedInAll = 0;
    for (int r = 0; r < requests; r++) {
      HttpResponse<String> resp = sent.get(r).get();
      long inStore = 0;
      for (int k = 0; k < perRequest; k++) inStore += node.market().ticks().count(base + r * perRequest + k);
      storedInAll += inStore;
      if (resp.statusCode() == 429) {
        refused++;
        assertProblem(resp, 429, "urn:tickloom:problem:saturated");
        assertTrue(resp.headers().firstValue("Retry-After").isPresent(), "429 without Retry-After");
        assertEquals(0, inStore, "request " + r + " was refused but " + inStore + " of its ticks were stored");
      } else {
        assertEquals(200, resp.statusCode(), "request " + r + ": " + resp.body());
        ok++;
        JsonNode answer = json.readTree(resp.body());
        assertEquals(perRequest * ticksPerInstrument, answer.get("received").asInt(), answer.toString());
        assertEquals(perRequest * ticksPerInstrument, answer.get("stored").asInt(), answer.toString());
        assertEquals(0, answer.get("rejected").asInt(), answer.toString());
        storedPerAnswers += answer.get("stored").asLong();
        assertEquals(perRequest * ticksPerInstrument, inStore, "request " + r + " answered 200 but its ticks are not all stored");
      }
    }
    assertTrue(refused >= 1, "no 429 out of " + requests + " concurrent requests against a gate of capacity 1");
    assertTrue(ok >= 1, "every request refused: the gate never took one");
    assertEquals(storedPerAnswers, storedInAll, "stored ticks = what the 200 answers stored");
  }

  @Test
  void feedImportMarksStoredTicksAndOtherFeedParametersAreRefused() throws Exception {
    long token = 408_067;
    register(nse(token, "IMPORTED"));
    JsonNode answer = ingestOk("[" + tick(token, T0, "55.55", "3", 1) + "]", "?feed=import");
    assertEquals(1, answer.get("stored").asInt(), answer.toString());
    JsonNode items = ticks(token);
    assertEquals(1, items.size());
    assertEquals("import", items.get(0).get("feed").asText());

    HttpResponse<String> primary = send(post("/api/v1/ingest/ticks?feed=primary", "[" + tick(token, T0 + 1, "55.60", "1", 2) + "]", FEED_KEY));
    assertProblem(primary, 400, "urn:tickloom:problem:invalid-parameters");
    assertEquals("feed", problem(primary).get("errors").get(0).get("field").asText(), primary.body());
    assertEquals(1, node.market().ticks().count(token));
  }

  @Test
  void instrumentImportReportsBadItemsAndStoresTheGoodOnes() throws Exception {
    String batch = "[" + String.join(",",
        nse(409_001, "GOODA"),
        "{\"token\":409002,\"exchange\":\"NSE\",\"symbol\":\"BADTICK\",\"kind\":\"EQ\",\"tickSize\":-0.05,\"lotSize\":1,\"priceScale\":2,\"qtyScale\":0}",
        "{\"token\":409003,\"exchange\":\"NOPE\",\"symbol\":\"BADVENUE\",\"kind\":\"EQ\",\"tickSize\":0.05,\"lotSize\":1,\"priceScale\":2,\"qtyScale\":0}",
        nse(409_004, "GOODB")) + "]";
    HttpResponse<String> r = send(post("/api/v1/instruments", batch, FEED_KEY));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = json.readTree(r.body());
    assertEquals(4, answer.get("received").asInt(), r.body());
    assertEquals(2, answer.get("stored").asInt(), r.body());
    assertEquals(2, answer.get("rejected").asInt(), r.body());
    JsonNode errors = answer.get("errors");
    assertEquals(2, errors.size(), r.body());
    assertEquals(1, errors.get(0).get("index").asInt());
    assertEquals("tickSize", errors.get(0).get("field").asText());
    assertEquals(2, errors.get(1).get("index").asInt());
    assertEquals("exchange", errors.get(1).get("field").asText());

    JsonNode goodA = get200("/api/v1/instruments/409001");
    assertEquals("GOODA", goodA.get("symbol").asText());
    assertDecimal("0.05", goodA.get("tickSize"));
    assertEquals(2, goodA.get("priceScale").asInt());
    JsonNode found = get200("/api/v1/instruments?query=GOODB").get("items");
    assertEquals(1, found.size(), found.toString());
    assertEquals(409_004, found.get(0).get("token").asLong());
    assertEquals(404, send(get("/api/v1/instruments/409002")).statusCode());
    assertEquals(404, send(get("/api/v1/instruments/409003")).statusCode());
  }

  @Test
  void instrumentImportRefusesASymbolAnotherTokenHoldsAndKeepsTheRest() throws Exception {
    register(nse(409_101, "CONFLICTA"));
    HttpResponse<String> r = send(post("/api/v1/instruments", "[" + nse(409_102, "CONFLICTA") + "," + nse(409_103, "GOODC") + "]", FEED_KEY));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = json.readTree(r.body());
    assertEquals(1, answer.get("stored").asInt(), r.body());
    assertEquals(1, answer.get("errors").size(), r.body());
    assertEquals(0, answer.get("errors").get(0).get("index").asInt(), r.body());
    assertEquals("symbol", answer.get("errors").get(0).get("field").asText(), r.body());
    assertEquals(409_101, get200("/api/v1/instruments?query=CONFLICTA").get("items").get(0).get("token").asLong());
    assertEquals("GOODC", get200("/api/v1/instruments/409103").get("symbol").asText());
    assertEquals(404, send(get("/api/v1/instruments/409102")).statusCode());
  }

  @Test
  void instrumentImportRefusesToChangeTheScaleOfAKnownInstrument() throws Exception {
    long token = 409_201;
    register(nse(token, "RESCALE"));
    assertEquals(1, ingestOk("[" + tick(token, T0, "1500.05", "2", 1) + "]", "").get("stored").asInt());
    String rescaled = "{\"token\":409201,\"exchange\":\"NSE\",\"symbol\":\"RESCALE\",\"kind\":\"EQ\",\"tickSize\":0.05,\"lotSize\":1,\"priceScale\":4,\"qtyScale\":0}";
    HttpResponse<String> r = send(post("/api/v1/instruments", "[" + rescaled + "]", FEED_KEY));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = json.readTree(r.body());
    assertEquals(0, answer.get("stored").asInt(), r.body());
    assertEquals("priceScale", answer.get("errors").get(0).get("field").asText(), r.body());
    assertEquals(2, get200("/api/v1/instruments/409201").get("priceScale").asInt());
    assertDecimal("1500.05", ticks(token).get(0).get("price"));
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** An NSE equity in the shape {@code GET /api/v1/instruments/{token}} answers: paise prices, whole shares. */
  static String nse(long token, String symbol) {
    return "{\"token\":" + token + ",\"exchange\":\"NSE\",\"symbol\":\"" + symbol
        + "\",\"kind\":\"EQ\",\"tickSize\":0.05,\"lotSize\":1,\"priceScale\":2,\"qtyScale\":0}";
  }

  static String tick(long token, long ts, String price, String qty, long seq) {
    return "{\"token\":" + token + ",\"ts\":" + ts + ",\"price\":\"" + price + "\",\"qty\":\"" + qty + "\",\"seq\":" + seq + "}";
  }

  static void register(String... instruments) throws Exception {
    HttpResponse<String> r = send(post("/api/v1/instruments", "[" + String.join(",", instruments) + "]", FEED_KEY));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = json.readTree(r.body());
    assertEquals(instruments.length, answer.get("stored").asInt(), r.body());
  }

  static JsonNode ingestOk(String body, String query) throws Exception {
    HttpResponse<String> r = send(post("/api/v1/ingest/ticks" + query, body, FEED_KEY));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    return json.readTree(r.body());
  }

  /** The stored ticks of {@code token}, oldest first, as {@code GET /api/v1/ticks} lists them. */
  static JsonNode ticks(long token) throws Exception {
    JsonNode page = get200("/api/v1/ticks?token=" + token + "&limit=1000");
    assertTrue(page.get("nextCursor").isNull(), "more than one page");
    return page.get("items");
  }

  static JsonNode get200(String path) throws Exception {
    HttpResponse<String> r = send(get(path));
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return json.readTree(r.body());
  }

  static HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build();
  }

  static HttpRequest post(String path, String body, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("X-API-Key", key);
    return b.build();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.httpPort() + path);
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode problem(HttpResponse<String> r) throws Exception {
    return json.readTree(r.body());
  }

  /** An RFC 9457 answer: the status, {@code application/problem+json}, the given {@code type}, a detail. */
  static void assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
    JsonNode p = problem(r);
    assertEquals(type, p.path("type").asText(), r.body());
    assertEquals(status, p.path("status").asInt(), r.body());
    assertNotNull(p.get("detail"), r.body());
    assertFalse(p.get("detail").asText().isBlank(), r.body());
  }

  static void assertBodyRefused(HttpResponse<String> r) throws Exception {
    assertProblem(r, 400, "urn:tickloom:problem:invalid-body");
    assertEquals("body", problem(r).get("errors").get(0).get("field").asText(), r.body());
  }

  /** {@code actual} is exactly the decimal {@code expected} (read as BigDecimal: a float rendering would differ). */
  static void assertDecimal(String expected, JsonNode actual) {
    assertNotNull(actual);
    assertTrue(actual.isNumber(), "not a JSON number: " + actual);
    assertEquals(0, new BigDecimal(expected).compareTo(actual.decimalValue()), "expected " + expected + ", got " + actual);
  }
}
