package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderStatus;
import io.tickloom.cluster.oms.OrderType;
import io.tickloom.cluster.oms.OrderView;
import io.tickloom.cluster.oms.TimeInForce;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Timeframe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON text of the wire DTOs and frames. */
class WireTest {

  @Test
  void barRendersExactDecimalsAndFinalFlag() {
    Bar b = new Bar(Fixtures.RELIANCE.token(), Timeframe.M1, Fixtures.T0, Fixtures.T0 + Fixtures.MINUTE,
        250_005, 250_100, 249_900, 250_000, 1_234, 12, 250_001, false, 1);
    assertEquals("{\"token\":738561,\"tf\":\"1m\",\"start\":\"2026-01-15T03:45:00Z\",\"end\":\"2026-01-15T03:46:00Z\","
        + "\"open\":2500.05,\"high\":2501.00,\"low\":2499.00,\"close\":2500.00,\"volume\":1234,\"trades\":12,"
        + "\"vwap\":2500.01,\"final\":false,\"revision\":1}", Json.write(Wire.BarDto.from(b, Fixtures.RELIANCE)));
  }

  @Test
  void liveFramesAreFlatWithTheTypeFirst() {
    Bar b = Fixtures.bar(Fixtures.BTC, Timeframe.S1, Fixtures.T0, 9_700_000, true);
    String frame = WsFrames.bar(b, Fixtures.BTC);
    assertEquals("{\"type\":\"bar\"," + Json.write(Wire.BarDto.from(b, Fixtures.BTC)).substring(1), frame);
  }

  @Test
  void bookFeaturesAreExactDecimalsFromTheFixedPointLevels() {
    // bid 2500.00 x 3, 2499.95 x 4; ask 2500.05 x 5: mid 2500.025, microprice (250000*5 + 250005*3)/8 = 250001.875
    var book = new io.tickloom.protocol.book.BookSnapshot(new long[] {250_000, 249_995}, new long[] {3, 4}, new long[] {250_005},
        new long[] {5}, 5, 7, 5, false);
    assertEquals("{\"token\":738561,\"ts\":\"2026-01-15T03:45:00Z\",\"kind\":\"L2\",\"status\":\"LIVE\","
        + "\"bids\":[[2500.00,3],[2499.95,4]],\"asks\":[[2500.05,5]],\"features\":{\"bestBid\":2500.00,\"bestBidSize\":3,"
        + "\"bestAsk\":2500.05,\"bestAskSize\":5,\"spread\":0.05,\"mid\":2500.025,\"microprice\":2500.0188,"
        + "\"imbalance\":0.166667,\"bidDepth\":7,\"askDepth\":5,\"levels\":2}}",
        Json.write(BookWire.of(Fixtures.RELIANCE.token(), Fixtures.T0, "L2", false, book, Fixtures.RELIANCE)));
  }

  @Test
  void itemsAlwaysCarryNextCursor() {
    assertEquals("{\"items\":[],\"nextCursor\":null}", Json.write(Wire.Items.of(List.of())));
  }

  @Test
  void problemOmitsEmptyErrors() {
    assertEquals("{\"type\":\"urn:tickloom:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"x\",\"instance\":\"/y\"}",
        Json.write(Problem.notFound("/y", "x")));
  }

  @Test
  void droppedNotice() {
    assertEquals("{\"type\":\"dropped\",\"dropped\":3}", WsFrames.dropped(3));
  }

  @Test
  void orderViewRendersTheSpecFieldsAtTheInstrumentsScales() {
    OrderView o = new OrderView("DEMO.4f1c0000-0000-3000-8000-000000000000", "c-1", "DEMO", 900001, Side.BUY, 150_000_000, 50_000_000,
        9_700_012, OrderType.LIMIT, 9_700_050, 0, TimeInForce.GTC, OrderStatus.PARTIALLY_FILLED, null, 0, 0, Fixtures.T0);
    assertEquals("{\"orderId\":\"DEMO.4f1c0000-0000-3000-8000-000000000000\",\"clientOrderId\":\"c-1\",\"account\":\"DEMO\","
        + "\"token\":900001,\"side\":\"BUY\",\"qty\":1.50000000,\"filledQty\":0.50000000,\"avgPrice\":97000.12,\"type\":\"LIMIT\","
        + "\"price\":97000.50,\"tif\":\"GTC\",\"status\":\"PARTIALLY_FILLED\",\"updatedAt\":\"2026-01-15T03:45:00Z\"}",
        Json.write(Wire.OrderDto.from(o, 2, 8)));
  }

  @Test
  void orderEventHasSeqTypeItsFieldsAndTsEventLast() {
    assertEquals("{\"seq\":4,\"type\":\"OrderPartiallyFilled\",\"tradeId\":\"t-9\",\"qty\":0.50000000,\"price\":97000.00,"
        + "\"tsEvent\":\"2026-01-15T03:45:00Z\"}",
        Json.write(Wire.orderEvent(4, new OrderEvent.OrderPartiallyFilled("t-9", 50_000_000, 9_700_000, Fixtures.T0), 2, 8)));
  }
}
