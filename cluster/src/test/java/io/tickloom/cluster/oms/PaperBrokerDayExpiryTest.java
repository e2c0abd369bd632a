package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * DAY expiry of the paper venue at the instrument's session end, on a controllable clock: Pekko's {@link ManualTime}
 * drives the broker's timers and the test moves the broker's epoch clock in step. Nothing sleeps.
 */
class PaperBrokerDayExpiryTest {
  static final long NSE_TOKEN = 2885;
  static final long UNKNOWN_TOKEN = 9999;
  static final ActorTestKit kit = ActorTestKit.create("paper-day-expiry",
      ManualTime.config().withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING")));
  static final ManualTime time = ManualTime.get(kit.system());
  final TestProbe<String> reports = kit.createTestProbe();
  final TestProbe<ScriptedMarket.Subscription> subscriptions = kit.createTestProbe();
  final ScriptedMarket market = new ScriptedMarket(subscriptions.ref());
  final AtomicLong clock = new AtomicLong();
  int ids;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Records each report as {@code "kind clientOrderId"}. */
  final BrokerAdapter.Reports oms = new BrokerAdapter.Reports() {
    private CompletionStage<OrderAck> record(String kind, OrderId id) {
      reports.getRef().tell(kind + " " + id.uuid());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<OrderAck> accepted(OrderId id) {
      return record("accept", id);
    }

    @Override
    public CompletionStage<OrderAck> rejected(OrderId id, String reason) {
      return record("reject", id);
    }

    @Override
    public CompletionStage<OrderAck> filled(OrderId id, long qty, long price, String tradeId) {
      return record("fill", id);
    }

    @Override
    public CompletionStage<OrderAck> cancelled(OrderId id) {
      return record("cancel-ack", id);
    }

    @Override
    public CompletionStage<OrderAck> modified(OrderId id) {
      return record("modify-ack", id);
    }

    @Override
    public CompletionStage<OrderAck> expired(OrderId id) {
      return record("expire", id);
    }
  };

  BrokerAdapter broker() {
    return PaperBroker.adapter(kit.spawn(PaperBroker.create(market, oms, new PaperBroker.Settings(Duration.ZERO, Duration.ZERO), "PAPER-D",
        token -> token == NSE_TOKEN ? TradingHours.NSE : null, clock::get)));
  }

  OrderView rest(BrokerAdapter b, long token, TimeInForce tif) {
    OrderId id = OrderId.of("ACC", "d-" + (++ids));
    OrderView o = new OrderView(id.value(), "c", "ACC", token, Side.BUY, 10, 0, 0, OrderType.LIMIT, 240_000, 0, tif,
        OrderStatus.PENDING_NEW, null, 0, 0, 0);
    b.place(o);
    reports.expectMessage("accept " + id.uuid());
    return o;
  }

  static String expired(OrderView o) {
    return "expire " + OrderId.parse(o.orderId()).uuid();
  }

  void advance(Duration d) {
    clock.addAndGet(d.toNanos());
    time.timePasses(d);
  }

  static long ist(String localDateTime) {
    return Timestamps.of(ZonedDateTime.parse(localDateTime + "+05:30[Asia/Kolkata]").toInstant());
  }

  @Test
  void dayOrderExpiresAtTheSessionEndAndGtcOrUnknownHoursKeepResting() {
    clock.set(ist("2026-01-15T15:29:00"));
    BrokerAdapter b = broker();
    OrderView day = rest(b, NSE_TOKEN, TimeInForce.DAY);
    OrderView gtc = rest(b, NSE_TOKEN, TimeInForce.GTC);
    OrderView unknownHours = rest(b, UNKNOWN_TOKEN, TimeInForce.DAY);

    advance(Duration.ofSeconds(59));
    reports.expectNoMessage(Duration.ofMillis(50));
    advance(Duration.ofSeconds(1)); // 15:30:00 IST, the session's exclusive end
    reports.expectMessage(expired(day));
    advance(Duration.ofDays(3));
    reports.expectNoMessage(Duration.ofMillis(100));

    // the expired order is gone from the venue; the others still work
    b.cancel(day);
    assertEquals("reject", reports.receiveMessage().split(" ")[0]);
    b.cancel(gtc);
    reports.expectMessage("cancel-ack " + OrderId.parse(gtc.orderId()).uuid());
    b.cancel(unknownHours);
    reports.expectMessage("cancel-ack " + OrderId.parse(unknownHours.orderId()).uuid());
  }

  @Test
  void dayOrderPlacedWhileClosedExpiresAtTheEndOfTheNextSession() {
    clock.set(ist("2026-01-15T18:00:00"));
    BrokerAdapter b = broker();
    OrderView day = rest(b, NSE_TOKEN, TimeInForce.DAY);
    advance(Duration.ofHours(21).plusMinutes(29)); // 2026-01-16T15:29 IST
    reports.expectNoMessage(Duration.ofMillis(50));
    advance(Duration.ofMinutes(1));
    reports.expectMessage(expired(day));
  }

  @Test
  void aFilledDayOrderDoesNotExpire() {
    clock.set(ist("2026-01-15T15:00:00"));
    BrokerAdapter b = broker();
    OrderView day = rest(b, NSE_TOKEN, TimeInForce.DAY);
    subscriptions.expectMessage(new ScriptedMarket.Subscription(NSE_TOKEN, true));
    market.trade(NSE_TOKEN, 10, 239_000);
    assertEquals("fill", reports.receiveMessage().split(" ")[0]);
    advance(Duration.ofHours(1));
    reports.expectNoMessage(Duration.ofMillis(100));
    assertEquals(0, day.filledQty());
  }
}
