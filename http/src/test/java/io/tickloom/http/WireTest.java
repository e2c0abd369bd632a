package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.protocol.Bar;
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
}
