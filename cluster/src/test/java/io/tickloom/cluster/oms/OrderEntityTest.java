package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.oms.OrderAck.Outcome;
import io.tickloom.cluster.oms.OrderEvent.OrderAccepted;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelRequested;
import io.tickloom.cluster.oms.OrderEvent.OrderCancelled;
import io.tickloom.cluster.oms.OrderEvent.OrderExpired;
import io.tickloom.cluster.oms.OrderEvent.OrderFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderModified;
import io.tickloom.cluster.oms.OrderEvent.OrderModifyRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderModifyRequested;
import io.tickloom.cluster.oms.OrderEvent.OrderPartiallyFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderRejected;
import io.tickloom.cluster.oms.OrderEvent.OrderSubmitted;
import io.tickloom.protocol.Side;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order entity on Pekko's in-memory journal (EventSourcedBehaviorTestKit, which also round-trips every command,
 * event and state through the Jackson CBOR serializer): the whole transition table, the venue races, idempotent
 * place and the risk wiring.
 */
class OrderEntityTest {
  static final ActorTestKit kit = ActorTestKit.create("order-entity-test",
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final String ACC = "ACC";
  static final long TOKEN = 408065;
  static final long PRICE = 250_000; // 2500.00 at price scale 2
  static final RiskCheck.Market MARKET = new RiskCheck.Market(PRICE, 2, 0);
  static final RiskCheck RISK = new RiskCheck(RiskLimits.of("1000", "100000000", 1000, 0, false),
      Map.of("HALT", RiskLimits.of("1000", "0", 0, 0, true)));
  static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000_000_000L);
  static final OrderEntity.Deps DEPS = new OrderEntity.Deps(RISK, CLOCK::incrementAndGet, 100);
  static final AtomicInteger IDS = new AtomicInteger();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** The commands of the table; each is what the named state's order would receive. */
  enum Cmd { PLACE, MODIFY, CANCEL, ACCEPT, REJECT, FILL, CANCEL_ACK, MODIFY_ACK, EXPIRE }

  /** States of the table: {@code NONE} is an order never placed. */
  enum From { NONE, PENDING_NEW, ACCEPTED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, EXPIRED, PENDING_CANCEL, PENDING_MODIFY }

  /** One order under test, with its own id (so entity instances never share a journal). */
  static final class Subject {
    final OrderRequest request;
    final EventSourcedBehaviorTestKit<OrderEntity.Command, OrderEvent, Order> es;

    Subject(String account) {
      request = OrderRequest.limit("c-" + IDS.incrementAndGet(), account, TOKEN, Side.BUY, 100, PRICE, TimeInForce.DAY);
      es = EventSourcedBehaviorTestKit.create(kit.system(), OrderEntity.create(request.orderId(), DEPS));
    }

    Subject() {
      this(ACC);
    }

    CommandResultWithReply<OrderEntity.Command, OrderEvent, Order, StatusReply<OrderAck>> run(
        Function<ActorRef<StatusReply<OrderAck>>, OrderEntity.Command> command) {
      return es.runCommand(command::apply);
    }

    OrderAck ok(Function<ActorRef<StatusReply<OrderAck>>, OrderEntity.Command> command) {
      StatusReply<OrderAck> reply = run(command).reply();
      assertTrue(reply.isSuccess(), () -> "expected success, got " + reply);
      return reply.getValue();
    }

    OrderAck place() {
      return ok(r -> new OrderEntity.Place(request, MARKET, r));
    }

    OrderAck fill(long qty, long price, String tradeId) {
      return ok(r -> new OrderEntity.Fill(qty, price, tradeId, r));
    }

    Order state() {
      return es.getState();
    }
  }

