package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.format.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the field readers {@link BodyFields#text}, {@link BodyFields#decimal} and
 * {@link BodyFields#positiveLong} over the fields of fuzzed JSON objects (and one absent field): only a
 * {@link FieldError} naming the field escapes; a text accepted is not blank, within its length, and holds no control
 * character and no lone surrogate; a decimal accepted is what {@link Fixed#parse} reads at that scale and round-trips
 * ({@link Fixed#format} parses back to it); a positive long accepted is positive. Seeds in
 * {@code BodyFieldsFuzzTestInputs/fields}: bodies of the http tests.
 */
class BodyFieldsFuzzTest {
  private static final int[] LENGTHS = {1, 8, 64};

  @FuzzTest(maxDuration = "10s")
  void fields(byte[] body) {
    JsonNode n = FuzzBodies.objectOrNull(body);
    if (n == null) return;
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    names.add("absent"); // most likely a missing field
    for (String field : names) {
      for (int max : LENGTHS) {
        text(n, field, max, true);
        text(n, field, max, false);
      }
      for (int scale = 0; scale <= 12; scale++) {
        decimal(n, field, scale, true);
        decimal(n, field, scale, false);
      }
      try {
        assertTrue(BodyFields.positiveLong(n, field) > 0);
      } catch (FieldError e) {
        refused(e, field);
      }
    }
  }

  private static void text(JsonNode n, String field, int max, boolean required) {
    String s;
    try {
      s = BodyFields.text(n, field, max, required);
    } catch (FieldError e) {
      refused(e, field);
      return;
    }
    if (s == null) {
      assertFalse(required, "a required field is never null");
      assertTrue(n.get(field) == null || n.get(field).isNull());
      return;
    }
    assertEquals(n.get(field).textValue(), s);
    assertFalse(s.isBlank());
    assertTrue(s.length() <= max, () -> s.length() + " characters, at most " + max);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      assertFalse(Character.isISOControl(c), "control character at " + i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)), "lone high surrogate at " + i);
        i++;
      } else {
        assertFalse(Character.isLowSurrogate(c), "lone low surrogate at " + i);
      }
    }
  }

  private static void decimal(JsonNode n, String field, int scale, boolean required) {
    long x;
    try {
      x = BodyFields.decimal(n, field, scale, required);
    } catch (FieldError e) {
      refused(e, field);
      return;
    }
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      assertFalse(required, "a required field is never absent");
      assertEquals(0, x);
      return;
    }
    String text = v.isTextual() ? v.textValue() : v.decimalValue().toPlainString();
    assertEquals(Fixed.parse(text, scale), x, text);
    assertEquals(x, Fixed.parse(Fixed.format(x, scale), scale), () -> "round trip of " + text + " at scale " + scale);
  }

  private static void refused(FieldError e, String field) {
    FuzzBodies.checkRefusal(e);
    assertEquals(field, e.field(), e.getMessage());
  }
}
