package io.tickloom.protocol.format;

import io.tickloom.protocol.Fixed;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;

/**
 * Line reader and field splitter shared by the CSV parsers: splits on commas without regex or substrings,
 * counts lines, skips blank lines, and turns field errors into {@link FormatException}s.
 *
 * <ul>
 *   <li>Line ends are {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader#readLine()}.
 *   <li>A line longer than {@link #MAX_LINE_CHARS} characters is refused with a {@link FormatException} naming
 *       it; at most that many characters are held in memory, the rest of the line is read and dropped.
 *   <li>Input the reader cannot decode (a {@link CharacterCodingException}, e.g. invalid UTF-8 through
 *       {@code Files.newBufferedReader}) is a {@link FormatException} at the first line not yet delivered: the
 *       decoder reads ahead, so the bad bytes are on that line or a later one. Such a reader cannot go on.
 *   <li>After any other {@link FormatException} the reader stands after the refused line, so a caller that
 *       wants to skip bad rows may simply read on.
 *   <li>Quoted fields ({@code "a, b"}, {@code ""} for a quote inside) only when constructed with
 *       {@code quoted}; a quoted field cannot span lines.
 * </ul>
 */
final class Csv {
  /** Longest accepted line, in characters without the line end. */
  static final int MAX_LINE_CHARS = 1 << 16;

  private final Reader in;
  private final String source;
  private final boolean quoted;
  private final int[] from;
  private final int[] to;
  private final boolean[] escaped;
  private final char[] buf = new char[1 << 14];
  private final StringBuilder pending = new StringBuilder();
  private int pos;
  private int lim;
  private boolean skipLf;
  private long line;
  private String text;
  private int fields;

  Csv(Reader reader, String source, int maxFields) {
    this(reader, source, maxFields, false);
  }

  /** @param quoted whether fields may be enclosed in double quotes (RFC 4180, without line breaks inside) */
  Csv(Reader reader, String source, int maxFields, boolean quoted) {
    this.in = reader;
    this.source = source;
    this.quoted = quoted;
    this.from = new int[maxFields];
    this.to = new int[maxFields];
    this.escaped = new boolean[maxFields];
  }

  /** Reads the next non-blank line and splits it; false at the end of input. */
  boolean nextRow() {
    try {
      while (true) {
        String l = readLine();
        if (l == null) {
          text = null;
          return false;
        }
        if (l.isBlank()) continue;
        text = l;
        split();
        return true;
      }
    } catch (CharacterCodingException e) {
      text = null;
      throw new FormatException(source, line + 1,
          "undecodable bytes for the reader's charset on this line or soon after (" + e + ")");
    } catch (IOException e) {
      throw new UncheckedIOException((source == null ? "" : source + ": ") + "read failed after line " + line, e);
    }
  }

  /** The next line without its end, or null at the end of input; counts it. */
  private String readLine() throws IOException {
    pending.setLength(0);
    long length = 0;
    boolean started = false;
    while (true) {
      if (pos == lim) {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          if (!started) return null;
          line++;
          if (length > MAX_LINE_CHARS) throw tooLong();
          return pending.toString();
        }
        pos = 0;
        lim = n;
        continue;
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < lim && buf[pos] != '\n' && buf[pos] != '\r') pos++;
      int n = pos - start;
      boolean end = pos < lim;
      if (length + n <= MAX_LINE_CHARS) {
        if (end && !started) {
          skipLf = buf[pos++] == '\r';
          line++;
          return new String(buf, start, n);
        }
        pending.append(buf, start, n);
      } else {
        pending.setLength(0);
      }
      length += n;
      started = true;
      if (end) {
        skipLf = buf[pos++] == '\r';
        line++;
        if (length > MAX_LINE_CHARS) throw tooLong();
        return pending.toString();
      }
    }
  }

  private FormatException tooLong() {
    text = null;
    return error("line longer than " + MAX_LINE_CHARS + " characters");
  }

  private void split() {
    int n = 0;
    int len = text.length();
    int i = 0;
    while (true) {
      if (n == from.length) throw error("more than " + from.length + " fields");
      if (quoted && i < len && text.charAt(i) == '"') {
        boolean esc = false;
        int j = i + 1;
        while (true) {
          if (j >= len) throw error("field " + (n + 1) + ": unterminated quote (quoted fields cannot span lines)");
          if (text.charAt(j) == '"') {
            if (j + 1 < len && text.charAt(j + 1) == '"') {
              esc = true;
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        from[n] = i + 1;
        to[n] = j;
        escaped[n] = esc;
        n++;
        i = j + 1;
        if (i == len) break;
        if (text.charAt(i) != ',') throw error("field " + n + ": text after the closing quote");
        i++;
        continue;
      }
      from[n] = i;
      while (i < len && text.charAt(i) != ',') i++;
      to[n] = i;
      escaped[n] = false;
      n++;
      if (i == len) break;
      i++;
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
    String s = text.substring(from[i], to[i]);
    return escaped[i] ? s.replace("\"\"", "\"") : s;
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

  /**
   * Reads the next data row of a headerless format that tolerates a header as line 1: a first line not starting with a
   * digit must start with one of {@code headerFirstFields} (case-insensitive) and is skipped.
   *
   * @return false at the end of the input
   */
  boolean nextDataRow(String layout, String... headerFirstFields) {
    if (!nextRow()) return false;
    if (line() == 1 && !startsWithDigit(0)) {
      String first = field(0).trim();
      for (String h : headerFirstFields) {
        if (first.equalsIgnoreCase(h)) return nextRow();
      }
      throw error("expected a header starting with '" + headerFirstFields[0] + "' or a row (" + layout + ")");
    }
    return true;
  }
}
