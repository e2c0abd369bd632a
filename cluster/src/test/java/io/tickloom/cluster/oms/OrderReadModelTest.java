package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.oms.OrderEvent.OrderAccepted;
import io.tickloom.cluster.oms.OrderEvent.OrderFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderPartiallyFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderSubmitted;
import io.tickloom.cluster.oms.OrderRules.Decision;
import io.tickloom.cluster.oms.OrderRules.Persist;
import io.tickloom.persistence.OrderReadStore.PositionKey;
import io.tickloom.persistence.OrderRow;
import io.tickloom.persistence.Position;
import io.tickloom.protocol.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The read side's fold against the entity's: random command histories through {@link OrderRules} (the entity's own
 * rules), each journaled event applied to both {@link Order} and {@link OrderReadModel}, views compared after every event.
 */
class OrderReadModelTest {
  static final RiskCheck RISK = RiskCheck.uniform(RiskLimits.NONE);
  static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);

  @Test
  void readRowEqualsEntityViewAfterEveryEventOfRandomHistories() {
    Random rnd = new Random(42);
    int events = 0;
    for (int n = 0; n < 2_000; n++) {
      OrderRequest req = OrderRequest.limit("c" + n, "ACC", 7, rnd.nextBoolean() ? Side.BUY : Side.SELL, 1 + rnd.nextInt(100),
          240_000 + rnd.nextInt(20_000), TimeInForce.DAY);
      Order o = Order.EMPTY;
      OrderRow row = null;
      long seq = 0;
      long now = 1_000;
      for (int step = 0; step < 25; step++) {
        now += 1 + rnd.nextInt(1_000);
        Decision d = step == 0 ? OrderRules.place(o, req, RISK, MARKET, RiskCheck.UNKNOWN_OPEN_ORDERS, now) : random(rnd, o, now);
        if (!(d instanceof Persist p)) continue;
        for (OrderEvent e : p.events()) {
          o = o.apply(e);
          row = OrderReadModel.apply(row, ++seq, e);
          events++;
          assertSame(o.view(), row, seq);
        }
      }
    }
    assertTrue(events > 10_000, "histories too short to mean anything: " + events);
  }

  private static Decision random(Random rnd, Order o, long now) {
    long rest = Math.max(1, o.remainingQty());
    return switch (rnd.nextInt(11)) {
      case 9 -> OrderRules.cancelReject(o, "venue: too late to cancel " + rnd.nextInt(3), now);
      case 10 -> OrderRules.modifyReject(o, "venue: too late to modify " + rnd.nextInt(3), now);
      case 0 -> OrderRules.accept(o, now);
      case 1 -> OrderRules.reject(o, "venue says no " + rnd.nextInt(3), now);
      case 2, 3 -> OrderRules.fill(o, 1 + rnd.nextInt((int) Math.min(rest, 50)), 245_000 + rnd.nextInt(10_000), "T" + rnd.nextInt(40), now);
      case 4 -> OrderRules.cancel(o, "user", now);
      case 5 -> OrderRules.cancelAck(o, now);
      case 6 -> OrderRules.modify(o, o.filledQty() + 1 + rnd.nextInt(100), 240_000 + rnd.nextInt(20_000), RISK, MARKET, now);
      case 7 -> OrderRules.modifyAck(o, now);
      default -> OrderRules.expire(o, now);
    };
  }

  private static void assertSame(OrderView v, OrderRow r, long seq) {
    String at = "after event " + seq + " of " + v.orderId();
    assertEquals(v.orderId(), r.orderId(), at);
    assertEquals(v.status().name(), r.status(), at);
    assertEquals(v.qty(), r.qty(), at);
    assertEquals(v.price(), r.price(), at);
    assertEquals(v.filledQty(), r.filledQty(), at);
    assertEquals(v.avgPrice(), r.avgPrice(), at);
    assertEquals(v.reason(), r.reason(), at);
    assertEquals(v.pendingQty(), r.pendingQty(), at);
    assertEquals(v.pendingPrice(), r.pendingPrice(), at);
    assertEquals(v.updatedAt(), r.updatedAt(), at);
    assertEquals(v.side(), r.side(), at);
    assertEquals(v.tif().name(), r.tif(), at);
    assertEquals(seq, r.lastSeq(), at);
  }

  @Test
  void batchSkipsEventsAtOrBelowTheStoredSequenceNumber() {
    OrderRequest req = OrderRequest.limit("c1", "ACC", 7, Side.BUY, 10, 250_000, TimeInForce.DAY);
    String id = req.orderId().value();
    OrderRow stored = OrderReadModel.apply(OrderReadModel.apply(null, 1, new OrderSubmitted(req.orderId(), req, 1)), 2, new OrderAccepted(2));
    OrderReadModel.Batch b = new OrderReadModel.Batch(Map.of(id, stored));
    b.apply(id, 2, new OrderAccepted(2)); // replayed
    b.apply(id, 3, new OrderPartiallyFilled("T1", 4, 250_100, 3));
    b.apply(id, 3, new OrderPartiallyFilled("T1", 4, 250_100, 3)); // replayed within the batch
    b.apply(id, 4, new OrderFilled("T2", 6, 250_000, 4));
    assertEquals(2, b.skipped());
    assertEquals(2, b.fills().size());
    OrderRow r = b.changedOrders().iterator().next();
    assertEquals("FILLED", r.status());
    assertEquals(10, r.filledQty());
    assertEquals(250_040, r.avgPrice());
    List<Position> ps = new ArrayList<>(b.changedPositions(Map.of()));
    assertEquals(1, ps.size());
    assertEquals(10, ps.get(0).netQty());
    assertEquals(250_040, ps.get(0).avgPrice());
    // with a stored short of 4 at 2600.00: the fills cover it (realizing 4 x 100.00) and open a long of 6
    Position shortFour = new Position("ACC", 7, -4, 260_000, 0, 0, 4, 0);
    Position after = b.changedPositions(Map.of(new PositionKey("ACC", 7), shortFour)).iterator().next();
    assertEquals(6, after.netQty());
    assertEquals(4 * (260_000 - 250_100), after.realizedPnl());
    assertEquals(250_000, after.avgPrice());
  }

  @Test
  void anEventBeforeSubmittedIsAnError() {
    assertThrows(IllegalStateException.class, () -> OrderReadModel.apply(null, 1, new OrderAccepted(1)));
  }

  @Test
  void orderIdIsThePersistenceIdWithoutItsEntityType() {
    assertEquals("ACC.0f1c", OrderReadModel.orderId("order|ACC.0f1c"));
  }
}
