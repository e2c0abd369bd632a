package io.tickloom.protocol.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Value readers and checks shared by the streaming JSON wire parsers of this package ({@link RawTickJson},
 * {@link BinanceStream}). Every refusal is a {@link FieldError} naming the field; echoed input is shortened so an
 * error message never carries a huge value.
 */
final class JsonFields {
  private JsonFields() {}

  /** Longest decimal text accepted (a {@code long} has 19 digits; the rest room for trailing zeros). */
  static final int MAX_DECIMAL_CHARS = 64;

  private static final int SHOWN_CHARS = 40;
  private static final int MESSAGE_CHARS = 240;

  /** What a token is, for "expected X, got Y" messages. */
  static String describe(JsonToken t) {
    if (t == null) return "end of input";
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a fractional number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> t.name();
    };
  }

  /** {@code 'text'}, shortened with its length when long. */
  static String shown(String s) {
    if (s.length() <= SHOWN_CHARS) return "'" + s + "'";
    return "'" + s.substring(0, SHOWN_CHARS) + "…' (" + s.length() + " chars)";
  }

  /** The text of a decimal given as a JSON string or a JSON number (its text as written, never via double). */
  static String decimalText(JsonParser p, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    throw new FieldError(field, "expected a decimal string such as \"2500.05\", got " + describe(t));
  }

  /** A string value (not a number, not null). */
  static String string(JsonParser p, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_STRING) throw new FieldError(field, "expected a string, got " + describe(t));
    return p.getText();
  }

  /**
   * A non-negative integer within {@code long}: a JSON integer, or a string of digits (JavaScript clients cannot
   * write integers above 2^53 exactly as numbers).
   */
  static long nonNegativeLong(JsonParser p, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType nt = p.getNumberType();
      if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
        throw new FieldError(field, "integer out of range: " + shown(p.getText()));
      }
      long v = p.getLongValue();
      if (v < 0) throw new FieldError(field, "must not be negative: " + v);
      return v;
    }
    if (t == JsonToken.VALUE_STRING) return digits(p.getText(), field);
    throw new FieldError(field, "expected a non-negative integer, got " + describe(t));
  }

  /** {@code true} when {@code s} is a non-empty run of ASCII digits. */
  static boolean isDigits(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  /** A string of digits as a non-negative {@code long}. */
  static long digits(String s, String field) {
    if (!isDigits(s)) throw new FieldError(field, "expected a non-negative integer, got " + shown(s));
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new FieldError(field, "integer out of range: " + shown(s));
    }
  }

  /** A JSON boolean. */
  static boolean bool(JsonParser p, String field) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE) return true;
    if (t == JsonToken.VALUE_FALSE) return false;
    throw new FieldError(field, "expected true or false, got " + describe(t));
  }

  /**
   * Checks {@code text} is a plain decimal {@code -?DIGITS(.DIGITS)?} (no exponent, no {@code +}, no bare point)
   * of at most {@link #MAX_DECIMAL_CHARS} characters, and its sign: {@code positive} refuses zero and negatives,
   * otherwise only negatives are refused. Returns {@code text}.
   */
  static String checkDecimal(String field, String text, boolean positive) {
    if (text.length() > MAX_DECIMAL_CHARS) {
      throw new FieldError(field, "decimal too long (" + text.length() + " chars, at most " + MAX_DECIMAL_CHARS + ")");
    }
    int i = 0;
    int n = text.length();
    boolean negative = n > 0 && text.charAt(0) == '-';
    if (negative) i++;
    int intDigits = 0;
    boolean nonZero = false;
    for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
      intDigits++;
      nonZero |= text.charAt(i) != '0';
    }
    int fracDigits = -1;
    if (i < n && text.charAt(i) == '.') {
      fracDigits = 0;
      for (i++; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
        fracDigits++;
        nonZero |= text.charAt(i) != '0';
      }
    }
    if (i != n || intDigits == 0 || fracDigits == 0) {
      throw new FieldError(field, "not a plain decimal number (digits, optional point and digits; no exponent): " + shown(text));
    }
    if (negative && nonZero) throw new FieldError(field, "must not be negative: " + shown(text));
    if (positive && !nonZero) throw new FieldError(field, "must be positive: " + shown(text));
    return text;
  }

  /**
   * A parser of a UTF-8 document. Jackson detects the encoding of a byte source and would read a document whose first
   * bytes hold a NUL or a UTF-16 byte order mark as UTF-16 or UTF-32; JSON on the wire is UTF-8 (RFC 8259), and a NUL
   * cannot start a UTF-8 JSON text, so such a document is refused on {@code body}. A UTF-8 byte order mark is skipped
   * (RFC 8259 lets a parser ignore it).
   */
  static JsonParser utf8Parser(JsonFactory factory, byte[] json) throws IOException {
    boolean utf16Bom = json.length >= 2
        && (json[0] == (byte) 0xFE && json[1] == (byte) 0xFF || json[0] == (byte) 0xFF && json[1] == (byte) 0xFE);
    boolean nul = false;
    for (int i = 0; i < Math.min(4, json.length); i++) nul |= json[i] == 0;
    if (utf16Bom || nul) throw new FieldError("body", "invalid JSON: not UTF-8 (a NUL byte or a UTF-16 byte order mark at the start)");
    return factory.createParser(json);
  }

  /** A JSON syntax or limit error of the whole document as a {@link FieldError} on {@code body}. */
  static FieldError invalidJson(IOException e) {
    String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (reason == null) reason = e.getClass().getSimpleName();
    if (reason.length() > MESSAGE_CHARS) reason = reason.substring(0, MESSAGE_CHARS) + "…";
    String where = "";
    if (e instanceof JsonProcessingException jpe) {
      JsonLocation at = jpe.getLocation();
      if (at != null && at.getLineNr() > 0) where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return new FieldError("body", "invalid JSON" + where + ": " + reason, e);
  }
}
