package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.format.RawTick;
import java.util.List;

/**
 * Coverage-guided fuzzing of the body reader of {@code POST /api/v1/book/{token}/messages}, {@link BookRoutes#parse},
 * at two instruments' scales: whatever the bytes, only a {@link BookRoutes.BadItem} naming the field (or the key) at fault escapes; the
 * messages accepted are the instrument's, one per item, with an exchange time in {@link RawTick}'s
 * [{@link RawTick#MIN_TS}, {@link RawTick#MAX_TS}), positive prices (order and level) and sizes that are not negative.
 * Seeds in {@code BookMessagesFuzzTestInputs/parse}: bodies of the tests that post depth messages.
 */
class BookMessagesFuzzTest {
  private static final List<Instrument> INSTRUMENTS = List.of(Fixtures.RELIANCE, Fixtures.BTC);

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] body) {
    for (Instrument in : INSTRUMENTS) {
      List<DepthMessage> messages;
      try {
        messages = BookRoutes.parse(in.token(), in, body);
      } catch (BookRoutes.BadItem e) {
        assertNotNull(e.field); // "" only for a key "" given twice (duplicate-empty-key.json)
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), e.field);
        continue;
      }
      assertEquals(JsonBodies.array(body, BookRoutes.MAX_MESSAGES, "depth messages").size(), messages.size(), "one message per item");
      for (DepthMessage m : messages) check(m, in);
    }
  }

  private static void check(DepthMessage m, Instrument in) {
    assertEquals(in.token(), m.token());
    assertTrue(m.exchangeTs() >= RawTick.MIN_TS && m.exchangeTs() < RawTick.MAX_TS, () -> "exchange time " + m.exchangeTs());
    if (m.type().isL2() || m.type() == DepthMessage.Type.L3_SNAPSHOT) {
      levels(m.bidPrices(), m.bidSizes());
      levels(m.askPrices(), m.askSizes());
    } else {
      assertNotNull(m.side());
      assertTrue(m.price() > 0, () -> m.type() + " at price " + m.price());
      assertTrue(m.size() >= 0, () -> m.type() + " of size " + m.size());
    }
  }

  private static void levels(long[] prices, long[] sizes) {
    assertEquals(prices.length, sizes.length);
    for (int i = 0; i < prices.length; i++) {
      long p = prices[i];
      long s = sizes[i];
      assertTrue(p > 0, () -> "level at price " + p);
      assertTrue(s >= 0, () -> "level of size " + s);
    }
  }
}
