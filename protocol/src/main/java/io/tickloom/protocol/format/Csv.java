package io.tickloom.protocol.format;

import io.tickloom.protocol.Fixed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * Line reader and field splitter shared by the CSV parsers: splits on commas without regex or substrings,
 * counts lines, skips blank lines, and turns field errors into {@link FormatException}s.
 */
final class Csv {
  private final BufferedReader in;
  private final String source;
  private final int[] from;
  private final int[] to;
  private long line;
  private String text;
  private int fields;

  Csv(Reader reader, String source, int maxFields) {
    this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    this.source = source;
    this.from = new int[maxFields];
    this.to = new int[maxFields];
  }

  /** Reads the next non-blank line and splits it; false at the end of input. */
  boolean nextRow() {
    try {
      while (true) {
        String l = in.readLine();
        if (l == null) {
          text = null;
          return false;
        }
        line++;
        if (l.isBlank()) continue;
        text = l;
        split();
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException((source == null ? "" : source + ": ") + "read failed after line " + line, e);
    }
  }

  private void split() {
    int n = 0;
    int start = 0;
    int len = text.length();
    for (int i = 0; i <= len; i++) {
      if (i == len || text.charAt(i) == ',') {
        if (n == from.length) throw error("more than " + from.length + " fields");
        from[n] = start;
        to[n] = i;
        n++;
        start = i + 1;
      }
    }
    fields = n;
  }

  long line() {
    return line;
  }

  int fields() {
    return fields;
  }

  String text() {
    return text;
  }

  String field(int i) {
    return text.substring(from[i], to[i]);
  }

  boolean isEmpty(int i) {
    return from[i] == to[i];
  }

  boolean startsWithDigit(int i) {
    if (from[i] == to[i]) return false;
    char c = text.charAt(from[i]);
    return c >= '0' && c <= '9' || c == '-' || c == '+';
  }

  void expectFields(int min, int max, String layout) {
    if (fields < min || fields > max) {
      throw error("expected " + (min == max ? min : min + " to " + max) + " fields (" + layout + "), got " + fields);
    }
  }

  long fixed(int i, int scale, String name) {
    try {
      return Fixed.parse(text, from[i], to[i], scale);
    } catch (IllegalArgumentException e) {
      throw error(name + ": " + e.getMessage());
    }
  }

  /** Validates decimal syntax only (optional sign, digits, at most one point; any number of decimals). */
  void decimal(int i, String name) {
    int a = from[i];
    if (a < to[i] && (text.charAt(a) == '-' || text.charAt(a) == '+')) a++;
    if (!isPlainDecimal(a, to[i])) throw error(name + ": not a decimal number: '" + field(i) + "'");
  }

  private boolean isPlainDecimal(int a, int b) {
    boolean digits = false;
    boolean point = false;
    for (int k = a; k < b; k++) {
      char c = text.charAt(k);
      if (c >= '0' && c <= '9') digits = true;
      else if (c == '.' && !point) point = true;
      else return false;
    }
    return digits;
  }

  long integer(int i, String name) {
    int a = from[i];
    int b = to[i];
    if (a == b) throw error(name + ": empty");
    boolean negative = text.charAt(a) == '-';
    int k = negative || text.charAt(a) == '+' ? a + 1 : a;
    if (k == b) throw error(name + ": not an integer: '" + field(i) + "'");
    long v = 0;
    for (; k < b; k++) {
      char c = text.charAt(k);
      if (c < '0' || c > '9') throw error(name + ": not an integer: '" + field(i) + "'");
      int d = c - '0';
      if (v > (Long.MAX_VALUE - d) / 10) throw error(name + ": out of range: '" + field(i) + "'");
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  boolean isInteger(int i) {
    int a = from[i];
    int b = to[i];
    if (a < b && (text.charAt(a) == '-' || text.charAt(a) == '+')) a++;
    if (a == b) return false;
    for (int k = a; k < b; k++) {
      char c = text.charAt(k);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  boolean bool(int i, String name) {
    int len = to[i] - from[i];
    if (len == 4 && text.regionMatches(true, from[i], "true", 0, 4)) return true;
    if (len == 5 && text.regionMatches(true, from[i], "false", 0, 5)) return false;
    throw error(name + ": expected True or False, got '" + field(i) + "'");
  }

  FormatException error(String reason) {
    return new FormatException(source, line, reason);
  }

  void close() throws IOException {
    in.close();
  }
}
