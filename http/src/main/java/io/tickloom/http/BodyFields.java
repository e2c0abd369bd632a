package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.format.FieldError;

/** Field readers of JSON request bodies that name the field at fault ({@link FieldError}), shared by the routes. */
final class BodyFields {
  private BodyFields() {}

  /**
   * A string field checked at the edge: at most {@code maxLength} characters, no control characters (NUL included),
   * no lone surrogate (text that is not valid Unicode), and not blank; null when absent and not required.
   */
  static String text(JsonNode n, String field, int maxLength, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) throw new FieldError(field, "missing");
      return null;
    }
    if (!v.isTextual()) throw new FieldError(field, "expected a string");
    String s = v.asText();
    String problem = textProblem(s, maxLength);
    if (problem != null) throw new FieldError(field, problem);
    return s;
  }

  /** Null when {@code s} is acceptable text of at most {@code maxLength} characters, else what is wrong with it. */
  static String textProblem(String s, int maxLength) {
    if (s.isBlank()) return "expected a non-empty string";
    if (s.length() > maxLength) return "longer than " + maxLength + " characters";
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) return "contains a control character (U+" + String.format("%04X", (int) c) + ") at position " + i;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "contains a lone surrogate at position " + i + " (not valid Unicode)";
      }
      if (Character.isLowSurrogate(c)) return "contains a lone surrogate at position " + i + " (not valid Unicode)";
    }
    return null;
  }

  /** A positive whole number (JSON integer). */
  static long positiveLong(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) throw new FieldError(field, "missing");
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() <= 0) throw new FieldError(field, "expected a positive integer");
    return v.asLong();
  }

  /** A decimal (JSON number or string) as fixed point at {@code scale}; 0 when absent and not required. */
  static long decimal(JsonNode n, String field, int scale, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) throw new FieldError(field, "missing");
      return 0;
    }
    if (!v.isNumber() && !v.isTextual()) throw new FieldError(field, "expected a decimal number");
    String text;
    if (v.isNumber()) {
      if (!v.isIntegralNumber() && !v.isBigDecimal()) throw new FieldError(field, "expected an exact decimal number");
      java.math.BigDecimal d = v.decimalValue();
      // 1e400 or 1e-400: refuse before writing out hundreds of digits (the fixed-point reader would refuse them anyway);
      // in long, as precision - scale passes the int range for 1e2147483647
      if ((long) d.precision() - d.scale() > 19 || d.scale() > 18) throw new FieldError(field, "out of range: " + v.asText());
      text = d.toPlainString();
    } else {
      text = v.asText();
      if (text.length() > 40) throw new FieldError(field, "out of range: a decimal of " + text.length() + " characters");
    }
    try {
      return Fixed.parse(text, scale);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, e.getMessage());
    }
  }
}
