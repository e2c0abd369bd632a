package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.format.FieldError;

/** Field readers of JSON request bodies that name the field at fault ({@link FieldError}), shared by the routes. */
final class BodyFields {
  private BodyFields() {}

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
    String text = v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
    try {
      return Fixed.parse(text, scale);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, e.getMessage());
    }
  }
}
