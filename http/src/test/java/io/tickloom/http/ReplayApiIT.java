package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static io.tickloom.http.Fixtures.TCS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.replay.ReplaySessions;
import io.tickloom.cluster.replay.ReplaySettings;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timestamps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays over REST and the WebSocket channel {@code replay:<id>} (SPEC §5, §6), on a real server and PostgreSQL. */
class ReplayApiIT {
  static TestNode node;
  static List<Tick> stored = new ArrayList<>();
  /** Replays belong to the key that creates them: KEY creates, OTHER is another trader, ADMIN sees all. */
  static final String KEY = "replay-owner";
  static final String OTHER = "replay-other";
  static final String ADMIN = "replay-admin";
  static final String FROM = Timestamps.format(T0);
  static final String TO = Timestamps.format(T0 + 10 * Fixtures.MINUTE);

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s, ApiKeys.parse(KEY + ":R1:trader," + OTHER + ":R2:trader," + ADMIN + ":ADM:admin"), ctx -> {
      ReplaySessions replays = new ReplaySessions(ctx.system(), ctx.ticks(), ctx.instruments(),
          ClusterSettings.fromConfig(ctx.system().settings().config()), ctx.blocking(), ReplaySettings.DEFAULTS);
      return ctx.withReplays(replays).withStream(new ReplayStreams(replays, ctx.instruments()));
    });
    // Two instruments, ticks every ~1 s over 3 minutes, interleaved in exchange time.
    stored.addAll(Fixtures.ticks(RELIANCE, 180, T0, 250_005));
    stored.addAll(Fixtures.ticks(TCS, 180, T0 + 500_000_000L, 400_000));
    node.ticks.write(stored);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body, KEY);
  }

  static HttpResponse<String> post(String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.base.resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("X-API-Key", key);
    return node.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> delete(String path) throws Exception {
    return delete(path, KEY);
  }

  static HttpResponse<String> delete(String path, String key) throws Exception {
    return node.client.send(HttpRequest.newBuilder(node.base.resolve(path)).timeout(Duration.ofSeconds(20)).header("X-API-Key", key).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return node.get(path, KEY);
  }

  static java.net.URI ws(String key) {
    return java.net.URI.create(node.ws() + "?key=" + key);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return WsClient.JSON.readTree(r.body());
  }

  static String body(String speed, String tf) {
    return "{\"tokens\":[" + RELIANCE.token() + "," + TCS.token() + "],\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"speed\":" + speed
        + ",\"tf\":\"" + tf + "\"}";
  }

  @Test
  void aReplayIsCreatedQueriedPausedResumedSoughtAndCancelled() throws Exception {
    HttpResponse<String> created = post("/api/v1/replays", body("10", "1m"));
    assertEquals(201, created.statusCode(), created.body());
    JsonNode c = json(created);
    String id = c.get("id").asText();
    assertTrue(id.startsWith("rp-"), id);
    assertEquals("/api/v1/replays/" + id, created.headers().firstValue("Location").orElseThrow());
    assertEquals("WAITING", c.get("state").asText(), "nothing is produced before a subscriber attaches");
    assertEquals(10, c.get("speed").asInt());
    assertEquals("1m", c.get("tf").asText());
    assertEquals(FROM, c.get("position").asText());

    JsonNode got = json(get("/api/v1/replays/" + id));
    assertEquals(id, got.get("id").asText());
    assertEquals(List.of(RELIANCE.token(), TCS.token()), List.of(got.get("tokens").get(0).asLong(), got.get("tokens").get(1).asLong()));
    assertEquals("PAUSED", json(post("/api/v1/replays/" + id + "/pause", "")).get("state").asText());
    assertEquals("RUNNING", json(post("/api/v1/replays/" + id + "/resume", "")).get("state").asText());
    String at = Timestamps.format(T0 + Fixtures.MINUTE);
    HttpResponse<String> sought = post("/api/v1/replays/" + id + "/seek?ts=" + at, "");
    assertEquals(200, sought.statusCode(), sought.body());
    assertEquals(at, json(sought).get("position").asText());
    HttpResponse<String> outside = post("/api/v1/replays/" + id + "/seek?ts=" + Timestamps.format(T0 - Fixtures.MINUTE), "");
    assertEquals(400, outside.statusCode());
    assertEquals("ts", json(outside).get("errors").get(0).get("field").asText());
    assertEquals("ts", json(post("/api/v1/replays/" + id + "/seek", "")).get("errors").get(0).get("field").asText());
    assertTrue(json(get("/api/v1/replays")).get("items").findValuesAsText("id").contains(id));

    HttpResponse<String> cancelled = delete("/api/v1/replays/" + id);
    assertEquals(200, cancelled.statusCode());
    assertEquals("CANCELLED", json(cancelled).get("state").asText());
    HttpResponse<String> refused = post("/api/v1/replays/" + id + "/pause", "");
    assertEquals(409, refused.statusCode());
    assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(404, get("/api/v1/replays/rp-unknown").statusCode());
    assertEquals(404, post("/api/v1/replays/rp-unknown/resume", "").statusCode());
  }

  static Stream<Arguments> badBodies() {
    String good = "\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"";
    return Stream.of(
        Arguments.of("{" + good + "}", "tokens"),
        Arguments.of("{\"tokens\":[424242]," + good + "}", "tokens"),
        Arguments.of("{\"tokens\":[\"x\"]," + good + "}", "tokens"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "],\"to\":\"" + TO + "\"}", "from"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "],\"from\":\"yesterday\"}", "from"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "],\"from\":\"" + TO + "\",\"to\":\"" + FROM + "\"}", "to"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"speed\":\"fast\"}", "speed"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"speed\":-2}", "speed"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"tf\":\"7m\"}", "tf"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"paused\":\"yes\"}", "paused"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"kafka\":\"yes\"}", "kafka"),
        Arguments.of("{\"tokens\":[" + RELIANCE.token() + "]," + good + ",\"kafka\":true}", "kafka"), // this node has no Kafka
        Arguments.of("[1,2]", "body"),
        Arguments.of("{not json", "body"));
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void badBodiesAreRefusedNamingTheField(String body, String field) throws Exception {
    HttpResponse<String> r = post("/api/v1/replays", body);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(field, json(r).get("errors").get(0).get("field").asText(), r.body());
  }

  @Test
  void theReplayChannelStreamsTicksBarsAndIndicatorsTaggedWithTheReplayThenItsEnd() throws Exception {
    String id = json(post("/api/v1/replays", body("\"max\"", "1m"))).get("id").asText();
    try (WsClient ws = WsClient.connect(ws(KEY), true)) {
      ws.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + "\"]}");
      ws.next("subscribed");
      List<JsonNode> ticks = new ArrayList<>();
      List<JsonNode> bars = new ArrayList<>();
      int indicators = 0;
      JsonNode end;
      while (true) {
        JsonNode f = ws.next();
        String type = f.get("type").asText();
        if (!type.equals("unsubscribed")) assertEquals(id, f.get("replay").asText(), f.toString());
        if (type.equals("replay_tick")) ticks.add(f);
        else if (type.equals("replay_bar")) bars.add(f);
        else if (type.equals("replay_indicator")) indicators++;
        else if (type.equals("replay_end")) {
          end = f;
          break;
        } else throw new AssertionError("unexpected frame " + f);
      }
      assertEquals(360, ticks.size());
      for (int i = 1; i < ticks.size(); i++) {
        assertTrue(ticks.get(i - 1).get("exchangeTs").asText().compareTo(ticks.get(i).get("exchangeTs").asText()) <= 0, "exchange-time order");
      }
      // A replay_tick minus its tags is the REST tick item, as feed replay.
      ObjectNode restFirst = (ObjectNode) json(node.get("/api/v1/ticks?token=" + RELIANCE.token() + "&limit=1")).get("items").get(0);
      restFirst.put("feed", "replay");
      ObjectNode first = ticks.get(0).deepCopy();
      first.remove("type");
      first.remove("replay");
      assertEquals(restFirst, first);
      // 180 ticks ~1.0001 s apart per instrument from 09:15: the minutes 09:15 to 09:18 of both, final at the period's end.
      assertEquals(8, bars.size(), bars.toString());
      assertTrue(bars.stream().allMatch(b -> b.get("tf").asText().equals("1m") && b.get("final").asBoolean()));
      assertEquals(8, indicators);
      assertEquals("ENDED", end.get("state").asText());
      assertEquals(360, end.get("ticksSent").asLong());
      assertEquals("unsubscribed", ws.next().get("type").asText());
    }
    assertEquals("ENDED", json(get("/api/v1/replays/" + id)).get("state").asText());
  }

  @Test
  void aNodeWithoutReplaysAnswers503() throws Exception {
    try (TestNode bare = new TestNode(s -> s, ApiKeys.parse(KEY + ":R1:trader"), ctx -> ctx)) {
      HttpResponse<String> r = bare.client.send(HttpRequest.newBuilder(bare.base.resolve("/api/v1/replays")).timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/json").header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofString(body("1", "1m"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(503, bare.get("/api/v1/replays/rp-1", KEY).statusCode());
    }
  }

  @Test
  void aNarrowedChannelCarriesOnlyFinalBarsAndTheEnd() throws Exception {
    String id = json(post("/api/v1/replays", body("\"max\"", "1m"))).get("id").asText();
    try (WsClient ws = WsClient.connect(ws(KEY), true)) {
      ws.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + ":bars\"]}");
      ws.next("subscribed");
      for (int i = 0; i < 8; i++) ws.next("replay_bar");
      ws.next("replay_end");
      ws.next("unsubscribed");
      ws.send("{\"action\":\"subscribe\",\"channels\":[\"replay:rp-none\"]}");
      ws.next("subscribed");
      JsonNode error = ws.next("error");
      assertEquals("unknown_channel", error.get("code").asText());
      assertTrue(error.get("message").asText().contains("rp-none"), error.toString());
    }
  }

  @Test
  void aReplayBelongsToTheKeyThatCreatedItAndAnAdmin() throws Exception {
    assertEquals(401, post("/api/v1/replays", body("1", "1m"), null).statusCode(), "no key, no replay");
    String id = json(post("/api/v1/replays", body("1", "1m"))).get("id").asText();
    // another key: the session does not exist for it, whatever it tries
    assertEquals(404, node.get("/api/v1/replays/" + id, OTHER).statusCode());
    assertEquals(404, post("/api/v1/replays/" + id + "/pause", "", OTHER).statusCode());
    assertEquals(404, post("/api/v1/replays/" + id + "/seek?ts=" + FROM, "", OTHER).statusCode());
    assertEquals(404, delete("/api/v1/replays/" + id, OTHER).statusCode());
    assertEquals(401, node.get("/api/v1/replays").statusCode(), "listing needs a key");
    assertTrue(json(node.get("/api/v1/replays", OTHER)).get("items").findValues("id").stream().noneMatch(v -> v.asText().equals(id)));
    assertTrue(json(get("/api/v1/replays")).get("items").findValues("id").stream().anyMatch(v -> v.asText().equals(id)));
    try (WsClient other = WsClient.connect(ws(OTHER), true); WsClient none = WsClient.connect(node.ws(), true)) {
      other.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + "\"]}");
      other.next("subscribed");
      assertEquals("unknown_channel", other.next("error").get("code").asText(), "another key cannot watch it");
      none.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + "\"]}");
      none.next("subscribed");
      assertEquals("forbidden", none.next("error").get("code").asText(), "nor can a connection without a key");
    }
    // an admin sees and controls it
    assertEquals(200, node.get("/api/v1/replays/" + id, ADMIN).statusCode());
    assertEquals("CANCELLED", json(delete("/api/v1/replays/" + id, ADMIN)).get("state").asText());
  }

  @Test
  void aKeyHoldsAtMostItsQuotaOfReplays() throws Exception {
    List<String> ids = new ArrayList<>();
    HttpResponse<String> r;
    while ((r = post("/api/v1/replays", "{\"tokens\":[" + RELIANCE.token() + "],\"from\":\"" + FROM + "\",\"to\":\"" + TO
        + "\",\"speed\":1,\"tf\":\"1m\",\"paused\":true}", OTHER)).statusCode() == 201) {
      ids.add(json(r).get("id").asText());
      assertTrue(ids.size() <= 4, "the default quota is 4");
    }
    assertEquals(429, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertEquals(4, ids.size());
    for (String id : ids) delete("/api/v1/replays/" + id, OTHER);
    assertEquals(201, post("/api/v1/replays", body("1", "1m"), OTHER).statusCode(), "cancelled ones no longer count");
  }
}
