package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tickloom.protocol.Side;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-off to the venue is driven by the journal: an order entity sends a journaled request to the venue at once,
 * again until the venue answers, again when it recovers with the request pending, at once when the client retries, and
 * refuses it itself (journaled) past the pending timeout, so no order stays PENDING_* for good.
 */
class OrderHandOffTest {
  static final ActorTestKit kit = ActorTestKit.create("order-hand-off-test",
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final long TOKEN = 408065;
  static final long PRICE = 250_000;
  static final RiskCheck.Market MARKET = new RiskCheck.Market(PRICE, 2, 0);
  static final RiskCheck RISK = new RiskCheck(RiskLimits.of("1000", "0", 1000, 0, false), Map.of());
  static final AtomicInteger IDS = new AtomicInteger();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** What the entity sent the venue: "place", "modify" or "cancel" with the order as sent. */
  record Sent(String kind, OrderView order) {}

  final AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);
  final TestProbe<Sent> venue = kit.createTestProbe();
  final BrokerAdapter adapter = new BrokerAdapter() {
    public String name() { return "recording"; }
    public void place(OrderView o) { venue.ref().tell(new Sent("place", o)); }
    public void modify(OrderView o) { venue.ref().tell(new Sent("modify", o)); }
    public void cancel(OrderView o) { venue.ref().tell(new Sent("cancel", o)); }
  };
  final OrderRequest request = OrderRequest.limit("h-" + IDS.incrementAndGet(), "ACC", TOKEN, Side.BUY, 100, PRICE, TimeInForce.DAY);
  EventSourcedBehaviorTestKit<OrderEntity.Command, OrderEvent, Order> es = entity(Duration.ofMillis(100));

  EventSourcedBehaviorTestKit<OrderEntity.Command, OrderEvent, Order> entity(Duration resendAfter) {
    OrderEntity.Deps deps = new OrderEntity.Deps(RISK, clock::incrementAndGet, 0, null, () -> adapter,
        new OrderEntity.HandOff(resendAfter, resendAfter.multipliedBy(2), TIMEOUT));
    return EventSourcedBehaviorTestKit.create(kit.system(), OrderEntity.create(request.orderId(), deps));
  }

  /** The next request of {@code kind} the venue gets within 3 s (resends of another kind before it are skipped). */
  Sent next(String kind) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (true) {
      Sent m = venue.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m.kind().equals(kind)) return m;
    }
  }

  /** At most one resend that was already under way, then nothing more. */
  void quiet() {
    try {
      venue.receiveMessage(Duration.ofMillis(300));
    } catch (AssertionError none) {
      // nothing was under way
    }
    venue.expectNoMessage(Duration.ofMillis(600));
  }

  OrderAck ok(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<StatusReply<OrderAck>>, OrderEntity.Command> c) {
    StatusReply<OrderAck> reply = es.<StatusReply<OrderAck>>runCommand(c::apply).reply();
    assertTrue(reply.isSuccess(), () -> "expected success, got " + reply);
    return reply.getValue();
  }

  @Test
  void aPlacedOrderGoesToTheVenueAndAgainUntilItIsAccepted() {
    assertEquals(OrderStatus.PENDING_NEW, ok(r -> new OrderEntity.Place(request, MARKET, r)).order().status());
    assertEquals("place", venue.receiveMessage().kind());
    assertEquals("place", venue.receiveMessage(Duration.ofSeconds(2)).kind()); // no answer: sent again
    assertEquals(OrderStatus.ACCEPTED, ok(OrderEntity.Accept::new).order().status());
    quiet();
  }

  @Test
  void aRetryOfTheSameClientOrderIdResumesTheHandOffAtOnce() {
    ok(r -> new OrderEntity.Place(request, MARKET, r));
    venue.receiveMessage();
    OrderAck again = ok(r -> new OrderEntity.Place(request, MARKET, r));
    assertEquals(OrderAck.Outcome.EXISTING, again.outcome());
    assertEquals("place", venue.receiveMessage(Duration.ofMillis(90)).kind(), "sent before the resend timer would have");
  }

  @Test
  void anOrderRecoveredWithItsRequestPendingSendsItAgain() {
    es = entity(Duration.ofMinutes(1)); // no resend of its own before the restart
    ok(r -> new OrderEntity.Place(request, MARKET, r));
    venue.receiveMessage();
    venue.expectNoMessage(Duration.ofMillis(200));
    es.restart();
    Sent sent = venue.receiveMessage(Duration.ofSeconds(3));
    assertEquals("place", sent.kind());
    assertEquals(request.orderId().value(), sent.order().orderId());
  }

  @Test
  void aRequestTheVenueNeverAnswersIsRefusedByTheOmsAfterThePendingTimeout() {
    ok(r -> new OrderEntity.Place(request, MARKET, r));
    venue.receiveMessage();
    clock.addAndGet(TIMEOUT.toNanos() + 1);
    Sent cancel = next("cancel");
    assertEquals(OrderStatus.REJECTED, cancel.order().status(), "journaled as rejected, and the venue asked to cancel in case it has it");
    Order o = es.getState();
    assertEquals(OrderStatus.REJECTED, o.status());
    assertTrue(o.reason().contains("did not acknowledge the new order within 30 s"), o.reason());
    quiet();
  }

  @Test
  void aCancelIsHandedOffUntilTheVenueAcknowledgesIt() {
    ok(r -> new OrderEntity.Place(request, MARKET, r));
    venue.receiveMessage();
    ok(OrderEntity.Accept::new);
    assertEquals(OrderStatus.PENDING_CANCEL, ok(r -> new OrderEntity.Cancel("test", r)).order().status());
    assertEquals("cancel", next("cancel").kind());
    assertEquals("cancel", venue.receiveMessage(Duration.ofSeconds(2)).kind());
    assertEquals(OrderStatus.CANCELLED, ok(OrderEntity.CancelAck::new).order().status());
    quiet();
  }

  @Test
  void aCancelBehindAPendingModifyGoesToTheVenueAndOnTimeoutBothAreGivenUpTheOrderWorksAsBefore() {
    ok(r -> new OrderEntity.Place(request, MARKET, r));
    venue.receiveMessage();
    ok(OrderEntity.Accept::new);
    assertEquals(OrderStatus.PENDING_MODIFY, ok(r -> new OrderEntity.Modify(150, PRICE, MARKET, r)).order().status());
    next("modify");
    OrderAck cancel = ok(r -> new OrderEntity.Cancel("test", r));
    assertEquals(OrderStatus.PENDING_CANCEL, cancel.order().status());
    assertEquals(150, cancel.order().pendingQty(), "the modify is still outstanding");
    assertEquals("cancel", next("cancel").kind(), "the cancel goes to the venue at once");
    // the venue answers neither: the OMS gives up on both, the order works unchanged and nothing is left pending
    clock.addAndGet(TIMEOUT.toNanos() + 1);
    venue.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(OrderStatus.ACCEPTED, es.getState().status());
      return null;
    });
    Order o = es.getState();
    assertEquals(100, o.qty());
    assertEquals(0, o.pendingQty());
    assertTrue(o.reason().contains("did not acknowledge the cancel"), o.reason());
    quiet();
  }
}