  static OrderEntity.Command command(Cmd c, Subject s, ActorRef<StatusReply<OrderAck>> r) {
    return switch (c) {
      case PLACE -> new OrderEntity.Place(s.request, MARKET, r);
      case MODIFY -> new OrderEntity.Modify(150, PRICE + 100, MARKET, r);
      case CANCEL -> new OrderEntity.Cancel("user", r);
      case ACCEPT -> new OrderEntity.Accept(r);
      case REJECT -> new OrderEntity.Reject("venue says no", r);
      case FILL -> new OrderEntity.Fill(10, PRICE, "t-new", r);
      case CANCEL_ACK -> new OrderEntity.CancelAck(r);
      case MODIFY_ACK -> new OrderEntity.ModifyAck(r);
      case EXPIRE -> new OrderEntity.Expire(r);
    };
  }

  /** Brings a new order to {@code from} through commands (so the path itself is checked as well). */
  static Subject reach(From from) {
    Subject s = new Subject();
    if (from == From.NONE) return s;
    s.place();
    switch (from) {
      case ACCEPTED -> s.ok(OrderEntity.Accept::new);
      case PARTIALLY_FILLED -> {
        s.ok(OrderEntity.Accept::new);
        s.fill(40, PRICE, "t1");
      }
      case FILLED -> {
        s.ok(OrderEntity.Accept::new);
        s.fill(100, PRICE, "t1");
      }
      case REJECTED -> s.ok(r -> new OrderEntity.Reject("no", r));
      case CANCELLED -> {
        s.ok(OrderEntity.Accept::new);
        s.ok(r -> new OrderEntity.Cancel("user", r));
        s.ok(OrderEntity.CancelAck::new);
      }
      case EXPIRED -> {
        s.ok(OrderEntity.Accept::new);
        s.ok(OrderEntity.Expire::new);
      }
      case PENDING_CANCEL -> {
        s.ok(OrderEntity.Accept::new);
        s.ok(r -> new OrderEntity.Cancel("user", r));
      }
      case PENDING_MODIFY -> {
        s.ok(OrderEntity.Accept::new);
        s.ok(r -> new OrderEntity.Modify(150, PRICE + 100, MARKET, r));
      }
      default -> {
      }
    }
    if (from != From.NONE) assertEquals(from.name(), s.state().status().name(), "setup reached " + from);
    return s;
  }

  /** What a command does in a state: journals {@code events} and leaves {@code status}, answers {@code outcome}, or is refused. */
  record Expect(List<Class<? extends OrderEvent>> events, OrderStatus status, Outcome outcome, String refusal) {
    @Override
    public String toString() {
      if (refusal != null) return "refused (" + refusal + ")";
      return events.isEmpty() ? outcome + ", no events" : events.stream().map(Class::getSimpleName).toList() + " -> " + status;
    }
  }

  @SafeVarargs
  static Expect persists(OrderStatus status, Class<? extends OrderEvent>... events) {
    return new Expect(List.of(events), status, Outcome.APPLIED, null);
  }

  static Expect keeps(Outcome outcome) {
    return new Expect(List.of(), null, outcome, null);
  }

  static Expect refused(String reason) {
    return new Expect(List.of(), null, null, reason);
  }

