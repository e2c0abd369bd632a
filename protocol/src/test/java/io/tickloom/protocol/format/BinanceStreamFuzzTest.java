package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import java.util.Set;

/**
 * Coverage-guided fuzzing of {@link BinanceStream}: whatever the message, {@code parse} gives a trade that passed
 * the documented checks or an ignored message with a type, or throws a {@link FieldError} naming Binance's field
 * (or {@code body}); the byte and text entry points agree; {@link BinanceStream.BinanceTrade#toTick} converts
 * exactly or refuses {@code p}/{@code q}. Seeds in {@code BinanceStreamFuzzTestInputs/parse}.
 */
class BinanceStreamFuzzTest {
  private static final Set<String> TRADE_FIELDS = Set.of("body", "data", "s", "t", "a", "f", "l", "p", "q", "T", "E", "m");

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] message) {
    BinanceStream.Message m = null;
    FieldError error = null;
    try {
      m = BinanceStream.parse(message);
    } catch (FieldError e) {
      error = e;
    }
    String text = FuzzRows.strictUtf8(message);
    if (text != null) {
      try {
        assertEquals(m, BinanceStream.parse(text), "parse(String) accepted what parse(byte[]) refused: " + error);
      } catch (FieldError e) {
        assertNotNull(error, () -> "parse(String) refused what parse(byte[]) accepted: " + e.getMessage());
        if (!error.field().equals("body") && !e.field().equals("body")) {
          assertEquals(error.field(), e.field(), e.getMessage() + " vs " + error.getMessage());
        }
      }
    }
    if (error != null) {
      assertTrue(TRADE_FIELDS.contains(error.field()), error.getMessage());
      return;
    }
    if (m instanceof BinanceStream.Ignored ignored) {
      assertNotNull(ignored.eventType());
      assertFalse(ignored.eventType().equals("trade") || ignored.eventType().equals("aggTrade"), "a trade is never ignored");
      return;
    }
    BinanceStream.BinanceTrade t = ((BinanceStream.Trade) m).trade();
    assertTrue(t.symbol().equals(RawTick.normalizeSymbol("s", t.symbol())), t.symbol());
    assertTrue(t.id() >= 0 && t.firstTradeId() >= 0 && t.firstTradeId() <= t.lastTradeId());
    if (!t.aggregate()) assertTrue(t.firstTradeId() == t.id() && t.lastTradeId() == t.id());
    assertTrue(t.tradeTimeMs() >= 0 && t.eventTimeMs() >= 0);
    JsonFields.checkDecimal("p", t.price(), true);
    JsonFields.checkDecimal("q", t.qty(), false);

    int scale = BinanceStream.scaleFor(t.price());
    int qtyScale = BinanceStream.scaleFor(t.qty());
    if (scale > 18 || qtyScale > 18) return; // beyond any instrument's scale (the caller refuses above 12)
    try {
      Tick tick = t.toTick(42, scale, qtyScale, 5L, Feed.PRIMARY);
      assertEquals(Fixed.parse(t.price(), scale), tick.price());
      assertEquals(Fixed.parse(t.qty(), qtyScale), tick.qty());
      assertTrue(tick.price() > 0 && tick.qty() >= 0);
      assertEquals(t.id(), tick.tradeId());
      assertEquals(t.id(), tick.seq());
      assertEquals(BinanceTrades.epochNanos(t.tradeTimeMs()), tick.exchangeTs());
      assertEquals(t.buyerMaker() ? Side.SELL : Side.BUY, tick.side());
    } catch (FieldError e) {
      assertTrue(e.field().equals("p") || e.field().equals("q"), e.getMessage());
    }
  }
}
