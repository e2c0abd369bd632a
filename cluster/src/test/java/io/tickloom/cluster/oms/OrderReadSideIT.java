package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.tickloom.cluster.TestConfig;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.OrderRow;
import io.tickloom.persistence.Page;
import io.tickloom.persistence.Position;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OMS read side on the real journal and database: the order projections (Pekko Projections JDBC, one per tag
 * slice, sharded daemon process) turn journaled events into {@code orders}, {@code fills} and {@code positions} equal
 * to the entities' state; a restarted projection resumes from its stored offset (nothing applied twice); the
 * max-open-orders rule counts the read side plus this node's unprojected orders.
 */
class OrderReadSideIT {
  static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);
  static final Duration WAIT = Duration.ofSeconds(20);
  Database db;
  Config config;
  ActorTestKit kit;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    config = OmsConfig.withJournal(TestConfig.node("tickloom.oms.ask-timeout = 15s\n"
        + "jdbc-read-journal.refresh-interval = 100ms\n"
        + "tickloom.oms.risk.accounts { CAPPED { max-open-orders = 2 } }\n"), db);
  }

  @AfterEach
  void stop() {
    if (kit != null) kit.shutdownTestKit();
    db.close();
  }

  private OrderService node() {
    kit = ActorTestKit.create("oms", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    return OrderService.start(kit.system()).startReadSide(db.dataSource());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private OrderView trade(OrderService oms, String clientId, String account, Side side, long qty, long... fills) throws Exception {
    OrderRequest request = OrderRequest.limit(clientId, account, 408065, side, qty, 250_000, TimeInForce.DAY);
    OrderId id = request.orderId();
    OrderView v = await(oms.place(request, MARKET)).order();
    if (fills.length > 0) v = await(oms.report(id, OrderEntity.Accept::new)).order();
    for (int i = 0; i < fills.length; i += 2) {
      long q = fills[i];
      long p = fills[i + 1];
      v = await(oms.report(id, r -> new OrderEntity.Fill(q, p, clientId + "-T" + q + "@" + p, r))).order();
    }
    return v;
  }

  private <T> T eventually(java.util.function.Supplier<T> check) {
    TestProbe<Object> probe = kit.createTestProbe();
    return probe.awaitAssert(WAIT, check::get);
  }

  private long count(String sql) {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertRow(OrderView v, OrderRow r) {
    assertEquals(v.orderId(), r.orderId());
    assertEquals(v.clientOrderId(), r.clientOrderId());
    assertEquals(v.status().name(), r.status());
    assertEquals(v.qty(), r.qty());
    assertEquals(v.filledQty(), r.filledQty());
    assertEquals(v.avgPrice(), r.avgPrice());
    assertEquals(v.updatedAt(), r.updatedAt());
  }

  @Test
  void projectionsWriteOrdersFillsAndPositionsAsTheEntitiesHoldThem() throws Exception {
    OrderService oms = node();
    OrderView buy = trade(oms, "b1", "ACC", Side.BUY, 10, 4, 250_100, 6, 250_000);
    OrderView sell = trade(oms, "s1", "ACC", Side.SELL, 15, 12, 251_000);
    OrderView resting = trade(oms, "r1", "ACC", Side.BUY, 3);
    OrderView other = trade(oms, "o1", "OTHER", Side.SELL, 7, 7, 249_000);
    assertEquals(OrderStatus.FILLED, buy.status());
    assertEquals(OrderStatus.PARTIALLY_FILLED, sell.status());

    Page<OrderRow> page = eventually(() -> {
      Page<OrderRow> p = join(oms.history("ACC", List.of(), 0, Long.MAX_VALUE, 10, null));
      assertEquals(3, p.items().size());
      assertEquals("PARTIALLY_FILLED", p.items().get(1).status());
      return p;
    });
    // newest first
    assertRow(resting, page.items().get(0));
    assertRow(sell, page.items().get(1));
    assertRow(buy, page.items().get(2));
    assertNull(page.nextCursor());

    // keyset pages of 2, then 1, and a status filter
    Page<OrderRow> first = join(oms.history("ACC", List.of(), 0, Long.MAX_VALUE, 2, null));
    assertEquals(List.of(resting.orderId(), sell.orderId()), first.items().stream().map(OrderRow::orderId).toList());
    Page<OrderRow> second = join(oms.history("ACC", List.of(), 0, Long.MAX_VALUE, 2, first.nextCursor()));
    assertEquals(List.of(buy.orderId()), second.items().stream().map(OrderRow::orderId).toList());
    assertNull(second.nextCursor());
    assertEquals(List.of(buy.orderId()),
        join(oms.history("ACC", List.of("FILLED"), 0, Long.MAX_VALUE, 10, null)).items().stream().map(OrderRow::orderId).toList());

    List<Position> positions = eventually(() -> {
      List<Position> ps = join(oms.positions("ACC"));
      assertEquals(1, ps.size());
      assertEquals(-2, ps.get(0).netQty());
      return ps;
    });
    Position p = positions.get(0);
    // bought 10 at avg 2500.40, sold 12 at 2510.00: 10 x 9.60 realized, short 2 opened at 2510.00
    assertEquals(408065, p.token());
    assertEquals(10 * 960, p.realizedPnl());
    assertEquals(251_000, p.avgPrice());
    assertEquals(10, p.boughtQty());
    assertEquals(12, p.soldQty());
    eventually(() -> {
      assertEquals(-7, join(oms.positions("OTHER")).get(0).netQty());
      return null;
    });
    assertEquals(4, count("SELECT count(*) FROM fills"));
    assertEquals(other.orderId(), join(oms.history("OTHER", List.of(), 0, Long.MAX_VALUE, 10, null)).items().get(0).orderId());
  }

  @Test
  void aRestartedProjectionResumesFromItsStoredOffsetAndAppliesNothingTwice() throws Exception {
    OrderService oms = node();
    trade(oms, "a", "ACC", Side.BUY, 10, 10, 250_000);
    trade(oms, "b", "ACC", Side.SELL, 4, 4, 251_000);
    eventually(() -> {
      assertEquals(2, count("SELECT count(*) FROM fills"));
      assertEquals(1, count("SELECT count(*) FROM pekko_projection_offset_store WHERE projection_name = 'orders'"));
      return null;
    });
    kit.shutdownTestKit();
    kit = null;

    // Disarm the per-order sequence guard: only the stored offset now keeps the old events from being applied again
    // (they would insert their fills twice and fail the batch, and the new order below would never show).
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE orders SET last_seq = 0");
    }

    OrderService again = node();
    trade(again, "c", "ACC", Side.SELL, 6, 6, 252_000);
    eventually(() -> {
      assertEquals(3, count("SELECT count(*) FROM fills"));
      assertEquals(0, join(again.positions("ACC")).get(0).netQty());
      return null;
    });
    assertEquals(2, count("SELECT count(*) FROM orders WHERE last_seq = 0"), "old orders untouched after the restart");
    Position p = join(again.positions("ACC")).get(0);
    assertEquals(4 * 1_000 + 6 * 2_000, p.realizedPnl());
    assertEquals(3, count("SELECT count(*) FROM orders"));
  }

  @Test
  void maxOpenOrdersCountsTheReadSideAndThisNodesUnprojectedOrders() throws Exception {
    OrderService oms = node();
    trade(oms, "1", "CAPPED", Side.BUY, 1);
    trade(oms, "2", "CAPPED", Side.BUY, 1);
    // placed right after the others, before the projection can have seen them
    OrderView third = await(oms.place(OrderRequest.limit("3", "CAPPED", 408065, Side.BUY, 1, 250_000, TimeInForce.DAY), MARKET)).order();
    assertEquals(OrderStatus.REJECTED, third.status());
    assertEquals("risk: max-open-orders: 2 orders open >= limit 2", third.reason());
    // other accounts are not limited; once one CAPPED order ends, a new one fits
    assertEquals(OrderStatus.PENDING_NEW, await(oms.place(OrderRequest.limit("x", "ACC", 408065, Side.BUY, 1, 250_000, TimeInForce.DAY), MARKET)).order().status());
    OrderId one = OrderId.of("CAPPED", "1");
    await(oms.report(one, OrderEntity.Accept::new));
    await(oms.report(one, r -> new OrderEntity.Fill(1, 250_000, "T", r)));
    eventually(() -> {
      assertEquals(1, count("SELECT count(*) FROM orders WHERE account = 'CAPPED' AND status = 'FILLED'"));
      return null;
    });
    assertEquals(OrderStatus.PENDING_NEW,
        await(oms.place(OrderRequest.limit("4", "CAPPED", 408065, Side.BUY, 1, 250_000, TimeInForce.DAY), MARKET)).order().status());
  }

  @Test
  void maxOpenOrdersFailsClosedWithoutTheReadSide() throws Exception {
    kit = ActorTestKit.create("oms", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    OrderService oms = OrderService.start(kit.system());
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(oms.place(OrderRequest.limit("1", "CAPPED", 408065, Side.BUY, 1, 250_000, TimeInForce.DAY), MARKET)));
    assertTrue(e.getCause() instanceof StatusReply.ErrorMessage, e.toString());
    assertTrue(e.getCause().getMessage().startsWith("risk: max-open-orders:"), e.getCause().getMessage());
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** Journals the events it is sent under {@code pid} with {@code tag}, as an order entity would (a test's hand on the journal). */
  static final class Journaler extends org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior<OrderEvent, OrderEvent, String> {
    private final String tag;

    Journaler(String pid, String tag) {
      super(org.apache.pekko.persistence.typed.PersistenceId.ofUniqueId(pid));
      this.tag = tag;
    }

    @Override
    public String emptyState() {
      return "";
    }

    @Override
    public org.apache.pekko.persistence.typed.javadsl.CommandHandler<OrderEvent, OrderEvent, String> commandHandler() {
      return (state, event) -> Effect().persist(event);
    }

    @Override
    public org.apache.pekko.persistence.typed.javadsl.EventHandler<String, OrderEvent> eventHandler() {
      return (state, event) -> state;
    }

    @Override
    public java.util.Set<String> tagsFor(OrderEvent event) {
      return java.util.Set.of(tag);
    }
  }

  @Test
  void anEventTheReadSideCannotApplyIsDeadLetteredAndTheProjectionGoesOnThenARetryResolvesIt() throws Exception {
    OrderService oms = node();
    OrderId poisonId = OrderId.of("ACC", "poison");
    String pid = "order|" + poisonId.value();
    // an accept journaled before the order's submit: the read side has no row to accept
    var journaler = kit.spawn(new Journaler(pid, OrderEntity.tag("ACC")));
    journaler.tell(new OrderEvent.OrderAccepted(1L));
    // the projection goes on past it: a later order of the same slice is projected
    OrderView good = trade(oms, "after-poison", "ACC", Side.BUY, 10);
    eventually(() -> {
      assertEquals(1, count("SELECT count(*) FROM orders WHERE order_id = '" + good.orderId() + "'"));
      assertEquals(1, count("SELECT count(*) FROM dead_letters WHERE resolved_at IS NULL AND persistence_id = '" + pid + "' AND seq_nr = 1"
          + " AND event_type = 'OrderAccepted' AND error LIKE '%before OrderSubmitted%'"));
      return null;
    });
    List<io.tickloom.persistence.DeadLetterStore.DeadLetter> open = await(oms.deadLetters(true, 100));
    assertEquals(1, open.size());
    assertEquals(0, await(oms.retryDeadLetters()), "still no row to accept: it stays open");
    // the missing submit arrives (here journaled after it); the retry now applies the accept
    OrderRequest r = OrderRequest.limit("poison", "ACC", 408065, Side.BUY, 5, 250_000, TimeInForce.DAY);
    journaler.tell(new OrderEvent.OrderSubmitted(poisonId, r, 2L));
    eventually(() -> {
      assertEquals(1, count("SELECT count(*) FROM orders WHERE order_id = '" + poisonId.value() + "'"));
      return null;
    });
    assertEquals(1, await(oms.retryDeadLetters()));
    assertEquals(0, await(oms.deadLetters(true, 100)).size());
    assertEquals(1, OrderProjection.deadLetters() >= 1 ? 1 : 0, "counted");
  }
}
