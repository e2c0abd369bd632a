package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickloom.protocol.format.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body reader of {@code POST /api/v1/replays}. */
class ReplayRoutesTest {
  @Test
  void aTokenTextOfNineteenDigitsBeyondLongIsRefusedNamingTokens() {
    // the WebSocket token reader's defect (WsCommandFuzzTest) here too: the digit check let "9999999999999999999"
    // through and Long.parseLong threw (a 500 instead of a 400 naming the field)
    FieldError e = assertThrows(FieldError.class,
        () -> ReplayRoutes.parse("{\"tokens\":[\"9999999999999999999\"],\"from\":\"2026-01-15T03:45:00Z\"}"));
    assertEquals("tokens", e.field());
    assertEquals(List.of(9_223_372_036_854_775_807L, 738_561L),
        ReplayRoutes.parse("{\"tokens\":[\"9223372036854775807\",738561],\"from\":\"2026-01-15T03:45:00Z\",\"to\":\"2026-01-15T04:00:00Z\"}").tokens());
  }
}
