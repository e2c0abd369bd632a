package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live books and time travel on the whole node (simulated L2 depth through the ingest path into the instrument
 * entities, the book log in PostgreSQL, REST), from outside with a real HTTP client: books captured live at known
 * instants equal what {@code /api/v1/book/{token}/at?ts=} rebuilds for those instants from the stored states and
 * messages, across several stored states.
 */
class BookTimeTravelIT {
  static TickloomNode node;
  static HttpClient http = HttpClient.newHttpClient();
  static ObjectMapper json = new ObjectMapper();
  static ActorTestKit probes;

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.demo(TestNodes.overrides(
        "tickloom.node.feeds = sim",
        "tickloom.cluster.simulator.ticks-per-second = 500",
        "tickloom.cluster.simulator.depth-per-second = 1000",
        "tickloom.cluster.simulator.depth-snapshot-interval = 3s",
        "tickloom.cluster.books.snapshot-interval = 1s",
        // the test reads live books back to back from one address, far above a client's default REST rate
        "tickloom.http.limits.rest.per-second = 0")));
    probes = ActorTestKit.create("book-probes");
  }

  @AfterAll
  static void stop() throws Exception {
    probes.shutdownTestKit();
    node.close();
  }

  static JsonNode get(String path, int expectStatus) throws Exception {
    return TestNodes.get(node, path, expectStatus);
  }

  static long token(String symbol) throws Exception {
    return get("/api/v1/instruments?query=" + symbol + "&limit=1", 200).get("items").get(0).get("token").asLong();
  }

  @Test
  void booksCapturedLiveEqualTheBooksRebuiltForTheirInstants() throws Exception {
    long[] tokens = {token("RELIANCE"), token("INFY"), token("TCS")};
    TestProbe<Object> p = probes.createTestProbe();
    // the simulated depth reaches the entities: an L2 book with levels on both sides
    p.awaitAssert(Duration.ofSeconds(30), () -> {
      try {
        JsonNode b = get("/api/v1/book/" + tokens[0] + "?depth=5", 200);
        assertEquals("L2", b.get("kind").asText());
        assertEquals("LIVE", b.get("status").asText());
        assertEquals(5, b.get("asks").size());
        assertTrue(b.get("features").get("spread").decimalValue().signum() > 0);
        assertTrue(b.get("features").has("microprice"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    // live books at distinct instants, over a few seconds (several stored states in between)
    List<JsonNode> captured = new ArrayList<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    String[] lastTs = new String[tokens.length];
    while (System.nanoTime() < until || captured.size() < 12) {
      for (int k = 0; k < tokens.length; k++) {
        JsonNode b = get("/api/v1/book/" + tokens[k] + "?depth=1000", 200);
        String ts = b.get("ts").asText();
        if (!ts.equals(lastTs[k])) {
          lastTs[k] = ts;
          captured.add(b);
        }
      }
    }
    node.market().flushWriter().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (Connection c = node.database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM book_log WHERE token = ? AND kind = 1")) {
      ps.setLong(1, tokens[0]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertTrue(rs.getLong(1) >= 3, "stored book states: " + rs.getLong(1));
      }
    }
    for (JsonNode live : captured) {
      String ts = URLEncoder.encode(live.get("ts").asText(), StandardCharsets.UTF_8);
      JsonNode at = get("/api/v1/book/" + live.get("token").asLong() + "/at?depth=1000&ts=" + ts, 200);
      assertEquals(live, at, "the book of " + live.get("token") + " at " + live.get("ts"));
    }
    assertTrue(captured.size() >= 12, "captured " + captured.size());
  }

  @Test
  void badBookRequestsAreProblemsNamingTheField() throws Exception {
    long reliance = token("RELIANCE");
    assertEquals("depth", get("/api/v1/book/" + reliance + "?depth=0", 400).get("errors").get(0).get("field").asText());
    assertEquals("ts", get("/api/v1/book/" + reliance + "/at", 400).get("errors").get(0).get("field").asText());
    assertEquals("ts", get("/api/v1/book/" + reliance + "/at?ts=yesterday", 400).get("errors").get(0).get("field").asText());
    assertEquals("token", get("/api/v1/book/abc", 400).get("errors").get(0).get("field").asText());
    get("/api/v1/book/987654321", 404);
    get("/api/v1/book/" + reliance + "/at?ts=1000", 404); // 1970: nothing stored
    // the depth-message door: a key with role feed, items checked field by field
    String bad = "[{\"ts\":\"2026-01-15T03:45:00Z\",\"type\":\"ADD\",\"orderId\":1,\"side\":\"BUY\",\"price\":\"12.345\",\"size\":\"1\"}]";
    assertEquals(401, post("/api/v1/book/" + reliance + "/messages", null, bad).statusCode());
    HttpResponse<String> r = post("/api/v1/book/" + reliance + "/messages", "demo", bad);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("[0].price", json.readTree(r.body()).get("errors").get(0).get("field").asText());
    r = post("/api/v1/book/" + reliance + "/messages", "demo", "[{\"ts\":\"2026-01-15T03:45:00Z\",\"type\":\"MOVE\"}]");
    assertEquals("[0].type", json.readTree(r.body()).get("errors").get(0).get("field").asText());
    // an exchange time outside ticks' [1980, 2200) (here 1 ns after 1970) would move the book's clock for good
    r = post("/api/v1/book/" + reliance + "/messages", "demo", bad.replace("\"2026-01-15T03:45:00Z\"", "1").replace("12.345", "12.35"));
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("[0].ts", json.readTree(r.body()).get("errors").get(0).get("field").asText());
  }

  static HttpResponse<String> post(String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("X-API-Key", key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
