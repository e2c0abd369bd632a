package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.replay.ReplaySessions;
import io.tickloom.cluster.replay.ReplaySettings;
import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, order journals re-streamed, end to end: the real OMS journaling to a fresh embedded PostgreSQL (Pekko
 * Persistence JDBC), ticks in the real tick store, a real HTTP client and WebSocket client. Orders are placed while the
 * stored ticks' period runs (the ticks carry wall-clock times around the test, every 100 ms), then
 * {@code GET /api/v1/orders/events} re-reads them from the journal, and a replay with {@code "account"} streams them as
 * {@code replay_order_event} frames interleaved at their places among the {@code replay_tick}s.
 */
class ReplayOrdersIT {
  static final String KEY = "rokey";
  static final String OTHER_KEY = "otherkey";
  static final String FEED_KEY = "rofeed";
  static final long MS = 1_000_000L;

  static Database db;
  static ActorTestKit kit;
  static OrderService orders;
  static ServerBinding binding;
  static URI base;
  static long from;
  static long to;
  static final List<OrderId> placed = new ArrayList<>();
  static final ExecutorService blocking = Executors.newFixedThreadPool(2);
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    Config config = OmsTestConfig.on(db, "jdbc-read-journal.refresh-interval = 100ms");
    kit = ActorTestKit.create("replay-orders", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    orders = OrderService.start(kit.system());
    TopicLiveMarket live = new TopicLiveMarket(kit.system());
    long now = System.currentTimeMillis() * MS;
    live.setForming(new Bar(RELIANCE.token(), Timeframe.S1, now, now + 1_000 * MS, 250_000, 250_000, 250_000, 250_000, 10, 1, 250_000, false, 0));
    InstrumentRegistry instruments = new InstrumentRegistry(Fixtures.ALL);
    TickStore ticks = new TickStore(db);
    // Ticks every 100 ms from 2 s ago to 60 s ahead: the orders below are placed inside this period.
    from = (now / (1_000 * MS)) * 1_000 * MS - 2_000 * MS;
    to = from + 62_000 * MS;
    List<Tick> stored = new ArrayList<>();
    int seq = 0;
    for (long ts = from; ts < to; ts += 100 * MS) stored.add(Fixtures.tick(RELIANCE, ++seq, ts, 250_000 + seq % 50));
    ticks.write(stored);
    ReplaySessions replays = new ReplaySessions(kit.system(), ticks, instruments, ClusterSettings.fromConfig(config), blocking,
        ReplaySettings.DEFAULTS).withOrderEvents(orders::accountEvents);
    HttpContext ctx = new HttpContext(kit.system(), instruments, ticks, new BarStore(db), new GapStore(db), new IndicatorStore(db), live, blocking,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, HttpSettings.fromConfig(config), null, orders,
        ApiKeys.parse(KEY + ":RACC:trader," + OTHER_KEY + ":OTHER:trader," + FEED_KEY + ":RACC:feed"))
        .withReplays(replays).withStream(new ReplayStreams(replays, instruments));
    binding = HttpServer.start(ctx).toCompletableFuture().get(20, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());

    // Three orders of RACC placed now (inside the ticks' period), one accepted and filled; one of OTHER (same journal).
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = send(post("/api/v1/orders", order("ro-" + i, "RACC", "2490." + (i * 5 < 10 ? "0" : "") + (i * 5)), KEY));
      assertEquals(201, r.statusCode(), r.body());
      placed.add(OrderId.parse(WsClient.JSON.readTree(r.body()).get("orderId").asText()));
    }
    orders.reports().accepted(placed.get(1)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    orders.reports().filled(placed.get(1), 3, 249_100, "ro-T1").toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(201, send(post("/api/v1/orders", order("ro-x", "OTHER", "2490.00"), OTHER_KEY)).statusCode());
    // The JDBC read journal sees new rows after its refresh interval: wait until the tag query shows all five.
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
      assertEquals(5, orders.accountEvents("RACC", from, to).toCompletableFuture().join().size());
      return null;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (binding != null) binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (kit != null) kit.shutdownTestKit();
    blocking.shutdownNow();
    if (db != null) db.close();
  }

