package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.TCS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.oms.OmsConfig;
import io.tickloom.cluster.oms.OrderEntity;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * {@code /api/v1/orders} (SPEC §5) end to end: a real HTTP client, the real server, the real OMS (sharded
 * event-sourced order entities in a one-node cluster) journaling to a fresh embedded PostgreSQL through Pekko
 * Persistence JDBC ({@link OmsConfig#withJournal}). RELIANCE (price scale 2, qty scale 0) last traded at
 * 2500.00 (the test market's last price is the close of the forming bar it was given), the price band's reference (±10 %, oms.conf's default). There is no
 * broker adapter yet: where a test needs the venue's answer it reports it to the OMS directly, as an adapter would.
 * Each test uses client order ids of its own.
 */
class OrderApiIT {
  static final String DEMO_KEY = "demo";
  static final String ACME_KEY = "acme";
  static final String FEED_KEY = "feedonly";
  static final String PNL_KEY = "pnl";
  static final String CAPPED_KEY = "capped";
  static final String WS_KEY = "wskey";
  static final String BACKFILL_KEY = "bfkey";
  static final String HALT_KEY = "haltkey";
  static final String ADMIN_KEY = "opskey";
  static final String FILLS_KEY = "fillskey";
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static Database db;
  static ActorTestKit kit;
  static OrderService orders;
  static ServerBinding binding;
  static URI base;
  static final ExecutorService blocking = Executors.newFixedThreadPool(2);
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    Config config = OmsTestConfig.on(db, "jdbc-read-journal.refresh-interval = 100ms", "tickloom.oms.risk.accounts { CAPPED { max-open-orders = 1 } }");
    kit = ActorTestKit.create("order-api", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    orders = OrderService.start(kit.system()).startReadSide(db.dataSource());
    TopicLiveMarket live = new TopicLiveMarket(kit.system());
    long now = System.currentTimeMillis() * 1_000_000L;
    live.setForming(new Bar(RELIANCE.token(), Timeframe.S1, now, now + 1_000_000_000L, 250_000, 250_000, 250_000, 250_000, 10, 1, 250_000,
        false, 0));
    HttpContext ctx = new HttpContext(kit.system(), new InstrumentRegistry(Fixtures.ALL), new TickStore(db), new BarStore(db), new GapStore(db),
        new IndicatorStore(db), live, blocking, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true,
        HttpSettings.fromConfig(config), null, orders,
        ApiKeys.parse(DEMO_KEY + ":DEMO:trader," + ACME_KEY + ":ACME:trader," + FEED_KEY + ":DEMO:feed," + PNL_KEY + ":PNL:trader,"
            + CAPPED_KEY + ":CAPPED:trader," + WS_KEY + ":WSA:trader," + BACKFILL_KEY + ":BFA:trader," + HALT_KEY + ":HALTED:trader,"
            + ADMIN_KEY + ":OPS:admin," + FILLS_KEY + ":FLS:trader"))
        .withStream(new OrderStreams(orders, new InstrumentRegistry(Fixtures.ALL)));
    binding = HttpServer.start(ctx).toCompletableFuture().get(20, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (binding != null) binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (kit != null) kit.shutdownTestKit();
    blocking.shutdownNow();
    if (db != null) db.close();
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void placeRetryGetModifyCancelAndEventsInJournalOrder() throws Exception {
    String body = limit("life-1", "DEMO", "10", "2499.50");
    HttpResponse<String> placed = send(post("/api/v1/orders", body, DEMO_KEY));
    assertEquals(201, placed.statusCode(), placed.body());
    JsonNode order = JSON.readTree(placed.body());
    String orderId = order.get("orderId").asText();
    assertEquals(OrderId.of("DEMO", "life-1").value(), orderId);
    assertEquals(List.of("orderId", "clientOrderId", "account", "token", "side", "qty", "filledQty", "type", "price", "tif", "status",
        "updatedAt"), fieldNames(order), "the SPEC §5 view; avgPrice comes with the first fill");
    assertEquals("life-1", order.get("clientOrderId").asText());
    assertEquals("DEMO", order.get("account").asText());
    assertEquals(RELIANCE.token(), order.get("token").asLong());
    assertEquals("BUY", order.get("side").asText());
    assertDecimal("10", order.get("qty"));
    assertDecimal("0", order.get("filledQty"));
    assertDecimal("2499.50", order.get("price"));
    assertEquals("LIMIT", order.get("type").asText());
    assertEquals("DAY", order.get("tif").asText());
    assertEquals("PENDING_NEW", order.get("status").asText());
    assertTrue(placed.body().contains("\"price\":2499.50,"), "prices at the instrument's scale: " + placed.body());
    assertEquals("/api/v1/orders/" + orderId, placed.headers().firstValue("Location").orElseThrow());

    // The same request again: the same order, 200, nothing new journaled.
    HttpResponse<String> retry = send(post("/api/v1/orders", body, DEMO_KEY));
    assertEquals(200, retry.statusCode(), retry.body());
    assertEquals(orderId, JSON.readTree(retry.body()).get("orderId").asText());
    // The same client order id with other parameters is a conflict.
    assertProblem(send(post("/api/v1/orders", limit("life-1", "DEMO", "11", "2499.50"), DEMO_KEY)), 409, "urn:tickloom:problem:conflict");

    HttpResponse<String> got = send(get("/api/v1/orders/" + orderId, DEMO_KEY));
    assertEquals(200, got.statusCode(), got.body());
    assertEquals(order, JSON.readTree(got.body()));

    // Not yet accepted by the venue: a cancel is refused and changes nothing.
    HttpResponse<String> early = send(delete("/api/v1/orders/" + orderId, DEMO_KEY));
    assertProblem(early, 409, "urn:tickloom:problem:conflict");
    assertTrue(problem(early).get("detail").asText().contains("PENDING_NEW"), early.body());

    // The venue accepts (what a broker adapter would report).
    OrderId id = OrderId.parse(orderId);
    orders.report(id, OrderEntity.Accept::new).toCompletableFuture().get(30, TimeUnit.SECONDS);

    HttpResponse<String> modified = send(patch("/api/v1/orders/" + orderId, "{\"qty\":20}", DEMO_KEY));
    assertEquals(200, modified.statusCode(), modified.body());
    assertEquals("PENDING_MODIFY", JSON.readTree(modified.body()).get("status").asText());
    orders.report(id, OrderEntity.ModifyAck::new).toCompletableFuture().get(30, TimeUnit.SECONDS);
    JsonNode afterModify = JSON.readTree(send(get("/api/v1/orders/" + orderId, DEMO_KEY)).body());
    assertEquals("ACCEPTED", afterModify.get("status").asText());
    assertDecimal("20", afterModify.get("qty"));
    assertDecimal("2499.50", afterModify.get("price"));

    HttpResponse<String> cancelled = send(delete("/api/v1/orders/" + orderId, DEMO_KEY));
    assertEquals(200, cancelled.statusCode(), cancelled.body());
    assertEquals("PENDING_CANCEL", JSON.readTree(cancelled.body()).get("status").asText());

    HttpResponse<String> events = send(get("/api/v1/orders/" + orderId + "/events", DEMO_KEY));
    assertEquals(200, events.statusCode(), events.body());
    JsonNode items = JSON.readTree(events.body()).get("items");
    assertEquals(List.of("OrderSubmitted", "OrderAccepted", "OrderModifyRequested", "OrderModified", "OrderCancelRequested"),
        texts(items, "type"), events.body());
    for (int i = 0; i < items.size(); i++) {
      assertEquals(i + 1, items.get(i).get("seq").asLong(), events.body());
      assertTrue(items.get(i).get("tsEvent").asText().endsWith("Z"), events.body());
    }
    JsonNode submitted = items.get(0);
    assertEquals("life-1", submitted.get("clientOrderId").asText());
    assertDecimal("2499.50", submitted.get("price"));
    assertDecimal("20", items.get(2).get("qty"));
  }

  @Test
  void aCancelWhileAModifyIsPendingIsTakenAndWinsOverTheModify() throws Exception {
    HttpResponse<String> placed = send(post("/api/v1/orders", limit("race-1", "DEMO", "10", "2499.50"), DEMO_KEY));
    assertEquals(201, placed.statusCode(), placed.body());
    String orderId = JSON.readTree(placed.body()).get("orderId").asText();
    OrderId id = OrderId.parse(orderId);
    orders.report(id, OrderEntity.Accept::new).toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpResponse<String> modify = send(patch("/api/v1/orders/" + orderId, "{\"qty\":20}", DEMO_KEY));
    assertEquals("PENDING_MODIFY", JSON.readTree(modify.body()).get("status").asText(), modify.body());

    // FIX: the cancel behind the pending modify is taken (200), pending too
    HttpResponse<String> cancel = send(delete("/api/v1/orders/" + orderId, DEMO_KEY));
    assertEquals(200, cancel.statusCode(), cancel.body());
    assertEquals("PENDING_CANCEL", JSON.readTree(cancel.body()).get("status").asText(), cancel.body());
    // a modify while the cancel is pending is refused with the reason
    HttpResponse<String> again = send(patch("/api/v1/orders/" + orderId, "{\"qty\":30}", DEMO_KEY));
    assertEquals(409, again.statusCode(), again.body());
    assertTrue(problem(again).get("detail").asText().contains("a cancel is pending"), again.body());

    // the venue refuses the modify (naming it), then takes the cancel
    orders.report(id, r -> new OrderEntity.ModifyReject("too late to modify", r)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals("PENDING_CANCEL", JSON.readTree(send(get("/api/v1/orders/" + orderId, DEMO_KEY)).body()).get("status").asText());
    orders.report(id, OrderEntity.CancelAck::new).toCompletableFuture().get(30, TimeUnit.SECONDS);
    JsonNode ended = JSON.readTree(send(get("/api/v1/orders/" + orderId, DEMO_KEY)).body());
    assertEquals("CANCELLED", ended.get("status").asText());
    assertDecimal("10", ended.get("qty"));
    JsonNode items = JSON.readTree(send(get("/api/v1/orders/" + orderId + "/events", DEMO_KEY)).body()).get("items");
    assertEquals(List.of("OrderSubmitted", "OrderAccepted", "OrderModifyRequested", "OrderCancelRequested", "OrderModifyRejected",
        "OrderCancelled"), texts(items, "type"));
  }

  @Test
  void priceOutsideTheBandAroundTheLastPriceIsRefusedWith422AndTheRule() throws Exception {
    HttpResponse<String> refused = send(post("/api/v1/orders", limit("band-1", "DEMO", "1", "2800.00"), DEMO_KEY));
    assertProblem(refused, 422, "urn:tickloom:problem:order-refused");
    String detail = problem(refused).get("detail").asText();
    assertTrue(detail.contains("price-band") && detail.contains("2500.00"), refused.body());
    // The refusal is journaled: the rejected order is there, and a retry answers the same refusal.
    String location = refused.headers().firstValue("Location").orElseThrow();
    JsonNode rejected = JSON.readTree(send(get(location, DEMO_KEY)).body());
    assertEquals("REJECTED", rejected.get("status").asText());
    assertProblem(send(post("/api/v1/orders", limit("band-1", "DEMO", "1", "2800.00"), DEMO_KEY)), 422, "urn:tickloom:problem:order-refused");
  }

  @Test
  void aPlaceWhileNoLastPriceIsKnownYetIs503WithRetryAfterAndRecordsNothing() throws Exception {
    // TCS has no last price (its entity, here the test's market, saw no trade): the price band cannot be checked.
    String body = "{\"account\":\"DEMO\",\"clientOrderId\":\"cold-1\",\"token\":" + TCS.token()
        + ",\"side\":\"BUY\",\"type\":\"LIMIT\",\"qty\":\"1\",\"price\":\"3500.00\"}";
    HttpResponse<String> refused = send(post("/api/v1/orders", body, DEMO_KEY));
    assertProblem(refused, 503, "urn:tickloom:problem:unavailable");
    assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(problem(refused).get("detail").asText().contains("no last price is known yet"), refused.body());
    // nothing was journaled: the order does not exist, and no refusal sticks to its clientOrderId
    assertEquals(404, send(get("/api/v1/orders/" + OrderId.of("DEMO", "cold-1").value(), DEMO_KEY)).statusCode());
    assertTrue(orders.events(OrderId.of("DEMO", "cold-1")).toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty());
  }

  @Test
  void anAdminsKillSwitchHaltsNewOrdersAndModifiesOfTheAccountAtOnceWhileCancelsGoThrough() throws Exception {
    HttpResponse<String> placed = send(post("/api/v1/orders", limit("halt-1", "HALTED", "1", "2450.00"), HALT_KEY));
    assertEquals(201, placed.statusCode(), placed.body());
    String orderId = JSON.readTree(placed.body()).get("orderId").asText();
    orders.reports().accepted(OrderId.parse(orderId)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    String halt = "{\"account\":\"HALTED\",\"halted\":true,\"reason\":\"runaway algo\"}";
    assertEquals(403, send(put("/api/v1/admin/kill-switch", halt, HALT_KEY)).statusCode(), "a trader cannot throw it");
    assertEquals(401, send(put("/api/v1/admin/kill-switch", halt, null)).statusCode());
    HttpResponse<String> thrown = send(put("/api/v1/admin/kill-switch", halt, ADMIN_KEY));
    assertEquals(200, thrown.statusCode(), thrown.body());
    HttpResponse<String> refused = send(post("/api/v1/orders", limit("halt-2", "HALTED", "1", "2450.00"), HALT_KEY));
    assertProblem(refused, 422, "urn:tickloom:problem:order-refused");
    assertTrue(problem(refused).get("detail").asText().contains("kill-switch") && problem(refused).get("detail").asText().contains("runaway algo"),
        refused.body());
    assertEquals(404, send(get("/api/v1/orders/" + OrderId.of("HALTED", "halt-2").value(), HALT_KEY)).statusCode(), "nothing journaled");
    assertEquals(422, send(patch("/api/v1/orders/" + orderId, "{\"qty\":\"2\"}", HALT_KEY)).statusCode());
    assertEquals(201, send(post("/api/v1/orders", limit("not-halted", "DEMO", "1", "2450.00"), DEMO_KEY)).statusCode(), "other accounts trade on");
    assertEquals("PENDING_CANCEL", JSON.readTree(send(delete("/api/v1/orders/" + orderId, HALT_KEY)).body()).get("status").asText());
    // released: trading again
    assertEquals(200, send(put("/api/v1/admin/kill-switch", "{\"account\":\"HALTED\",\"halted\":false}", ADMIN_KEY)).statusCode());
    assertEquals(201, send(post("/api/v1/orders", limit("halt-3", "HALTED", "1", "2450.00"), HALT_KEY)).statusCode());
    JsonNode list = JSON.readTree(send(get("/api/v1/admin/kill-switch", ADMIN_KEY)).body());
    assertEquals(false, list.get("global").asBoolean());
    assertEquals("HALTED", list.get("items").get(0).get("scope").asText());
  }

  @Test
  void anOrderOffTheTickSizeIsRefusedNamingThePrice() throws Exception {
    HttpResponse<String> r = send(post("/api/v1/orders", limit("tick-1", "DEMO", "1", "2450.03"), DEMO_KEY));
    assertProblem(r, 400, "urn:tickloom:problem:invalid-body");
    assertEquals("price", problem(r).get("errors").get(0).get("field").asText());
    assertTrue(r.body().contains("tick size 0.05"), r.body());
  }

  @Test
  void keyOfAnotherAccountIsForbiddenWithoutLearningWhetherTheOrderExists() throws Exception {
    HttpResponse<String> placed = send(post("/api/v1/orders", limit("own-1", "DEMO", "5", "2500.00"), DEMO_KEY));
    assertEquals(201, placed.statusCode(), placed.body());
    String orderId = JSON.readTree(placed.body()).get("orderId").asText();
    String unknown = OrderId.of("DEMO", "never-placed").value();

    for (String id : List.of(orderId, unknown)) {
      HttpResponse<String> get = send(get("/api/v1/orders/" + id, ACME_KEY));
      assertProblem(get, 403, "urn:tickloom:problem:forbidden");
      assertFalse(get.body().contains("own-1") || get.body().contains("PENDING"), get.body());
      assertProblem(send(get("/api/v1/orders/" + id + "/events", ACME_KEY)), 403, "urn:tickloom:problem:forbidden");
      assertProblem(send(delete("/api/v1/orders/" + id, ACME_KEY)), 403, "urn:tickloom:problem:forbidden");
      assertProblem(send(patch("/api/v1/orders/" + id, "{\"qty\":1}", ACME_KEY)), 403, "urn:tickloom:problem:forbidden");
    }
    // Placing for another account is forbidden too.
    assertProblem(send(post("/api/v1/orders", limit("acme-for-demo", "DEMO", "5", "2500.00"), ACME_KEY)), 403,
        "urn:tickloom:problem:forbidden");
    // The order is unchanged, and an unknown order of the key's own account is 404.
    assertEquals("PENDING_NEW", JSON.readTree(send(get("/api/v1/orders/" + orderId, DEMO_KEY)).body()).get("status").asText());
    assertProblem(send(get("/api/v1/orders/" + unknown, DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
    assertProblem(send(get("/api/v1/orders/" + unknown + "/events", DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
    assertProblem(send(delete("/api/v1/orders/" + unknown, DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
    assertProblem(send(get("/api/v1/orders/DEMO.not-a-uuid", DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
  }

  @Test
  void badBodyIsRefusedWith400NamingTheField() throws Exception {
    assertField(send(post("/api/v1/orders", limit("bad-1", "DEMO", "abc", "2500.00"), DEMO_KEY)), "qty");
    assertField(send(post("/api/v1/orders", limit("bad-2", "DEMO", "0", "2500.00"), DEMO_KEY)), "qty");
    assertField(send(post("/api/v1/orders", limit("bad-3", "DEMO", "1", "2500.001"), DEMO_KEY)), "price");
    assertField(send(post("/api/v1/orders",
        "{\"clientOrderId\":\"bad-4\",\"account\":\"DEMO\",\"token\":738561,\"qty\":1,\"type\":\"LIMIT\",\"price\":2500}", DEMO_KEY)), "side");
    assertField(send(post("/api/v1/orders",
        "{\"clientOrderId\":\"bad-5\",\"account\":\"DEMO\",\"token\":738561,\"side\":\"BUY\",\"qty\":1,\"type\":\"MARKET\",\"price\":2500}",
        DEMO_KEY)), "price");
    assertField(send(post("/api/v1/orders",
        "{\"clientOrderId\":\"bad-6\",\"account\":\"DEMO\",\"token\":1,\"side\":\"BUY\",\"qty\":1,\"type\":\"LIMIT\",\"price\":2500}", DEMO_KEY)),
        "token");
    assertField(send(post("/api/v1/orders", "{not json", DEMO_KEY)), "body");
    // Nothing was placed by the refused requests.
    assertProblem(send(get("/api/v1/orders/" + OrderId.of("DEMO", "bad-1").value(), DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
  }

  @Test
  void missingUnknownOrUnprivilegedKeyIsRefused() throws Exception {
    String body = limit("auth-1", "DEMO", "1", "2500.00");
    HttpResponse<String> none = send(post("/api/v1/orders", body, null));
    assertProblem(none, 401, "urn:tickloom:problem:unauthorized");
    assertTrue(problem(none).get("detail").asText().contains("X-API-Key"), none.body());
    assertProblem(send(post("/api/v1/orders", body, "wrong")), 401, "urn:tickloom:problem:unauthorized");
    assertProblem(send(get("/api/v1/orders/" + OrderId.of("DEMO", "auth-1").value(), null)), 401, "urn:tickloom:problem:unauthorized");
    HttpResponse<String> feed = send(post("/api/v1/orders", body, FEED_KEY));
    assertProblem(feed, 403, "urn:tickloom:problem:forbidden");
    assertTrue(problem(feed).get("detail").asText().contains("trader"), feed.body());
    assertProblem(send(get("/api/v1/orders/" + OrderId.of("DEMO", "auth-1").value(), DEMO_KEY)), 404, "urn:tickloom:problem:not-found");
  }

  @Test
  void historyPagesNewestFirstAndPositionsCarryExactPnlFromTheReadSide() throws Exception {
    // PNL buys 10 at 2490.00 and sells 4 at 2501.00 (the venue's fills reported as an adapter would); one order rests.
    String buy = placeAndFill("pnl-buy", "BUY", "10", "2490.00", 10, 249_000);
    String sell = placeAndFill("pnl-sell", "SELL", "4", "2501.00", 4, 250_100);
    HttpResponse<String> resting = send(post("/api/v1/orders", order("pnl-rest", "PNL", "BUY", "1", "2450.00"), PNL_KEY));
    assertEquals(201, resting.statusCode(), resting.body());
    String rest = JSON.readTree(resting.body()).get("orderId").asText();

    JsonNode page = awaitJson("/api/v1/orders?account=PNL&limit=2", PNL_KEY, n -> n.get("items").size() == 2
        && n.get("items").get(1).get("status").asText().equals("FILLED") && !n.get("nextCursor").isNull());
    assertEquals(List.of(rest, sell), texts(page.get("items"), "orderId"));
    JsonNode sold = page.get("items").get(1);
    assertDecimal("4", sold.get("filledQty"));
    assertDecimal("2501.00", sold.get("avgPrice"));
    String raw = send(get("/api/v1/orders?account=PNL&limit=2", PNL_KEY)).body();
    assertTrue(raw.contains("\"avgPrice\":2501.00,"), "prices at the instrument's scale: " + raw);
    assertEquals("SELL", sold.get("side").asText());
    JsonNode next = JSON.readTree(send(get("/api/v1/orders?account=PNL&limit=2&cursor=" + page.get("nextCursor").asText(), PNL_KEY)).body());
    assertEquals(List.of(buy), texts(next.get("items"), "orderId"));
    assertTrue(next.get("nextCursor").isNull());
    JsonNode filled = JSON.readTree(send(get("/api/v1/orders?status=FILLED,PARTIALLY_FILLED", PNL_KEY)).body());
    assertEquals(List.of(sell, buy), texts(filled.get("items"), "orderId"), "account defaults to the key's");

    // Net long 6 at 2490.00; realized 4 x 11.00; unrealized 6 x (2500.00 last - 2490.00).
    JsonNode positions = awaitJson("/api/v1/positions?account=PNL", PNL_KEY, n -> n.get("items").size() == 1
        && n.get("items").get(0).get("netQty").asLong() == 6);
    assertEquals(1, positions.get("items").size());
    String p = send(get("/api/v1/positions?account=PNL", PNL_KEY)).body(); // raw: decimals as the server wrote them
    assertTrue(p.contains("\"token\":" + RELIANCE.token()), p);
    assertTrue(p.contains("\"avgPrice\":2490.00,"), p);
    assertTrue(p.contains("\"realizedPnl\":44.00,"), p);
    assertTrue(p.contains("\"unrealizedPnl\":60.00,"), p);
    assertTrue(p.contains("\"lastPrice\":2500.00,"), p);

    // Another account's history or positions: 403, the same answer whether it has orders or not.
    for (String account : List.of("DEMO", "NOBODY")) {
      HttpResponse<String> h = send(get("/api/v1/orders?account=" + account, PNL_KEY));
      assertProblem(h, 403, "urn:tickloom:problem:forbidden");
      assertProblem(send(get("/api/v1/positions?account=" + account, PNL_KEY)), 403, "urn:tickloom:problem:forbidden");
      assertEquals(problem(h).get("detail"), problem(send(get("/api/v1/orders?account=NOBODY", PNL_KEY))).get("detail"));
    }
    assertProblem(send(get("/api/v1/positions?account=PNL", null)), 401, "urn:tickloom:problem:unauthorized");
    // Bad parameters name the field.
    assertParameter(send(get("/api/v1/orders?status=DONE", PNL_KEY)), "status");
    assertParameter(send(get("/api/v1/orders?limit=0", PNL_KEY)), "limit");
    assertParameter(send(get("/api/v1/orders?cursor=bm9wZQ", PNL_KEY)), "cursor");
    assertParameter(send(get("/api/v1/orders?from=yesterday", PNL_KEY)), "from");
    assertParameter(send(get("/api/v1/positions?account=a%20b", PNL_KEY)), "account");
  }

  @Test
  void maxOpenOrdersRefusesThePlaceWith422NamingTheRuleAndTheNumbers() throws Exception {
    assertEquals(201, send(post("/api/v1/orders", order("cap-1", "CAPPED", "BUY", "1", "2450.00"), CAPPED_KEY)).statusCode());
    HttpResponse<String> second = send(post("/api/v1/orders", order("cap-2", "CAPPED", "BUY", "1", "2450.00"), CAPPED_KEY));
    assertProblem(second, 422, "urn:tickloom:problem:order-refused");
    assertEquals("risk: max-open-orders: 1 orders open >= limit 1", problem(second).get("detail").asText());
  }

  @Test
  void ordersChannelStreamsJournaledEventsOfTheKeysAccountOnly() throws Exception {
    URI ws = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws?key=" + WS_KEY);
    URI acmeWs = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws?key=" + ACME_KEY);
    URI anonymous = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws");
    try (WsClient c = WsClient.connect(ws, true); WsClient acme = WsClient.connect(acmeWs, true); WsClient none = WsClient.connect(anonymous, true)) {
      for (WsClient client : List.of(c, acme, none)) client.send("{\"action\":\"subscribe\",\"channels\":[\"orders\"]}");
      c.next("subscribed");
      acme.next("subscribed");
      none.next("subscribed");
      assertEquals("[]", c.next("backfill").get("items").toString(), "WSA has no orders yet");
      acme.next("backfill");
      JsonNode refused = none.next("error");
      assertEquals("forbidden", refused.get("code").asText(), refused.toString());

      // The subscription goes live asynchronously: place until the first event shows (each place is one OrderSubmitted).
      JsonNode first = kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(200), () -> {
        try {
          send(post("/api/v1/orders", order("ws-warm-" + System.nanoTime(), "WSA", "BUY", "1", "2450.00"), WS_KEY));
          String frame = c.raw.poll(300, TimeUnit.MILLISECONDS);
          assertTrue(frame != null, "no order_event yet");
          return JSON.readTree(frame);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals("order_event", first.get("type").asText());
      c.raw.clear();

      HttpResponse<String> placed = send(post("/api/v1/orders", order("ws-1", "WSA", "SELL", "5", "2510.00"), WS_KEY));
      assertEquals(201, placed.statusCode(), placed.body());
      OrderId id = OrderId.parse(JSON.readTree(placed.body()).get("orderId").asText());
      JsonNode submitted = nextFor(c, id);
      assertEquals("WSA", submitted.get("account").asText());
      assertEquals("OrderSubmitted", submitted.get("event").asText());
      assertEquals(1, submitted.get("seq").asLong());
      assertEquals("PENDING_NEW", submitted.get("order").get("status").asText());
      orders.reports().accepted(id).toCompletableFuture().get(20, TimeUnit.SECONDS);
      orders.reports().filled(id, 5, 251_000, "ws-T1").toCompletableFuture().get(20, TimeUnit.SECONDS);
      JsonNode accepted = nextFor(c, id);
      assertEquals("OrderAccepted", accepted.get("event").asText());
      assertEquals(2, accepted.get("seq").asLong());
      String filledRaw = nextRawFor(c, id);
      JsonNode filled = JSON.readTree(filledRaw);
      assertEquals("OrderFilled", filled.get("event").asText());
      assertEquals(3, filled.get("seq").asLong());
      assertEquals("FILLED", filled.get("order").get("status").asText());
      assertTrue(filledRaw.contains("\"price\":2510.00") && filledRaw.contains("\"avgPrice\":2510.00"), filledRaw);
      assertTrue(filled.has("tsEvent"), filledRaw);

      // ACME's connection saw none of WSA's events.
      for (String frame : acme.raw) assertFalse(frame.contains("WSA"), frame);
      assertTrue(acme.raw.stream().noneMatch(f -> f.contains("order_event")), acme.raw.toString());
    }
  }

  @Test
  void ordersChannelBackfillsTheAccountsNewestOrdersFromTheReadSide() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> placed = send(post("/api/v1/orders", order("bf-" + i, "BFA", "BUY", "1", "2450." + (i * 5 < 10 ? "0" : "") + (i * 5)), BACKFILL_KEY));
      assertEquals(201, placed.statusCode(), placed.body());
      ids.add(JSON.readTree(placed.body()).get("orderId").asText());
    }
    awaitJson("/api/v1/orders?account=BFA", BACKFILL_KEY, n -> n.get("items").size() == 3);
    URI ws = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws?key=" + BACKFILL_KEY);
    try (WsClient c = WsClient.connect(ws, true)) {
      c.send("{\"action\":\"subscribe\",\"channels\":[\"orders\"]}");
      c.next("subscribed");
      JsonNode backfill = c.next("backfill");
      assertEquals("orders", backfill.get("channel").asText());
      JsonNode items = backfill.get("items");
      assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), List.of(items.get(0).get("orderId").asText(),
          items.get(1).get("orderId").asText(), items.get(2).get("orderId").asText()), "newest first");
      assertDecimal("2450.10", items.get(0).get("price"));
      assertEquals("BFA", items.get(0).get("account").asText());
      // then live frames of the same account
      orders.reports().accepted(OrderId.parse(ids.get(0))).toCompletableFuture().get(20, TimeUnit.SECONDS);
      JsonNode accepted = nextFor(c, OrderId.parse(ids.get(0)));
      assertEquals("OrderAccepted", accepted.get("event").asText());
    }
  }

  /** The next frame of {@code c} about order {@code id} (skipping warm-up orders' late frames). */
  static JsonNode nextFor(WsClient c, OrderId id) throws Exception {
    return JSON.readTree(nextRawFor(c, id));
  }

  static String nextRawFor(WsClient c, OrderId id) throws Exception {
    while (true) {
      String raw = c.nextRaw();
      if (raw.contains(id.value())) return raw;
    }
  }

  /** Places a LIMIT order of PNL and reports the venue's accept and one fill; returns the order id. */
  @Test
  void fillsAreListedNewestFirstWithTheirOrderTradeIdPriceAndTimeAndPageToTheEnd() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (String c : List.of("fl-1", "fl-2")) {
      HttpResponse<String> placed = send(post("/api/v1/orders", order(c, "FLS", "BUY", "10", "2500.00"), FILLS_KEY));
      assertEquals(201, placed.statusCode(), placed.body());
      OrderId id = OrderId.parse(JSON.readTree(placed.body()).get("orderId").asText());
      orders.reports().accepted(id).toCompletableFuture().get(20, TimeUnit.SECONDS);
      ids.add(id.value());
    }
    // the venue's trades, reported one after the other: two on the first order, one on the second
    orders.reports().filled(OrderId.parse(ids.get(0)), 3, 249_000, "V-1").toCompletableFuture().get(20, TimeUnit.SECONDS);
    orders.reports().filled(OrderId.parse(ids.get(0)), 2, 249_100, "V-2").toCompletableFuture().get(20, TimeUnit.SECONDS);
    orders.reports().filled(OrderId.parse(ids.get(1)), 1, 249_550, "V-3").toCompletableFuture().get(20, TimeUnit.SECONDS);

    JsonNode all = awaitJson("/api/v1/fills", FILLS_KEY, n -> n.get("items").size() == 3);
    assertEquals(List.of("V-3", "V-2", "V-1"), texts(all.get("items"), "tradeId"), "newest first");
    assertEquals(List.of(ids.get(1), ids.get(0), ids.get(0)), texts(all.get("items"), "orderId"));
    JsonNode newest = all.get("items").get(0);
    assertEquals("FLS", newest.get("account").asText());
    assertEquals(RELIANCE.token(), newest.get("token").asLong());
    assertEquals("RELIANCE", newest.get("symbol").asText());
    assertEquals("BUY", newest.get("side").asText());
    assertDecimal("1", newest.get("qty"));
    assertTrue(newest.get("time").asText().endsWith("Z"), newest.toString());
    String raw = send(get("/api/v1/fills?account=FLS", FILLS_KEY)).body();
    assertTrue(raw.contains("\"price\":2495.50,"), "exact prices at the instrument's scale: " + raw);

    JsonNode first = JSON.readTree(send(get("/api/v1/fills?limit=2", FILLS_KEY)).body());
    assertEquals(List.of("V-3", "V-2"), texts(first.get("items"), "tradeId"));
    JsonNode rest = JSON.readTree(send(get("/api/v1/fills?limit=2&cursor=" + first.get("nextCursor").asText(), FILLS_KEY)).body());
    assertEquals(List.of("V-1"), texts(rest.get("items"), "tradeId"));
    assertTrue(rest.get("nextCursor").isNull());

    assertEquals(3, JSON.readTree(send(get("/api/v1/fills?token=" + RELIANCE.token(), FILLS_KEY)).body()).get("items").size());
    assertEquals(0, JSON.readTree(send(get("/api/v1/fills?token=1", FILLS_KEY)).body()).get("items").size());
    assertProblem(send(get("/api/v1/fills?account=PNL", FILLS_KEY)), 403, "urn:tickloom:problem:forbidden");
    HttpResponse<String> badCursor = send(get("/api/v1/fills?cursor=bm9wZQ", FILLS_KEY));
    assertEquals(400, badCursor.statusCode(), badCursor.body());
    assertTrue(badCursor.body().contains("cursor"), badCursor.body());
    HttpResponse<String> badToken = send(get("/api/v1/fills?token=x", FILLS_KEY));
    assertEquals(400, badToken.statusCode(), badToken.body());
    assertTrue(badToken.body().contains("token"), badToken.body());
    assertEquals(401, send(get("/api/v1/fills", null)).statusCode());
  }

  static String placeAndFill(String clientOrderId, String side, String qty, String price, long fillQty, long fillPrice) throws Exception {
    HttpResponse<String> placed = send(post("/api/v1/orders", order(clientOrderId, "PNL", side, qty, price), PNL_KEY));
    assertEquals(201, placed.statusCode(), placed.body());
    OrderId id = OrderId.parse(JSON.readTree(placed.body()).get("orderId").asText());
    orders.reports().accepted(id).toCompletableFuture().get(20, TimeUnit.SECONDS);
    orders.reports().filled(id, fillQty, fillPrice, clientOrderId + "-T").toCompletableFuture().get(20, TimeUnit.SECONDS);
    return id.value();
  }

  /** Polls {@code path} (testkit awaitAssert: every 100 ms, at most 20 s) until {@code done} holds for its JSON: the read side follows the journal. */
  static JsonNode awaitJson(String path, String key, java.util.function.Predicate<JsonNode> done) {
    return kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      try {
        HttpResponse<String> r = send(get(path, key));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertTrue(done.test(n), "read side not there yet at " + path + ": " + n);
        return n;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  static String order(String clientOrderId, String account, String side, String qty, String price) {
    return "{\"clientOrderId\":\"" + clientOrderId + "\",\"account\":\"" + account + "\",\"token\":" + RELIANCE.token()
        + ",\"side\":\"" + side + "\",\"qty\":\"" + qty + "\",\"type\":\"LIMIT\",\"price\":" + price + ",\"tif\":\"DAY\"}";
  }

  static void assertParameter(HttpResponse<String> r, String field) throws Exception {
    assertProblem(r, 400, "urn:tickloom:problem:invalid-parameters");
    assertEquals(field, problem(r).get("errors").get(0).get("field").asText(), r.body());
  }

  // ---------------------------------------------------------------------------------------------------------------

  static String limit(String clientOrderId, String account, String qty, String price) {
    return "{\"clientOrderId\":\"" + clientOrderId + "\",\"account\":\"" + account + "\",\"token\":" + RELIANCE.token()
        + ",\"side\":\"BUY\",\"qty\":\"" + qty + "\",\"type\":\"LIMIT\",\"price\":" + price + ",\"tif\":\"DAY\"}";
  }

  static HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    return key == null ? b : b.header("X-API-Key", key);
  }

  static HttpRequest get(String path, String key) {
    return request(path, key).GET().build();
  }

  static HttpRequest delete(String path, String key) {
    return request(path, key).DELETE().build();
  }

  static HttpRequest post(String path, String body, String key) {
    return request(path, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static HttpRequest put(String path, String body, String key) {
    return request(path, key).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static HttpRequest patch(String path, String body, String key) {
    return request(path, key).header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode problem(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static void assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
    assertEquals(type, problem(r).get("type").asText(), r.body());
  }

  static void assertField(HttpResponse<String> r, String field) throws Exception {
    assertProblem(r, 400, "urn:tickloom:problem:invalid-body");
    assertEquals(field, problem(r).get("errors").get(0).get("field").asText(), r.body());
  }

  static void assertDecimal(String expected, JsonNode actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(actual.decimalValue()), "expected " + expected + ", got " + actual);
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static List<String> texts(JsonNode items, String field) {
    List<String> out = new java.util.ArrayList<>();
    items.forEach(i -> out.add(i.get(field).asText()));
    return out;
  }
}
