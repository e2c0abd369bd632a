package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tickloom.protocol.Side;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PaperBroker} against a scripted market (last price per instrument, ticks pushed to its subscriber) and a
 * recording OMS: each report the broker sends arrives at a probe, in order.
 */
class PaperBrokerTest {
  static final ActorTestKit kit = ActorTestKit.create("paper-broker-test", ConfigFactory.parseString("pekko.loglevel = WARNING"));
  static final AtomicInteger IDS = new AtomicInteger();
  static final PaperBroker.Settings NO_LATENCY = new PaperBroker.Settings(Duration.ZERO, Duration.ZERO);
  static final Duration QUIET = Duration.ofMillis(200);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** One report the broker sent to the OMS. */
  record Report(String kind, OrderId id, long qty, long price, String tradeId, String reason) {
    static Report of(String kind, OrderId id) {
      return new Report(kind, id, 0, 0, null, null);
    }
  }

  /** The OMS as the broker sees it: every report goes to {@link #probe}. */
  static final class RecordingOms implements BrokerAdapter.Reports {
    final TestProbe<Report> probe = kit.createTestProbe();
    /** Reports to answer with a failure, as an ask that timed out (the journal away, the entity moving) would. */
    final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    /** Reports to answer with a refusal (the OMS's StatusReply error, e.g. an overfill). */
    final java.util.concurrent.atomic.AtomicInteger refuseNext = new java.util.concurrent.atomic.AtomicInteger();

    private CompletionStage<OrderAck> record(Report r) {
      probe.getRef().tell(r);
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("ask timed out (test)"));
      }
      if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(new org.apache.pekko.pattern.StatusReply.ErrorMessage("refused (test)"));
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<OrderAck> accepted(OrderId id) {
      return record(Report.of("accept", id));
    }

    @Override
    public CompletionStage<OrderAck> rejected(OrderId id, String reason) {
      return record(new Report("reject", id, 0, 0, null, reason));
    }

    @Override
    public CompletionStage<OrderAck> filled(OrderId id, long qty, long price, String tradeId) {
      return record(new Report("fill", id, qty, price, tradeId, null));
    }

    @Override
    public CompletionStage<OrderAck> cancelled(OrderId id) {
      return record(Report.of("cancel-ack", id));
    }

    @Override
    public CompletionStage<OrderAck> modified(OrderId id) {
      return record(Report.of("modify-ack", id));
    }

