package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.format.RawTick;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body reader of {@code POST /api/v1/book/{token}/messages}: the regressions its fuzzing found. */
class BookRoutesTest {
  static List<DepthMessage> parse(String body) throws BookRoutes.BadItem {
    return BookRoutes.parse(RELIANCE.token(), RELIANCE, body.getBytes(StandardCharsets.UTF_8));
  }

  static String add(String ts, String price) {
    return "[{\"ts\":" + ts + ",\"type\":\"ADD\",\"orderId\":1,\"side\":\"BUY\",\"price\":\"" + price + "\",\"size\":\"1\"}]";
  }

  static String refused(String body) {
    return assertThrows(BookRoutes.BadItem.class, () -> parse(body)).field;
  }

  @Test
  void anExchangeTimeOutsideTheTicksRangeIsRefusedNamingTs() throws Exception {
    // found by BookMessagesFuzzTest (regression-ts-in-milliseconds.json): milliseconds read as nanoseconds of 1970, and
    // Long.MAX_VALUE (2262), were applied and moved the book's clock, which never goes back
    assertEquals("[0].ts", refused(add("1768448700000", "2500.05")));
    assertEquals("[0].ts", refused(add("-1", "2500.05")));
    assertEquals("[0].ts", refused(add("9223372036854775807", "2500.05")));
    assertEquals("[0].ts", refused(add("\"1970-01-01T00:00:00Z\"", "2500.05")));
    assertEquals("[0].ts", refused(add("\"2200-01-01T00:00:00Z\"", "2500.05")));
    assertEquals(RawTick.MIN_TS, parse(add(Long.toString(RawTick.MIN_TS), "2500.05")).get(0).exchangeTs());
    assertEquals(RawTick.MAX_TS - 1, parse(add(Long.toString(RawTick.MAX_TS - 1), "2500.05")).get(0).exchangeTs());
    assertEquals(1_768_448_700_000_000_000L, parse(add("\"2026-01-15T03:45:00Z\"", "2500.05")).get(0).exchangeTs());
  }

  @Test
  void aPriceOfZeroIsRefusedForOrdersAndLevels() throws Exception {
    // a property of BookMessagesFuzzTest (seed regression-level-at-price-zero.json): an order or a level at price 0 was
    // applied
    assertEquals("[0].price", refused(add("1768448700000000000", "0.00")));
    assertEquals("[0].bids[0]", refused("[{\"ts\":1768448700000000000,\"type\":\"L2_SNAPSHOT\",\"lastUpdateId\":1,"
        + "\"bids\":[[\"0\",\"10\"]],\"asks\":[[\"100.05\",\"10\"]]}]"));
    assertEquals("[0].asks[0]", refused("[{\"ts\":1768448700000000000,\"type\":\"L3_SNAPSHOT\",\"asks\":[[\"0.00\",\"0\"]]}]"));
    // a level of size 0 still removes it
    DepthMessage update = parse("[{\"ts\":1768448700000000000,\"type\":\"L2_UPDATE\",\"firstId\":2,\"finalId\":2,"
        + "\"bids\":[[\"99.95\",\"0\"]]}]").get(0);
    assertEquals(9995, update.bidPrices()[0]);
    assertEquals(0, update.bidSizes()[0]);
  }
}
