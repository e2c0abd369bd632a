package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.format.FieldError;

/**
 * Coverage-guided fuzzing of the item reader of {@code POST /api/v1/instruments}, {@link IngestRoutes#instrument}:
 * whatever the object, only a {@link FieldError} escapes; an instrument accepted has a positive token, tick size and
 * lot size, scales in 0..12, a symbol (and underlying) matching {@link IngestRoutes#SYMBOL}, and reads back the same
 * from the shape {@code GET /api/v1/instruments/{token}} writes of it (which carries a strike for options only).
 * Seeds in {@code InstrumentBodyFuzzTestInputs/instrument}: instruments of the http tests in that shape.
 */
class InstrumentBodyFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void instrument(byte[] body) {
    JsonNode n = FuzzBodies.objectOrNull(body);
    if (n == null) return;
    Instrument i;
    try {
      i = IngestRoutes.instrument(n);
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
      return;
    }
    assertTrue(i.token() > 0, "token");
    assertTrue(i.tickSize() > 0 && i.lotSize() > 0, "tick and lot size");
    assertTrue(i.priceScale() >= 0 && i.priceScale() <= 12 && i.qtyScale() >= 0 && i.qtyScale() <= 12, "scales");
    assertNotNull(i.exchange());
    assertNotNull(i.kind());
    assertTrue(IngestRoutes.SYMBOL.matcher(i.symbol()).matches(), i.symbol());
    assertTrue(i.underlying() == null || IngestRoutes.SYMBOL.matcher(i.underlying()).matches(), i.underlying());

    String written = Json.write(Wire.InstrumentDto.from(i));
    boolean option = i.kind() == InstrumentKind.OPT || i.optionType() != null;
    Instrument shown = option ? i : new Instrument(i.token(), i.exchange(), i.symbol(), i.kind(), i.tickSize(), i.lotSize(),
        i.priceScale(), i.qtyScale(), i.underlying(), i.expiry(), 0, i.optionType());
    assertEquals(shown, IngestRoutes.instrument(JsonBodies.object(written)), written);
  }
}