    @Override
    public CompletionStage<OrderAck> expired(OrderId id) {
      return record(Report.of("expire", id));
    }
  }

  final TestProbe<ScriptedMarket.Subscription> subscriptions = kit.createTestProbe();
  final ScriptedMarket market = new ScriptedMarket(subscriptions.ref());
  final RecordingOms oms = new RecordingOms();
  final long token = 1000 + IDS.incrementAndGet();

  BrokerAdapter broker(PaperBroker.Settings settings) {
    Behavior<PaperBroker.Command> b = PaperBroker.create(market, oms, settings, "PAPER-T" + token);
    return PaperBroker.adapter(kit.spawn(b));
  }

  BrokerAdapter broker() {
    return broker(NO_LATENCY);
  }

  OrderView order(OrderType type, Side side, long qty, long price, TimeInForce tif) {
    OrderId id = OrderId.of("ACC", "p-" + IDS.incrementAndGet());
    return new OrderView(id.value(), "c", "ACC", token, side, qty, 0, 0, type, price, 0, tif, OrderStatus.PENDING_NEW, null, 0, 0, 0);
  }

  static OrderId id(OrderView o) {
    return OrderId.parse(o.orderId());
  }

  /** The order as the OMS would send it for a modify to {@code qty}/{@code price}. */
  static OrderView modifyTo(OrderView o, long qty, long price) {
    return new OrderView(o.orderId(), o.clientOrderId(), o.account(), o.token(), o.side(), o.qty(), o.filledQty(), o.avgPrice(), o.type(),
        o.price(), 0, o.tif(), OrderStatus.PENDING_MODIFY, null, qty, price, 0);
  }

  Report expect(String kind, OrderView o) {
    Report r = oms.probe.expectMessageClass(Report.class);
    assertEquals(kind, r.kind(), r.toString());
    assertEquals(id(o), r.id(), r.toString());
    return r;
  }

  /** The next {@code orders * each} reports, per order in arrival order. */
  Map<OrderId, List<Report>> reportsOf(int orders, int each) {
    Map<OrderId, List<Report>> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < orders * each; i++) {
      Report r = oms.probe.expectMessageClass(Report.class);
      out.computeIfAbsent(r.id(), k -> new java.util.ArrayList<>()).add(r);
    }
    assertEquals(orders, out.size(), out.toString());
    return out;
  }

  void expectFill(OrderView o, long qty, long price) {
    Report r = expect("fill", o);
    assertEquals(qty, r.qty(), r.toString());
    assertEquals(price, r.price(), r.toString());
    assertTrue(r.tradeId().startsWith("PAPER-T" + token + "-"), r.tradeId());
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void aReportTheOmsDidNotAcknowledgeIsSentAgainUntilItIsAndTheOrdersLaterReportsWaitForIt() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    oms.failNext.set(2);
    OrderView buy = order(OrderType.MARKET, Side.BUY, 10, 0, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy); // fails
    expect("accept", buy); // sent again after 200 ms, fails
    expect("accept", buy); // after 400 ms more: acknowledged
    expectFill(buy, 10, 250_000); // the fill waited for the accept: the order's reports stay in order
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void aReportTheOmsRefusesIsNotSentAgainAndTheOrdersNextReportGoesOn() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    oms.refuseNext.set(1);
    OrderView buy = order(OrderType.MARKET, Side.BUY, 10, 0, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy); // refused: an answer, logged for reconciliation, not retried
    expectFill(buy, 10, 250_000);
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void marketOrderIsAcceptedAndFilledInFullAtTheLastPrice() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.MARKET, Side.BUY, 10, 0, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy);
    expectFill(buy, 10, 250_000);
    OrderView sell = order(OrderType.MARKET, Side.SELL, 3, 0, TimeInForce.IOC);
    b.place(sell);
    expect("accept", sell);
    expectFill(sell, 3, 250_000);
    oms.probe.expectNoMessage(QUIET);
    subscriptions.expectNoMessage(Duration.ZERO);
  }

  @Test
  void marketOrderWithoutALastPriceIsRejectedWithTheReason() {
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.MARKET, Side.BUY, 10, 0, TimeInForce.DAY);
    b.place(buy);
    Report r = expect("reject", buy);
    assertTrue(r.reason().contains("no last price for instrument " + token), r.reason());
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void marketableLimitOrdersFillAtTheLastPrice() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.LIMIT, Side.BUY, 5, 251_000, TimeInForce.DAY);
    OrderView buyAtLast = order(OrderType.LIMIT, Side.BUY, 6, 250_000, TimeInForce.GTC);
    OrderView sell = order(OrderType.LIMIT, Side.SELL, 7, 249_000, TimeInForce.IOC);
    b.place(buy);
    b.place(buyAtLast);
    b.place(sell);
    // each order's reports in order (a fill goes once its accept is acknowledged); orders interleave
    Map<OrderId, List<Report>> reports = reportsOf(3, 2);
    for (var e : List.of(java.util.Map.entry(buy, 5L), java.util.Map.entry(buyAtLast, 6L), java.util.Map.entry(sell, 7L))) {
      List<Report> of = reports.get(id(e.getKey()));
      assertEquals(List.of("accept", "fill"), of.stream().map(Report::kind).toList(), of.toString());
      assertEquals(e.getValue(), of.get(1).qty());
      assertEquals(250_000, of.get(1).price());
    }
    oms.probe.expectNoMessage(QUIET);
    subscriptions.expectNoMessage(Duration.ZERO);
  }

  @Test
  void restingLimitOrderFillsAtItsPriceWhenTheMarketTradesThroughItPartiallyByTheTickQty() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.LIMIT, Side.BUY, 10, 249_000, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy);
    assertEquals(new ScriptedMarket.Subscription(token, true), subscriptions.receiveMessage());
    oms.probe.expectNoMessage(QUIET);

    market.trade(token, 100, 249_500, 250_500); // above the limit: nothing
    oms.probe.expectNoMessage(QUIET);
    market.trade(token, 4, 249_000); // at the limit, 4 traded: a partial fill
    expectFill(buy, 4, 249_000);
    market.trade(token, 50, 248_000); // through it: the rest, at the limit price
    expectFill(buy, 6, 249_000);
    assertEquals(new ScriptedMarket.Subscription(token, false), subscriptions.receiveMessage(), "no resting orders left: unsubscribed");
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void oneTickFillsRestingOrdersInArrivalOrderUpToItsQty() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView first = order(OrderType.LIMIT, Side.SELL, 3, 251_000, TimeInForce.GTC);
    OrderView second = order(OrderType.LIMIT, Side.SELL, 5, 250_500, TimeInForce.DAY);
    b.place(first);
    b.place(second);
    expect("accept", first);
    expect("accept", second);
    subscriptions.receiveMessage();
    market.trade(token, 4, 251_000);
    expectFill(first, 3, 251_000);
    expectFill(second, 1, 250_500);
    market.trade(token, 10, 250_600);
    expectFill(second, 4, 250_500);
    assertEquals(new ScriptedMarket.Subscription(token, false), subscriptions.receiveMessage());
  }

  @Test
  void iocLimitOrderThatIsNotMarketableExpires() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.LIMIT, Side.BUY, 10, 249_000, TimeInForce.IOC);
    b.place(buy);
    expect("accept", buy);
    expect("expire", buy);
    oms.probe.expectNoMessage(QUIET);
    subscriptions.expectNoMessage(Duration.ZERO);
  }

  @Test
  void cancelOfARestingOrderIsAckedARepeatedCancelAckedAgainAndACancelTooLateIsRejected() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView sell = order(OrderType.LIMIT, Side.SELL, 10, 252_000, TimeInForce.DAY);
    b.place(sell);
    expect("accept", sell);
    subscriptions.receiveMessage();
    b.cancel(sell);
    expect("cancel-ack", sell);
    assertEquals(new ScriptedMarket.Subscription(token, false), subscriptions.receiveMessage());
    b.cancel(sell); // the OMS resending a cancel whose ack it did not get: the same answer
    expect("cancel-ack", sell);
    OrderView filled = order(OrderType.MARKET, Side.BUY, 5, 0, TimeInForce.DAY);
    b.place(filled);
    expect("accept", filled);
    expect("fill", filled);
    b.cancel(filled);
    Report r = expect("reject", filled);
    assertTrue(r.reason().contains("too late to cancel"), r.reason());
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void aRepeatedNewOrderIsAnsweredAsTheFirstFromWhatTheVenueKnows() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.MARKET, Side.BUY, 7, 0, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy);
    Report fill = expect("fill", buy);
    b.place(buy); // the OMS did not hear back (its ask timed out): it sends the order again
    expect("accept", buy);
    Report again = expect("fill", buy);
    assertEquals(fill.tradeId(), again.tradeId(), "the same trade, so the OMS applies it once");
    OrderView resting = order(OrderType.LIMIT, Side.SELL, 10, 252_000, TimeInForce.DAY);
    b.place(resting);
    expect("accept", resting);
    subscriptions.receiveMessage();
    b.place(resting);
    expect("accept", resting);
    oms.probe.expectNoMessage(QUIET);
  }

  @Test
  void modifyOfARestingOrderIsAckedAndFillsWhenItBecomesMarketable() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView buy = order(OrderType.LIMIT, Side.BUY, 10, 248_000, TimeInForce.DAY);
    b.place(buy);
    expect("accept", buy);
    subscriptions.receiveMessage();
    market.trade(token, 2, 247_000);
    expectFill(buy, 2, 248_000);
    b.modify(modifyTo(buy, 2, 248_000));
    Report refused = expect("reject", buy);
    assertTrue(refused.reason().contains("does not exceed the filled qty 2"), refused.reason());
    b.modify(modifyTo(buy, 12, 246_000)); // below the last trade (247_000): rests with the new qty and price
    expect("modify-ack", buy);
    oms.probe.expectNoMessage(QUIET);
    market.trade(token, 100, 246_500, 246_000);
    expectFill(buy, 10, 246_000);
    assertEquals(new ScriptedMarket.Subscription(token, false), subscriptions.receiveMessage());

    OrderView sell = order(OrderType.LIMIT, Side.SELL, 5, 260_000, TimeInForce.GTC);
    b.place(sell);
    expect("accept", sell);
    subscriptions.receiveMessage();
    b.modify(modifyTo(sell, 5, 240_000)); // through the last price (250_000): fills there
    expect("modify-ack", sell);
    expectFill(sell, 5, 250_000);
    assertEquals(new ScriptedMarket.Subscription(token, false), subscriptions.receiveMessage());
  }

  @Test
  void withLatencyRequestsStillArriveInOrderAndTradeIdsAreUnique() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker(new PaperBroker.Settings(Duration.ofMillis(1), Duration.ofMillis(20)));
    List<OrderView> orders = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) orders.add(order(OrderType.MARKET, i % 2 == 0 ? Side.BUY : Side.SELL, 1 + i, 0, TimeInForce.DAY));
    orders.forEach(b::place);
    List<Report> all = new java.util.ArrayList<>();
    for (int i = 0; i < 2 * orders.size(); i++) all.add(oms.probe.expectMessageClass(Report.class));
    // the venue took the requests in the order sent: its accepts come in that order
    assertEquals(orders.stream().map(PaperBrokerTest::id).toList(), all.stream().filter(r -> r.kind().equals("accept")).map(Report::id).toList());
    java.util.Set<String> tradeIds = new java.util.HashSet<>();
    for (int i = 0; i < orders.size(); i++) {
      OrderId oid = id(orders.get(i));
      List<Report> of = all.stream().filter(r -> r.id().equals(oid)).toList();
      assertEquals(List.of("accept", "fill"), of.stream().map(Report::kind).toList(), of.toString());
      assertEquals(1 + i, of.get(1).qty());
      assertTrue(tradeIds.add(of.get(1).tradeId()), "repeated trade id " + of.get(1).tradeId());
    }
    assertEquals(orders.size(), tradeIds.size());
  }

  @Test
  void stopOrdersAreRejected() {
    market.last.put(token, 250_000L);
    BrokerAdapter b = broker();
    OrderView sl = new OrderView(OrderId.of("ACC", "sl-" + token).value(), "c", "ACC", token, Side.BUY, 1, 0, 0, OrderType.SL_M, 0, 251_000,
        TimeInForce.DAY, OrderStatus.PENDING_NEW, null, 0, 0, 0);
    b.place(sl);
    Report r = expect("reject", sl);
    assertTrue(r.reason().contains("SL_M orders are not simulated"), r.reason());
  }

  @Test
  void settingsComeFromOmsConf() {
    PaperBroker.Settings s = PaperBroker.Settings.fromConfig(ConfigFactory.parseResources("oms.conf").resolve());
    assertEquals(new PaperBroker.Settings(Duration.ZERO, Duration.ofMillis(5)), s);
  }
}
