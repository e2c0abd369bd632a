package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.format.FieldError;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link JsonBodies}, the one reader of what clients send: whatever the bytes,
 * {@code object(byte[])} returns a JSON object or throws a {@link FieldError} (never another exception), and
 * {@code object(String)} reads the same text the same way; {@code array} returns at most {@code max} items, the same
 * items under any cap they fit, and is refused ({@code body}) as soon as they do not. Seeds in
 * {@code JsonBodiesFuzzTestInputs/read}: bodies of the http tests.
 */
class JsonBodiesFuzzTest {
  private static final int CAP = 3;

  @FuzzTest(maxDuration = "10s")
  void read(byte[] body) {
    JsonNode object = null;
    FieldError error = null;
    try {
      object = JsonBodies.object(body);
      assertTrue(object.isObject());
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
      error = e;
    }
    String text = FuzzBodies.strictUtf8(body);
    if (text != null) {
      try {
        JsonNode same = JsonBodies.object(text);
        assertEquals(object, same, "object(String) accepted what object(byte[]) refused: " + error);
      } catch (FieldError e) {
        FuzzBodies.checkRefusal(e);
        assertNotNull(error, () -> "object(String) refused what object(byte[]) accepted: " + e.getMessage());
      }
    }

    List<JsonNode> all = null;
    try {
      all = JsonBodies.array(body, 10_000, "things");
      assertTrue(all.size() <= 10_000);
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
    }
    try {
      List<JsonNode> capped = JsonBodies.array(body, CAP, "things");
      assertTrue(capped.size() <= CAP, () -> capped.size() + " items under a cap of " + CAP);
      assertEquals(all, capped, "an array under its cap reads as without one");
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
      if (all != null) {
        int n = all.size();
        assertTrue(n > CAP, () -> "refused under a cap of " + CAP + " with " + n + " items: " + e.getMessage());
        assertEquals("body", e.field());
        assertTrue(e.detail().startsWith("more than " + CAP + " things"), e.detail());
      }
    }
  }
}