  static final Expect UNCHANGED = keeps(Outcome.UNCHANGED);
  static final Expect EXISTING = keeps(Outcome.EXISTING);

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    java.util.function.BiConsumer<From, Object[]> state = (from, cells) -> {
      for (int i = 0; i < cells.length; i++) rows.add(Arguments.of(from, Cmd.values()[i], cells[i]));
    };
    // Columns: PLACE, MODIFY, CANCEL, ACCEPT, REJECT, FILL(10 of 100, new trade), CANCEL_ACK, MODIFY_ACK, EXPIRE
    state.accept(From.NONE, new Object[] {
        new Expect(List.of(OrderSubmitted.class), OrderStatus.PENDING_NEW, Outcome.CREATED, null),
        refused("no such order"), refused("no such order"), refused("no such order"), refused("no such order"),
        refused("no such order"), refused("no such order"), refused("no such order"), refused("no such order")});
    state.accept(From.PENDING_NEW, new Object[] {
        EXISTING, refused("PENDING_NEW: not yet accepted"), refused("PENDING_NEW: not yet accepted"),
        persists(OrderStatus.ACCEPTED, OrderAccepted.class), persists(OrderStatus.REJECTED, OrderRejected.class),
        persists(OrderStatus.PARTIALLY_FILLED, OrderAccepted.class, OrderPartiallyFilled.class),
        persists(OrderStatus.CANCELLED, OrderCancelled.class), refused("no modify is pending"),
        persists(OrderStatus.EXPIRED, OrderExpired.class)});
    state.accept(From.ACCEPTED, new Object[] {
        EXISTING, persists(OrderStatus.PENDING_MODIFY, OrderModifyRequested.class),
        persists(OrderStatus.PENDING_CANCEL, OrderCancelRequested.class), UNCHANGED, refused("no request is pending"),
        persists(OrderStatus.PARTIALLY_FILLED, OrderPartiallyFilled.class), persists(OrderStatus.CANCELLED, OrderCancelled.class),
        refused("no modify is pending"), persists(OrderStatus.EXPIRED, OrderExpired.class)});
    state.accept(From.PARTIALLY_FILLED, new Object[] {
        EXISTING, persists(OrderStatus.PENDING_MODIFY, OrderModifyRequested.class),
        persists(OrderStatus.PENDING_CANCEL, OrderCancelRequested.class), UNCHANGED, refused("no request is pending"),
        persists(OrderStatus.PARTIALLY_FILLED, OrderPartiallyFilled.class), persists(OrderStatus.CANCELLED, OrderCancelled.class),
        refused("no modify is pending"), persists(OrderStatus.EXPIRED, OrderExpired.class)});
    state.accept(From.FILLED, new Object[] {
        EXISTING, refused("FILLED: nothing left to modify"), refused("FILLED: nothing left to cancel"), UNCHANGED, UNCHANGED,
        refused("overfill: trade t-new of qty 10 exceeds the remaining qty 0"), UNCHANGED, UNCHANGED, UNCHANGED});
    state.accept(From.REJECTED, new Object[] {
        EXISTING, refused("REJECTED: nothing left to modify"), refused("REJECTED: nothing left to cancel"),
        refused("an accept contradicts it"), UNCHANGED, refused("REJECTED: trade t-new cannot be applied"), UNCHANGED,
        refused("no modify is pending"), UNCHANGED});
    state.accept(From.CANCELLED, new Object[] {
        EXISTING, refused("CANCELLED: nothing left to modify"), UNCHANGED, UNCHANGED, UNCHANGED,
        persists(OrderStatus.CANCELLED, OrderPartiallyFilled.class), UNCHANGED, UNCHANGED, UNCHANGED});
    state.accept(From.EXPIRED, new Object[] {
        EXISTING, refused("EXPIRED: nothing left to modify"), refused("EXPIRED: nothing left to cancel"), UNCHANGED, UNCHANGED,
        persists(OrderStatus.EXPIRED, OrderPartiallyFilled.class), UNCHANGED, UNCHANGED, UNCHANGED});
    state.accept(From.PENDING_CANCEL, new Object[] {
        EXISTING, refused("a cancel is pending"), UNCHANGED, UNCHANGED, persists(OrderStatus.ACCEPTED, OrderCancelRejected.class),
        persists(OrderStatus.PENDING_CANCEL, OrderPartiallyFilled.class), persists(OrderStatus.CANCELLED, OrderCancelled.class),
        refused("no modify is pending"), persists(OrderStatus.EXPIRED, OrderExpired.class)});
    state.accept(From.PENDING_MODIFY, new Object[] {
        EXISTING, refused("a modify is already pending"), persists(OrderStatus.PENDING_CANCEL, OrderCancelRequested.class),
        UNCHANGED, persists(OrderStatus.ACCEPTED, OrderModifyRejected.class),
        persists(OrderStatus.PENDING_MODIFY, OrderPartiallyFilled.class), persists(OrderStatus.CANCELLED, OrderCancelled.class),
        persists(OrderStatus.ACCEPTED, OrderModified.class), persists(OrderStatus.EXPIRED, OrderExpired.class)});
    return rows.stream();
  }

  @Test
  void transitionTableCoversEveryStateAndCommand() {
    Set<String> cells = new HashSet<>();
    table().forEach(a -> cells.add(a.get()[0] + "/" + a.get()[1]));
    assertEquals(From.values().length * Cmd.values().length, cells.size());
    // Every status an order can have is a row of the table.
    Set<String> statuses = new HashSet<>();
    for (From f : From.values()) statuses.add(f.name());
    for (OrderStatus s : EnumSet.allOf(OrderStatus.class)) assertTrue(statuses.contains(s.name()), s + " has no row");
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @MethodSource("table")
  void transition(From from, Cmd cmd, Expect expect) {
    Subject s = reach(from);
    Order before = s.state();
    var result = s.run(r -> command(cmd, s, r));
    StatusReply<OrderAck> reply = result.reply();
    if (expect.refusal() != null) {
      assertTrue(reply.isError(), () -> "expected a refusal, got " + reply);
      assertTrue(reply.getError().getMessage().contains(expect.refusal()),
          () -> "reason '" + reply.getError().getMessage() + "' should contain '" + expect.refusal() + "'");
      assertTrue(result.hasNoEvents(), "a refusal journals nothing");
      assertEquals(before, result.state(), "a refusal changes nothing");
      return;
    }
    assertTrue(reply.isSuccess(), () -> "expected success, got " + reply);
    assertEquals(expect.outcome(), reply.getValue().outcome());
    assertEquals(expect.events(), result.events().stream().map(Object::getClass).toList());
    if (expect.events().isEmpty()) {
      assertEquals(before, result.state(), "no events, no change");
    } else {
      assertEquals(expect.status(), result.state().status());
      assertEquals(result.state().view(), reply.getValue().order(), "the reply shows the state after the events");
    }
  }

  // --- venue races ----------------------------------------------------------------------------------------

  @Test
  void fillArrivingAfterCancelRequestIsAppliedAndTheOrderEndsFilled() {
    Subject s = reach(From.PENDING_CANCEL);
    OrderAck filled = s.fill(100, PRICE, "t9");
    assertEquals(OrderStatus.FILLED, filled.order().status());
    assertEquals(100, filled.order().filledQty());
    // The venue's cancel ack for the cancel the fill overtook: nothing to cancel, nothing journaled.
    var ack = s.run(OrderEntity.CancelAck::new);
    assertTrue(ack.hasNoEvents());
    assertEquals(Outcome.UNCHANGED, ack.reply().getValue().outcome());
    assertEquals(OrderStatus.FILLED, s.state().status());
    // And its "too late to cancel" reject likewise.
    var late = s.run(r -> new OrderEntity.Reject("too late to cancel", r));
    assertTrue(late.hasNoEvents());
    assertEquals(OrderStatus.FILLED, s.state().status());
  }

  @Test
  void partialFillWhileCancelPendingThenCancelAckCancelsTheRest() {
    Subject s = reach(From.PENDING_CANCEL);
    s.fill(30, PRICE, "t1");
    assertEquals(OrderStatus.PENDING_CANCEL, s.state().status());
    OrderAck cancelled = s.ok(OrderEntity.CancelAck::new);
    assertEquals(OrderStatus.CANCELLED, cancelled.order().status());
    assertEquals(30, cancelled.order().filledQty());
    assertEquals("user", cancelled.order().reason());
  }

  @Test
  void duplicateFillWithTheSameTradeIdIsIgnored() {
    Subject s = reach(From.ACCEPTED);
    s.fill(40, PRICE, "t1");
    var again = s.run(r -> new OrderEntity.Fill(40, PRICE, "t1", r));
    assertTrue(again.hasNoEvents());
    assertEquals(Outcome.UNCHANGED, again.reply().getValue().outcome());
    assertEquals(40, s.state().filledQty());
    // Also once the order is FILLED: a repeat of the last trade is not an overfill.
    s.fill(60, PRICE, "t2");
    var repeat = s.run(r -> new OrderEntity.Fill(60, PRICE, "t2", r));
    assertTrue(repeat.reply().isSuccess());
    assertTrue(repeat.hasNoEvents());
    assertEquals(100, s.state().filledQty());
  }

  @Test
  void overfillIsRefusedWithTheQuantities() {
    Subject s = reach(From.PARTIALLY_FILLED);
    var over = s.run(r -> new OrderEntity.Fill(61, PRICE, "t2", r));
    assertTrue(over.reply().isError());
    assertTrue(over.reply().getError().getMessage().contains("trade t2 of qty 61 exceeds the remaining qty 60"), over.reply().getError().getMessage());
    assertTrue(over.hasNoEvents());
  }

  @Test
  void lateFillAfterCancelAckIsRecordedAndCompletesTheOrder() {
    Subject s = reach(From.CANCELLED);
    OrderAck late = s.fill(100, PRICE, "t-late");
    assertEquals(OrderStatus.FILLED, late.order().status());
    assertEquals(100, late.order().filledQty());
  }

  @Test
  void fillsWhileModifyPendingBeyondTheNewQtyEndTheOrderFilledOnTheAck() {
    Subject s = reach(From.ACCEPTED);
    s.ok(r -> new OrderEntity.Modify(60, PRICE, MARKET, r));
    s.fill(70, PRICE, "t1");
    assertEquals(OrderStatus.PENDING_MODIFY, s.state().status());
    OrderAck acked = s.ok(OrderEntity.ModifyAck::new);
    assertEquals(OrderStatus.FILLED, acked.order().status());
    assertEquals(70, acked.order().qty());
    assertEquals(70, acked.order().filledQty());
  }

  // --- a cancel while a modify is pending (FIX: the cancel is pending too and wins unless a fill comes first) ------------

  /** What the venue may answer, in some order, to a modify (150 @ PRICE + 100) followed by a cancel of a 100 @ PRICE order. */
  enum VenueAnswer { MODIFY_ACK, MODIFY_REJECT, CANCEL_ACK, CANCEL_REJECT, PARTIAL_FILL, FULL_FILL }

  @Test
  void aCancelWhileAModifyIsPendingIsPendingTooAndEveryOrderOfTheVenuesAnswersEndsAsFixSays() {
    List<VenueAnswer[]> cases = new ArrayList<>();
    for (VenueAnswer m : new VenueAnswer[] {VenueAnswer.MODIFY_ACK, VenueAnswer.MODIFY_REJECT}) {
      for (VenueAnswer c : new VenueAnswer[] {VenueAnswer.CANCEL_ACK, VenueAnswer.CANCEL_REJECT}) {
        for (VenueAnswer fill : new VenueAnswer[] {null, VenueAnswer.PARTIAL_FILL, VenueAnswer.FULL_FILL}) {
          // every order of the two answers, with the fill (if any) before, between or after them
          for (boolean modifyFirst : new boolean[] {true, false}) {
            VenueAnswer first = modifyFirst ? m : c;
            VenueAnswer second = modifyFirst ? c : m;
            if (fill == null) {
              cases.add(new VenueAnswer[] {first, second});
            } else {
              cases.add(new VenueAnswer[] {fill, first, second});
              cases.add(new VenueAnswer[] {first, fill, second});
              cases.add(new VenueAnswer[] {first, second, fill});
            }
          }
        }
      }
    }
    for (VenueAnswer[] answers : cases) interleaving(answers);
  }

  private static void interleaving(VenueAnswer... answers) {
    String at = java.util.Arrays.toString(answers);
    Subject s = reach(From.PENDING_MODIFY);
    OrderAck cancel = s.ok(r -> new OrderEntity.Cancel("user", r));
    assertEquals(OrderStatus.PENDING_CANCEL, cancel.order().status(), at);
    assertEquals(150, cancel.order().pendingQty(), "the modify stays outstanding behind the cancel " + at);
    assertTrue(s.run(r -> new OrderEntity.Modify(120, PRICE, MARKET, r)).reply().getError().getMessage().contains("a cancel is pending"),
        "a modify while the cancel is pending is refused " + at);
    // What FIX says, worked out here independently of the entity: the order's qty, what filled, what is still open.
    long qty = 100;
    long filled = 0;
    boolean modifyOpen = true;
    boolean cancelOpen = true;
    boolean cancelled = false;
    for (VenueAnswer a : answers) {
      boolean working = !cancelled && filled < qty;
      // a venue fills only an order it still works
      if ((a == VenueAnswer.PARTIAL_FILL || a == VenueAnswer.FULL_FILL) && !working) continue;
      long fillQty = a == VenueAnswer.FULL_FILL ? qty - filled : 30;
      var result = s.run(r -> switch (a) {
        case MODIFY_ACK -> new OrderEntity.ModifyAck(r);
        case MODIFY_REJECT -> new OrderEntity.ModifyReject("venue: too late to modify", r);
        case CANCEL_ACK -> new OrderEntity.CancelAck(r);
        case CANCEL_REJECT -> new OrderEntity.CancelReject("venue: too late to cancel", r);
        case PARTIAL_FILL, FULL_FILL -> new OrderEntity.Fill(fillQty, PRICE, "t-" + a, r);
      });
      assertTrue(result.reply().isSuccess(), () -> at + ": " + a + " refused: " + result.reply());
      switch (a) {
        case MODIFY_ACK -> {
          if (working) qty = Math.max(150, filled);
          modifyOpen = false;
        }
        case MODIFY_REJECT -> modifyOpen = false;
        case CANCEL_ACK -> {
          cancelOpen = false;
          if (working) cancelled = true;
        }
        case CANCEL_REJECT -> cancelOpen = false;
        case PARTIAL_FILL, FULL_FILL -> filled += fillQty;
      }
    }
    Order o = s.state();
    assertEquals(filled, o.filledQty(), at);
    assertEquals(qty, o.qty(), at);
    OrderStatus expected;
    if (filled >= qty) expected = OrderStatus.FILLED;
    else if (cancelled) expected = OrderStatus.CANCELLED;
    else if (cancelOpen) expected = OrderStatus.PENDING_CANCEL;
    else if (modifyOpen) expected = OrderStatus.PENDING_MODIFY;
    else expected = filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.ACCEPTED;
    assertEquals(expected, o.status(), at);
    assertEquals(expected.terminal() || !modifyOpen ? 0 : 150, o.pendingQty(), at);
  }

  @Test
  void aPlainRejectWithBothACancelAndAModifyPendingIsRefusedAsAmbiguous() {
    Subject s = reach(From.PENDING_MODIFY);
    s.ok(r -> new OrderEntity.Cancel("user", r));
    var plain = s.run(r -> new OrderEntity.Reject("no", r));
    assertTrue(plain.reply().isError());
    assertTrue(plain.reply().getError().getMessage().contains("must name the request it refuses"), plain.reply().getError().getMessage());
    assertTrue(plain.hasNoEvents());
    assertEquals(OrderStatus.PENDING_CANCEL, s.state().status());
  }

  @Test
  void modifyAckAppliesTheNewQtyAndPrice() {
    Subject s = reach(From.PARTIALLY_FILLED);
    s.ok(r -> new OrderEntity.Modify(200, PRICE + 500, MARKET, r));
    assertEquals(200, s.state().pendingQty());
    assertEquals(100, s.state().qty(), "the order works unchanged until the venue acks");
    OrderAck acked = s.ok(OrderEntity.ModifyAck::new);
    assertEquals(OrderStatus.PARTIALLY_FILLED, acked.order().status());
    assertEquals(200, acked.order().qty());
    assertEquals(PRICE + 500, acked.order().price());
    assertEquals(0, acked.order().pendingQty());
  }

  @Test
  void modifyThatChangesNothingOrCutsBelowTheFilledQtyIsRefused() {
    Subject s = reach(From.PARTIALLY_FILLED);
    var same = s.run(r -> new OrderEntity.Modify(100, PRICE, MARKET, r));
    assertTrue(same.reply().getError().getMessage().contains("unchanged"));
    var below = s.run(r -> new OrderEntity.Modify(40, PRICE, MARKET, r));
    assertTrue(below.reply().getError().getMessage().contains("qty 40 must exceed the filled qty 40"));
    assertTrue(same.hasNoEvents() && below.hasNoEvents());
  }

  @Test
  void averagePriceIsTheFillWeightedAverageRoundedHalfUp() {
    Subject s = reach(From.ACCEPTED);
    s.fill(40, 250_000, "t1");
    s.fill(30, 250_101, "t2");
    OrderAck last = s.fill(30, 250_100, "t3");
    // (40*250000 + 30*250101 + 30*250100) / 100 = 250060.3 -> 250060
    assertEquals(250_060, last.order().avgPrice());
    assertEquals(OrderStatus.FILLED, last.order().status());
  }

  @Test
  void stateIsRebuiltFromTheJournalOnRestart() {
    Subject s = reach(From.PARTIALLY_FILLED);
    Order before = s.state();
    assertEquals(before, s.es.restart().state());
    assertTrue(s.state().hasTrade("t1"), "trade ids survive recovery, so a redelivered fill stays ignored");
  }

  // --- idempotency ----------------------------------------------------------------------------------------

  @Test
  void retriedPlaceAnswersTheExistingOrderAndJournalsNothing() {
    Subject s = new Subject();
    OrderAck first = s.place();
    assertTrue(first.created());
    var retry = s.run(r -> new OrderEntity.Place(s.request, MARKET, r));
    assertTrue(retry.hasNoEvents());
    assertFalse(retry.reply().getValue().created());
    assertEquals(Outcome.EXISTING, retry.reply().getValue().outcome());
    assertEquals(first.order(), retry.reply().getValue().order());
  }

  @Test
  void sameClientOrderIdWithOtherParametersIsRefused() {
    Subject s = new Subject();
    s.place();
    OrderRequest other = OrderRequest.limit(s.request.clientOrderId(), ACC, TOKEN, Side.BUY, 101, PRICE, TimeInForce.DAY);
    var r = s.run(ref -> new OrderEntity.Place(other, MARKET, ref));
    assertTrue(r.reply().getError().getMessage().contains("already names order " + s.request.orderId()));
    assertTrue(r.hasNoEvents());
  }

  @Test
  void orderIdIsDerivedFromAccountAndClientOrderId() {
    assertEquals(OrderId.of("ACC", "c-1"), OrderId.of("ACC", "c-1"));
    assertNotEquals(OrderId.of("ACC", "c-1"), OrderId.of("ACC2", "c-1"));
    assertNotEquals(OrderId.of("ACC", "c-1"), OrderId.of("ACC", "c-2"));
    OrderId id = OrderId.of("ACC", "c-1");
    assertEquals(id, OrderId.parse(id.value()));
    assertTrue(id.value().startsWith("ACC."));
    assertEquals(3, id.uuid().version(), "name-based (v3) uuid");
  }

  @Test
  void placeSentToAnotherOrdersEntityIsRefused() {
    Subject s = new Subject();
    OrderRequest other = OrderRequest.limit("someone-else", ACC, TOKEN, Side.BUY, 100, PRICE, TimeInForce.DAY);
    var r = s.run(ref -> new OrderEntity.Place(other, MARKET, ref));
    assertTrue(r.reply().getError().getMessage().contains("not " + s.request.orderId()));
    assertTrue(r.hasNoEvents());
  }

  @Test
  void invalidRequestIsRefusedAndNoOrderExists() {
    OrderRequest bad = new OrderRequest("bad-1", ACC, TOKEN, Side.SELL, 10, OrderType.MARKET, PRICE, 0, TimeInForce.IOC);
    var es = EventSourcedBehaviorTestKit.<OrderEntity.Command, OrderEvent, Order>create(kit.system(), OrderEntity.create(bad.orderId(), DEPS));
    var r = es.<StatusReply<OrderAck>>runCommand(ref -> new OrderEntity.Place(bad, MARKET, ref));
    assertEquals("invalid order: a MARKET order has no price, got 250000", r.reply().getError().getMessage());
    assertTrue(r.hasNoEvents());
    assertFalse(es.getState().exists());
  }

  @Test
  void getAnswersTheViewOrNoSuchOrder() {
    Subject s = new Subject();
    StatusReply<OrderView> none = s.es.<StatusReply<OrderView>>runCommand(OrderEntity.Get::new).reply();
    assertEquals("no such order", none.getError().getMessage());
    s.place();
    OrderView view = s.es.<StatusReply<OrderView>>runCommand(OrderEntity.Get::new).reply().getValue();
    assertEquals(s.request.orderId().value(), view.orderId());
    assertEquals(OrderStatus.PENDING_NEW, view.status());
    assertEquals(100, view.qty());
  }

  // --- risk -----------------------------------------------------------------------------------------------

  @Test
  void placeOverMaxQtyIsJournaledAsRejectedWithRuleAndNumbers() {
    OrderRequest big = OrderRequest.limit("big-" + IDS.incrementAndGet(), ACC, TOKEN, Side.BUY, 1500, PRICE, TimeInForce.DAY);
    var es = EventSourcedBehaviorTestKit.<OrderEntity.Command, OrderEvent, Order>create(kit.system(), OrderEntity.create(big.orderId(), DEPS));
    var r = es.<StatusReply<OrderAck>>runCommand(ref -> new OrderEntity.Place(big, MARKET, ref));
    assertEquals(List.of(OrderSubmitted.class, OrderRejected.class), r.events().stream().map(Object::getClass).toList());
    OrderView v = r.reply().getValue().order();
    assertEquals(OrderStatus.REJECTED, v.status());
    assertEquals("risk: max-qty: qty 1500 > limit 1000", v.reason());
    // A retry answers the rejected order; it is not re-checked into a second order.
    var retry = es.<StatusReply<OrderAck>>runCommand(ref -> new OrderEntity.Place(big, MARKET, ref));
    assertTrue(retry.hasNoEvents());
    assertEquals(OrderStatus.REJECTED, retry.reply().getValue().order().status());
  }

  @Test
  void placeOutsideThePriceBandIsRejected() {
    OrderRequest far = OrderRequest.limit("far-" + IDS.incrementAndGet(), ACC, TOKEN, Side.BUY, 10, 280_000, TimeInForce.DAY);
    var es = EventSourcedBehaviorTestKit.<OrderEntity.Command, OrderEvent, Order>create(kit.system(), OrderEntity.create(far.orderId(), DEPS));
    OrderView v = es.<StatusReply<OrderAck>>runCommand(ref -> new OrderEntity.Place(far, MARKET, ref)).reply().getValue().order();
    assertEquals("risk: price-band: price 2800.00 is 1200 bps from last price 2500.00 > band 1000 bps", v.reason());
  }

  @Test
  void killSwitchRejectsPlaceNamingTheAccount() {
    Subject s = new Subject("HALT");
    OrderAck placed = s.place();
    assertEquals(OrderStatus.REJECTED, placed.order().status());
    assertEquals("risk: kill-switch: trading is halted for account HALT", placed.order().reason());
  }

  @Test
  void modifyOverTheLimitsIsRefusedAndJournalsNothing() {
    Subject s = reach(From.ACCEPTED);
    var r = s.run(ref -> new OrderEntity.Modify(2000, PRICE, MARKET, ref));
    assertEquals("risk: max-qty: qty 2000 > limit 1000", r.reply().getError().getMessage());
    assertTrue(r.hasNoEvents());
    assertEquals(OrderStatus.ACCEPTED, s.state().status());
  }

  @Test
  void eventsAreTaggedByAccountSlice() {
    assertEquals(OrderEntity.tag("ACC"), OrderEntity.tag("ACC"));
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < 200; i++) tags.add(OrderEntity.tag("A" + i));
    assertEquals(OrderEntity.TAG_SLICES, tags.size());
    tags.forEach(t -> assertTrue(t.matches("order-[0-3]"), t));
  }
}