  static String order(String clientOrderId, String account, String price) {
    return "{\"clientOrderId\":\"" + clientOrderId + "\",\"account\":\"" + account + "\",\"token\":" + RELIANCE.token()
        + ",\"side\":\"BUY\",\"qty\":\"3\",\"type\":\"LIMIT\",\"price\":\"" + price + "\",\"tif\":\"DAY\"}";
  }

  static HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    return key == null ? b : b.header("X-API-Key", key);
  }

  static HttpRequest post(String path, String body, String key) {
    return request(path, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static HttpResponse<String> get(String path, String key) throws Exception {
    return send(request(path, key).GET().build());
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return WsClient.JSON.readTree(r.body());
  }

  static String range() {
    return "from=" + Timestamps.format(from) + "&to=" + Timestamps.format(to);
  }

  @Test
  void theAccountEventStreamReReadsTheJournalInJournalOrderWithOrderIds() throws Exception {
    HttpResponse<String> r = get("/api/v1/orders/events?account=RACC&" + range(), KEY);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode items = json(r).get("items");
    List<String> seen = new ArrayList<>();
    for (JsonNode i : items) seen.add(i.get("orderId").asText().substring(0, 4) + ":" + i.get("type").asText() + ":" + i.get("seq").asLong());
    assertEquals(List.of("RACC:OrderSubmitted:1", "RACC:OrderSubmitted:1", "RACC:OrderSubmitted:1", "RACC:OrderAccepted:2", "RACC:OrderFilled:3"),
        seen, items.toString());
    List<String> ids = new ArrayList<>();
    for (JsonNode i : items) ids.add(i.get("orderId").asText());
    assertEquals(List.of(placed.get(0).value(), placed.get(1).value(), placed.get(2).value(), placed.get(1).value(), placed.get(1).value()), ids,
        "items carry their order's id");
    assertTrue(r.body().contains("\"price\":2491.00"), "a fill renders at the instrument's scale: " + r.body());
    assertTrue(json(r).get("nextCursor").isNull());
    // The same items as the per-order journal reads, item for item (minus orderId).
    JsonNode one = json(get("/api/v1/orders/" + placed.get(1).value() + "/events", KEY)).get("items");
    for (int k = 0; k < 3; k++) {
      JsonNode a = one.get(k).deepCopy();
      JsonNode b = ((com.fasterxml.jackson.databind.node.ObjectNode) items.get(k == 0 ? 1 : k + 2).deepCopy());
      if (k > 0) ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("orderId");
      assertEquals(a, b);
    }

    // Pages: limit and the cursor continue in journal order.
    JsonNode page1 = json(get("/api/v1/orders/events?" + range() + "&limit=2", KEY));
    assertEquals(2, page1.get("items").size());
    String cursor = page1.get("nextCursor").asText();
    JsonNode page2 = json(get("/api/v1/orders/events?" + range() + "&limit=10&cursor=" + cursor, KEY));
    assertEquals(3, page2.get("items").size());
    assertEquals(items.get(2), page2.get("items").get(0));

    // The time range bounds tsEvent: nothing before the ticks' period.
    assertEquals(0, json(get("/api/v1/orders/events?from=" + Timestamps.format(from - 60_000 * MS) + "&to=" + Timestamps.format(from), KEY))
        .get("items").size());

    // Auth and input as the other order routes.
    HttpResponse<String> other = get("/api/v1/orders/events?account=RACC&" + range(), OTHER_KEY);
    assertEquals(403, other.statusCode());
    assertTrue(!other.body().contains("Submitted"), other.body());
    assertEquals(401, get("/api/v1/orders/events?account=RACC", null).statusCode());
    assertEquals(403, get("/api/v1/orders/events?account=RACC", FEED_KEY).statusCode());
    HttpResponse<String> bad = get("/api/v1/orders/events?from=yesterday", KEY);
    assertEquals(400, bad.statusCode());
    assertEquals("from", json(bad).get("errors").get(0).get("field").asText());
    assertEquals("cursor", json(get("/api/v1/orders/events?cursor=abc", KEY)).get("errors").get(0).get("field").asText());
  }

  @Test
  void aReplayWithTheAccountInterleavesItsOrderEventsWithTheTicksByTime() throws Exception {
    String body = "{\"tokens\":[" + RELIANCE.token() + "],\"from\":\"" + Timestamps.format(from) + "\",\"to\":\"" + Timestamps.format(to)
        + "\",\"speed\":20,\"account\":\"RACC\"}"; // 3 s, paced: a client reading along loses nothing
    assertEquals(401, send(post("/api/v1/replays", body, null)).statusCode());
    assertEquals(403, send(post("/api/v1/replays", body, OTHER_KEY)).statusCode());
    assertEquals(403, send(post("/api/v1/replays", body, FEED_KEY)).statusCode());
    HttpResponse<String> badAccount = send(post("/api/v1/replays", body.replace("\"RACC\"", "\"no such!\""), KEY));
    assertEquals(400, badAccount.statusCode());
    assertEquals("account", json(badAccount).get("errors").get(0).get("field").asText());
    HttpResponse<String> created = send(post("/api/v1/replays", body, KEY));
    assertEquals(201, created.statusCode(), created.body());
    String id = json(created).get("id").asText();

    List<JsonNode> frames = new ArrayList<>();
    try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + base.getPort() + "/ws?key=" + KEY), true)) {
      ws.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + ":ticks,orders\"]}");
      ws.next("subscribed");
      while (true) {
        JsonNode f = ws.next();
        if (f.get("type").asText().equals("replay_end")) break;
        frames.add(f);
      }
    }
    assertTrue(frames.stream().noneMatch(f -> f.get("type").asText().equals("dropped")), "the client kept up: every frame is here");
    List<JsonNode> events = frames.stream().filter(f -> f.get("type").asText().equals("replay_order_event")).toList();
    assertEquals(List.of("OrderSubmitted", "OrderSubmitted", "OrderSubmitted", "OrderAccepted", "OrderFilled"),
        events.stream().map(e -> e.get("event").asText()).toList(), events.toString());
    assertTrue(events.stream().allMatch(e -> e.get("account").asText().equals("RACC") && e.get("replay").asText().equals(id)), events.toString());
    assertTrue(events.stream().allMatch(e -> placed.contains(OrderId.parse(e.get("orderId").asText()))), "OTHER's order is not in RACC's replay");

    // Each order event sits after every tick at or before its time and before every later tick.
    long lastTick = Long.MIN_VALUE;
    int ticksSeen = 0;
    int betweenTicks = 0;
    for (int k = 0; k < frames.size(); k++) {
      JsonNode f = frames.get(k);
      String type = f.get("type").asText();
      if (type.equals("replay_tick")) {
        long ts = Timestamps.parseQuery(f.get("exchangeTs").asText());
        assertTrue(ts >= lastTick, "ticks in exchange-time order");
        lastTick = ts;
        ticksSeen++;
      } else if (type.equals("replay_order_event")) {
        long at = Timestamps.parseQuery(f.get("tsEvent").asText());
        assertTrue(lastTick <= at, "order event at " + f.get("tsEvent") + " after a later tick " + Timestamps.format(lastTick));
        long next = nextTick(frames, k);
        assertTrue(next > at, "order event at " + f.get("tsEvent") + " before the tick at or before it " + Timestamps.format(next));
        if (lastTick != Long.MIN_VALUE && next != Long.MAX_VALUE) betweenTicks++;
      }
    }
    assertEquals(620, ticksSeen, "every stored tick");
    assertEquals(5, betweenTicks, "the orders were placed inside the ticks' period");

    // replay:<id>:bars carries no order events (what `tickloom replay` prints stays bars only).
    String narrowed = json(send(post("/api/v1/replays", body.replace("\"speed\":20", "\"speed\":\"max\""), KEY))).get("id").asText();
    try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + base.getPort() + "/ws?key=" + KEY), true)) {
      ws.send("{\"action\":\"subscribe\",\"channels\":[\"replay:" + narrowed + ":bars\"]}");
      ws.next("subscribed");
      JsonNode f;
      do {
        f = ws.next();
        assertTrue(!f.get("type").asText().equals("replay_order_event") && !f.get("type").asText().equals("replay_tick"), f.toString());
      } while (!f.get("type").asText().equals("replay_end"));
      assertEquals("ENDED", f.get("state").asText());
    }
  }

  static long nextTick(List<JsonNode> frames, int k) {
    for (int j = k + 1; j < frames.size(); j++) {
      if (frames.get(j).get("type").asText().equals("replay_tick")) return Timestamps.parseQuery(frames.get(j).get("exchangeTs").asText());
    }
    return Long.MAX_VALUE;
  }
}
