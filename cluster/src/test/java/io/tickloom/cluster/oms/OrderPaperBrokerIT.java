package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.TestConfig;
import io.tickloom.cluster.oms.OrderEvent.OrderAccepted;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelRequested;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelled;
import io.tickloom.cluster.oms.OrderEvent.OrderExpired;
import io.tickloom.cluster.oms.OrderEvent.OrderFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderPartiallyFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderSubmitted;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Side;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OMS with its default venue ({@code tickloom.oms.broker = paper}) on the real journal: orders placed through
 * {@link OrderService} are accepted and filled by {@link PaperBroker} against a scripted live market, and the
 * entities journal what it reports.
 */
class OrderPaperBrokerIT {
  static final long TOKEN = 408065;
  static final long NO_PRICE_TOKEN = 999_001;
  static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);
  static final Duration WAIT = Duration.ofSeconds(20);

  static Database db;
  static ActorTestKit kit;
  static OrderService oms;
  static final ScriptedMarket live = new ScriptedMarket(null);

  @BeforeAll
  static void start() {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("oms-paper", OmsConfig.withJournal(TestConfig.node("tickloom.oms.ask-timeout = 15s"), db));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    live.last.put(TOKEN, 250_000L);
    oms = OrderService.start(kit.system(), live);
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.shutdownTestKit();
    if (db != null) db.close();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Waits until the order's view satisfies {@code check}; returns it. */
  private static OrderView awaitOrder(OrderId id, java.util.function.Predicate<OrderView> check) {
    TestProbe<Void> probe = kit.createTestProbe();
    return probe.awaitAssert(WAIT, Duration.ofMillis(50), () -> {
      OrderView v = oms.get(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(check.test(v), v.toString());
      return v;
    });
  }

  private static List<Class<?>> events(OrderId id) throws Exception {
    return await(oms.events(id)).stream().<Class<?>>map(e -> e.event().getClass()).toList();
  }

  private static void trade(long qty, long price) {
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertTrue(live.subscribers.containsKey(TOKEN), "the paper broker subscribed");
      return null;
    });
    live.trade(TOKEN, qty, price);
  }

  @Test
  void theDefaultVenueIsThePaperBroker() {
    assertEquals("paper", oms.broker().name());
  }

  @Test
  void marketOrderIsAcceptedAndFilledAtTheLastPrice() throws Exception {
    OrderRequest request = OrderRequest.market("pb-market", "ACC", TOKEN, Side.BUY, 10, TimeInForce.DAY);
    assertEquals(OrderStatus.PENDING_NEW, await(oms.place(request, MARKET)).order().status());
    OrderView filled = awaitOrder(request.orderId(), v -> v.status() == OrderStatus.FILLED);
    assertEquals(10, filled.filledQty());
    assertEquals(250_000, filled.avgPrice());
    assertEquals(List.of(OrderSubmitted.class, OrderAccepted.class, OrderFilled.class), events(request.orderId()));
    // A retry answers the same order and sends nothing to the venue again.
    assertEquals(OrderAck.Outcome.EXISTING, await(oms.place(request, MARKET)).outcome());
  }

  @Test
  void marketOrderWithoutALastPriceIsRejected() {
    OrderRequest request = OrderRequest.market("pb-noprice", "ACC", NO_PRICE_TOKEN, Side.SELL, 1, TimeInForce.DAY);
    oms.place(request, MARKET);
    OrderView rejected = awaitOrder(request.orderId(), v -> v.status() == OrderStatus.REJECTED);
    assertTrue(rejected.reason().contains("no last price"), rejected.reason());
  }

  @Test
  void restingLimitOrderFillsPartlyOnATickAndItsRestIsCancelled() throws Exception {
    OrderRequest request = OrderRequest.limit("pb-rest", "ACC", TOKEN, Side.BUY, 10, 249_000, TimeInForce.GTC);
    oms.place(request, MARKET);
    OrderId id = request.orderId();
    awaitOrder(id, v -> v.status() == OrderStatus.ACCEPTED);
    trade(4, 248_500);
    OrderView partial = awaitOrder(id, v -> v.status() == OrderStatus.PARTIALLY_FILLED);
    assertEquals(4, partial.filledQty());
    assertEquals(249_000, partial.avgPrice());
    await(oms.cancel(id, "changed my mind"));
    OrderView cancelled = awaitOrder(id, v -> v.status() == OrderStatus.CANCELLED);
    assertEquals(4, cancelled.filledQty());
    assertEquals(List.of(OrderSubmitted.class, OrderAccepted.class, OrderPartiallyFilled.class, OrderCancelRequested.class,
        OrderCancelled.class), events(id));
  }

  @Test
  void iocLimitOrderThatIsNotMarketableExpires() throws Exception {
    OrderRequest request = OrderRequest.limit("pb-ioc", "ACC", TOKEN, Side.SELL, 5, 251_000, TimeInForce.IOC);
    oms.place(request, MARKET);
    awaitOrder(request.orderId(), v -> v.status() == OrderStatus.EXPIRED);
    assertEquals(List.of(OrderSubmitted.class, OrderAccepted.class, OrderExpired.class), events(request.orderId()));
  }
}
