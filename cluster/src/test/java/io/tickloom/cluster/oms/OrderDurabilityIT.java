package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.tickloom.cluster.TestConfig;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.protocol.Side;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 on a PostgreSQL of its own (zonky, on a fixed port and data folder, so it can be stopped and started under
 * a running node): an acknowledged order change is never lost and never doubled, across a node restart and across a
 * database restart in the middle of the order flow; while the database is down a command fails (the caller sees it)
 * or succeeds, nothing in between; the read side catches up with every journaled order exactly once.
 */
class OrderDurabilityIT {
  static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);
  Path dir;
  int port;
  EmbeddedPostgres pg;
  Database db;
  ActorTestKit kit;
  OrderService oms;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("tickloom-oms-durability");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg = postgres();
    db = Database.open(DatabaseSettings.external(url(), "postgres", "", 4));
  }

  @AfterEach
  void stop() throws IOException {
    if (kit != null) kit.shutdownTestKit();
    if (db != null) db.close();
    if (pg != null) pg.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private EmbeddedPostgres postgres() throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data")).setCleanDataDirectory(false).setPort(port)
        .setRegisterShutdownHook(false).setPGStartupWait(Duration.ofSeconds(60)).start();
  }

  private String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  private void node() {
    node("", null);
  }

  /** A node with {@code extra} configuration, its venue (when not null) connected before the read side and its sweeper start. */
  private void node(String extra, java.util.function.Function<OrderService, BrokerAdapter> venue) {
    Config config = OmsConfig.withJournal(TestConfig.node(extra + """

        tickloom.oms.ask-timeout = 3s
        jdbc-read-journal.refresh-interval = 100ms
        jdbc-journal.circuit-breaker { max-failures = 5, call-timeout = 2s, reset-timeout = 500ms }
        jdbc-snapshot-store.circuit-breaker { max-failures = 5, call-timeout = 2s, reset-timeout = 500ms }
        pekko-persistence-jdbc.shared-databases.tickloom.db.connectionTimeout = 1s
        pekko.projection.restart-backoff { min-backoff = 200ms, max-backoff = 1s }
        """), url(), "postgres", "");
    kit = ActorTestKit.create("oms", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    oms = OrderService.start(kit.system());
    if (venue != null) oms.connect(venue.apply(oms));
    oms.startReadSide(db.dataSource());
  }

  static OrderRequest request(String clientOrderId) {
    return OrderRequest.limit(clientOrderId, "DUR", 408065, Side.BUY, 10, 250_000, TimeInForce.DAY);
  }

  /** Places {@code ids} concurrently; the acknowledged views by client order id (failures left out, counted in {@code failed}). */
  private Map<String, OrderView> placeAll(List<String> ids, List<String> failed) throws Exception {
    Map<String, CompletableFuture<OrderAck>> pending = new HashMap<>();
    for (String id : ids) pending.put(id, oms.place(request(id), MARKET).toCompletableFuture());
    Map<String, OrderView> acked = new HashMap<>();
    for (var e : pending.entrySet()) {
      try {
        acked.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS).order());
      } catch (java.util.concurrent.ExecutionException ex) {
        failed.add(e.getKey());
      }
    }
    return acked;
  }

  private static List<String> ids(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(prefix + i);
    return out;
  }

  private long count(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void acknowledgedOrdersSurviveANodeRestartRebuiltFromTheJournal() throws Exception {
    node();
    List<String> failed = new ArrayList<>();
    Map<String, OrderView> acked = placeAll(ids("n", 30), failed);
    assertEquals(List.of(), failed);
    for (int i = 0; i < 10; i++) {
      OrderId id = request("n" + i).orderId();
      await(oms.report(id, OrderEntity.Accept::new));
      acked.put("n" + i, await(oms.report(id, r -> new OrderEntity.Fill(4, 250_000, "T", r))).order());
    }
    kit.shutdownTestKit();
    kit = null;

    node();
    for (var e : acked.entrySet()) assertEquals(e.getValue(), await(oms.get(request(e.getKey()).orderId())), e.getKey());
    assertEquals(30 + 20, count("SELECT count(*) FROM event_journal"));
  }

  @Test
  void aDatabaseRestartDuringOrderFlowLosesNoAcknowledgedOrderAndDoublesNone() throws Exception {
    node();
    List<String> failed = new ArrayList<>();
    Map<String, OrderView> acked = new HashMap<>(placeAll(ids("before-", 20), failed));
    assertEquals(List.of(), failed);

    pg.close(); // fast shutdown under the running node: its pools' connections break
    Map<String, OrderView> during = placeAll(ids("down-", 10), failed);
    acked.putAll(during);
    assertEquals(10, during.size() + failed.size());
    assertTrue(failed.size() > 0, "with the database down, places must fail (they succeeded: " + during.keySet() + ")");

    pg = postgres();
    // The journal's circuit breaker and the entities' backoff let commands through again within seconds.
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(300), () -> {
      try {
        return await(oms.place(request("probe"), MARKET));
      } catch (Exception e) {
        throw new AssertionError("not back yet: " + e);
      }
    });
    List<String> afterFailed = new ArrayList<>();
    acked.putAll(placeAll(ids("after-", 20), afterFailed));
    assertEquals(List.of(), afterFailed);
    // A failed place retried with the same client order id: one order, never two.
    for (String id : failed) acked.put(id, await(oms.place(request(id), MARKET)).order());

    for (var e : acked.entrySet()) {
      assertEquals(e.getValue().orderId(), await(oms.get(request(e.getKey()).orderId())).orderId(), e.getKey());
    }
    int orders = acked.size() + 1; // + probe
    assertEquals(orders, count("SELECT count(DISTINCT persistence_id) FROM event_journal"));
    assertEquals(orders, count("SELECT count(*) FROM event_journal"), "one OrderSubmitted per order, none doubled");
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      try {
        assertEquals(orders, count("SELECT count(*) FROM orders WHERE account = 'DUR'"), "read side caught up, each order once");
        return null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }
  /**
   * Issue 15's at-least-once venue reports, for real: the paper venue fills resting orders while the database (so the
   * journal) is down; every fill report fails, the venue sends it again with backoff, and once the database is back each
   * fill is journaled exactly once.
   */
  @Test
  void fillsTheVenueReportsWhileTheDatabaseIsDownReachTheJournalOnceEachWhenItIsBack() throws Exception {
    node();
    long token = 408065;
    ScriptedMarket market = new ScriptedMarket(null);
    market.last.put(token, 251_000L); // the orders' limit (250_000) is below: they rest
    oms.connect(PaperBroker.start(kit.system(), market, oms.reports(), new PaperBroker.Settings(Duration.ZERO, Duration.ZERO)));
    List<OrderId> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(OrderId.parse(await(oms.place(request("rest-" + i), MARKET)).order().orderId()));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      for (OrderId id : ids) assertEquals(OrderStatus.ACCEPTED, get(id).status(), id.value());
      assertTrue(market.subscribers.containsKey(token), "the venue watches the instrument for its resting orders");
      return null;
    });

    pg.close(); // the journal is away: the venue's fill reports cannot be journaled
    market.trade(token, 1_000, 249_000); // through every limit: the venue fills all five at 250_000
    // The outage lasts 4 s: longer than one report's ask timeout (3 s), so the first attempts fail.
    kit.createTestProbe().expectNoMessage(Duration.ofSeconds(4));
    pg = postgres();

    kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
      for (OrderId id : ids) {
        OrderView o = get(id);
        assertEquals(OrderStatus.FILLED, o.status(), id.value());
        assertEquals(10, o.filledQty(), id.value());
        assertEquals(250_000, o.avgPrice(), id.value());
      }
      return null;
    });
    assertEquals(5, count("SELECT count(*) FROM event_journal WHERE event_ser_manifest LIKE '%OrderFilled%'"),
        "each fill journaled once, none lost, none doubled");
  }

  /**
   * Issue 15's agreement after a restart: orders resting at the paper venue survive a node restart. The new node's sweeper
   * wakes the working orders, their entities tell the new venue, which rests them again; a trade through their limit then
   * fills them.
   */
  @Test
  void restingOrdersAreTakenBackByTheVenueAfterANodeRestartAndFillWhenTheMarketTradesThroughThem() throws Exception {
    long token = 408065;
    ScriptedMarket before = new ScriptedMarket(null);
    before.last.put(token, 251_000L); // above the orders' limit (250_000): they rest
    String fast = "tickloom.oms.venue.sweep-interval = 1s\n";
    node(fast, o -> PaperBroker.start(kit.system(), before, o.reports(), new PaperBroker.Settings(Duration.ZERO, Duration.ZERO)));
    List<OrderId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(OrderId.parse(await(oms.place(request("keep-" + i), MARKET)).order().orderId()));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      for (OrderId id : ids) assertEquals(OrderStatus.ACCEPTED, get(id).status(), id.value());
      try {
        assertEquals(3, count("SELECT count(*) FROM orders WHERE status = 'ACCEPTED' AND account = 'DUR'"), "read side caught up");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });

    // The node restarts: its venue (memory only) forgets the resting orders.
    kit.shutdownTestKit();
    ScriptedMarket after = new ScriptedMarket(null);
    after.last.put(token, 251_000L);
    node(fast, o -> PaperBroker.start(kit.system(), after, o.reports(), new PaperBroker.Settings(Duration.ZERO, Duration.ZERO)));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      assertTrue(after.subscribers.containsKey(token), "the new venue took the orders back and watches their instrument");
      return null;
    });
    after.trade(token, 1_000, 249_000); // through every limit
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      for (OrderId id : ids) {
        OrderView o = get(id);
        assertEquals(OrderStatus.FILLED, o.status(), id.value());
        assertEquals(10, o.filledQty(), id.value());
      }
      return null;
    });
  }

  private OrderView get(OrderId id) {
    try {
      return await(oms.get(id));
    } catch (Exception e) {
      throw new AssertionError("order " + id.value() + " not readable yet: " + e);
    }
  }
}
