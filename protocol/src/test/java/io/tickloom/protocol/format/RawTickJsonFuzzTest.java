package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link RawTickJson} (the Kafka {@code raw_ticks} value and the ingest items): whatever
 * the bytes, {@code parse} returns a raw tick that keeps {@link RawTick}'s invariants or throws a {@link FieldError},
 * the byte and the text entry points agree, {@link RawTickJson#write(RawTick)} round-trips, {@code parseArray}
 * refuses only the body and answers every item, and {@link RawTick#toTick} converts exactly or names the field.
 * Seeds in {@code RawTickJsonFuzzTestInputs/parse}; how to run it longer: {@code bench/README.md}.
 */
class RawTickJsonFuzzTest {
  private static final Pattern PLAIN = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] json) {
    RawTick tick = null;
    FieldError error = null;
    try {
      tick = RawTickJson.parse(json);
    } catch (FieldError e) {
      error = e;
    }
    String text = FuzzRows.strictUtf8(json);
    if (text != null) {
      // the String entry point reads the same document the same way
      try {
        RawTick same = RawTickJson.parse(text);
        assertEquals(tick, same, "parse(String) accepted what parse(byte[]) refused: " + error);
      } catch (FieldError e) {
        assertNotNull(error, () -> "parse(String) refused what parse(byte[]) accepted: " + e.getMessage());
        if (!error.field().equals("body") && !e.field().equals("body")) {
          assertEquals(error.field(), e.field(), e.getMessage() + " vs " + error.getMessage());
        }
      }
    }
    if (tick != null) checkTick(tick);
    else assertFalse(error.getMessage().isBlank());

    try {
      List<RawTickJson.Item> items = RawTickJson.parseArray(json, 8);
      assertTrue(items.size() <= 8);
      for (int i = 0; i < items.size(); i++) {
        RawTickJson.Item item = items.get(i);
        assertEquals(i, item.index());
        if (item.ok()) checkTick(item.tick());
      }
    } catch (FieldError e) {
      assertEquals("body", e.field(), e.getMessage());
    }
  }

  private static void checkTick(RawTick r) {
    if (r.bySymbol()) {
      assertEquals(0, r.token());
      assertNotNull(r.exchange());
      assertTrue(r.symbol().matches("[A-Z0-9._&\\- -]{1,64}") && r.symbol().equals(r.symbol().strip()), r.symbol());
    } else {
      assertTrue(r.token() > 0);
      assertEquals(null, r.symbol());
    }
    assertTrue(r.ts() >= RawTick.MIN_TS && r.ts() < RawTick.MAX_TS, "ts in range");
    assertTrue(PLAIN.matcher(r.price()).matches() && r.price().matches(".*[1-9].*") && !r.price().startsWith("-"), r.price());
    assertTrue(PLAIN.matcher(r.qty()).matches() && (!r.qty().startsWith("-") || !r.qty().matches(".*[1-9].*")), r.qty());
    assertTrue(r.seq() >= Tick.NO_SEQ && r.tradeId() >= Tick.NO_TRADE_ID && (r.seq() >= 0 || r.tradeId() >= 0));
    assertTrue(r.feed() == Feed.PRIMARY || r.feed() == Feed.SECONDARY);

    assertEquals(r, RawTickJson.parse(RawTickJson.write(r)), "write then parse gives the tick back");

    // converted at scales wide enough for its decimals: exact, or refused naming the field that does not fit
    int scale = Math.min(12, r.decimalsNeeded());
    int qtyScale = Math.min(12, r.qtyDecimalsNeeded());
    Instrument i = Instrument.cash(r.bySymbol() ? 7 : r.token(), r.bySymbol() ? r.exchange() : Exchange.NSE,
        r.bySymbol() ? r.symbol() : "X", InstrumentKind.EQ, 1, 1, scale, qtyScale);
    try {
      Tick t = r.toTick(i, 1L);
      assertEquals(i.token(), t.token());
      assertEquals(r.ts(), t.exchangeTs());
      assertTrue(t.price() > 0 && t.qty() >= 0);
      assertEquals(Fixed.parse(r.price(), scale), t.price());
      assertEquals(r.seq() != Tick.NO_SEQ ? r.seq() : r.tradeId(), t.seq());
    } catch (FieldError e) {
      assertTrue(List.of("price", "qty", "bid", "ask").contains(e.field()), e.getMessage());
    }
  }
}
