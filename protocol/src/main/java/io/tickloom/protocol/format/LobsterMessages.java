package io.tickloom.protocol.format;

import io.tickloom.protocol.Side;
import java.io.Closeable;
import java.io.InputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Streaming reader of a LOBSTER message file (SPEC §7, oracle README §1): one row per event,
 * {@code time,type,orderId,size,price,direction}, no header (a header whose first field is {@code time} is tolerated
 * as line 1), blank lines skipped.
 *
 * <ul>
 *   <li>{@code time}: seconds after midnight (New York local time for NASDAQ) with up to 9 decimals, read exactly as
 *       integer nanoseconds ({@link #timeNanos()}; more decimals are rounded to the nanosecond); not negative.
 *   <li>{@code type}: {@link #SUBMIT} 1, {@link #CANCEL} 2 (partial), {@link #DELETE} 3, {@link #EXECUTE_VISIBLE} 4,
 *       {@link #EXECUTE_HIDDEN} 5, {@link #CROSS} 6 (auction cross trade), {@link #HALT} 7.
 *   <li>{@code orderId}, {@code size}: integers {@code >= 0}; types 1–4 need {@code size > 0}.
 *   <li>{@code price}: dollars × 10,000 as an integer; types 1–4 need {@code price > 0}. Type 7 carries -1 (halt),
 *       0 (quoting resumes) or 1 (trading resumes).
 *   <li>{@code direction}: 1 buy (bid side), -1 sell (ask side); for executions the side of the resting order.
 * </ul>
 * A malformed row is a {@link FormatException} naming the line, thrown before the row is exposed. The reader is a
 * cursor: {@link #next()} moves to the next row and the accessors read it, so reading allocates only the line's
 * string. Not thread-safe.
 *
 * <p><b>Bytes.</b> Built on an {@link InputStream} ({@link #LobsterMessages(InputStream, String)}), the reader scans the
 * file's bytes directly: a row in LOBSTER's own strict form (ASCII digits, at most 9 decimals, no spaces) is parsed
 * without making a String; any other row (a header, spaces, more decimals, anything malformed) is handed to the text
 * reader above, one line at a time, so values and error messages are the same whichever way the file is opened
 * (tested on the samples and fuzzed rows).
 */
public final class LobsterMessages implements Closeable {
  public static final int SUBMIT = 1;
  public static final int CANCEL = 2;
  public static final int DELETE = 3;
  public static final int EXECUTE_VISIBLE = 4;
  public static final int EXECUTE_HIDDEN = 5;
  public static final int CROSS = 6;
  public static final int HALT = 7;

  static final String LAYOUT = "time,type,orderId,size,price,direction";

  private final Csv csv;
  // byte mode (csv == null)
  private final InputStream bytes;
  private final String source;
  private final byte[] buf;
  private int pos;
  private int lim;
  private long lineNo;
  private boolean eof;
  /** The last line ended with a CR at the end of the buffer: a LF that follows belongs to it. */
  private boolean crAtBufferEnd;
  private long timeNanos;
  private int type;
  private long orderId;
  private long size;
  private long price;
  private int direction;

  /** @param source file name used in error messages, or null */
  public LobsterMessages(Reader in, String source) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 6);
    this.bytes = null;
    this.source = source;
    this.buf = null;
  }

  /**
   * A reader over the file's bytes (ASCII/UTF-8), several times faster than over a {@link Reader}.
   *
   * @param source file name used in error messages, or null
   */
  public LobsterMessages(InputStream in, String source) {
    this.csv = null;
    this.bytes = Objects.requireNonNull(in, "in");
    this.source = source;
    this.buf = new byte[1 << 17];
  }

  /**
   * Reads the next row.
   *
   * @return false at the end of the input
   * @throws FormatException for a malformed row (the reader stands after it)
   */
  public boolean next() {
    if (csv == null) return nextBytes();
    if (!csv.nextDataRow(LAYOUT, "time")) return false;
    csv.expectFields(6, 6, LAYOUT);
    long t = time();
    long ty = csv.integer(1, "type");
    if (ty < 1 || ty > 7) throw csv.error("type: expected 1 to 7 (1 submit, 2 cancel, 3 delete, 4 visible execution, "
        + "5 hidden execution, 6 cross, 7 halt), got " + ty);
    long id = csv.integer(2, "orderId");
    if (id < 0) throw csv.error("orderId must not be negative: " + id);
    long sz = csv.integer(3, "size");
    long px = csv.integer(4, "price");
    long dir = csv.integer(5, "direction");
    if (dir != 1 && dir != -1) throw csv.error("direction: expected 1 (buy) or -1 (sell), got " + dir);
    if (ty <= EXECUTE_VISIBLE) {
      if (sz <= 0) throw csv.error("size must be positive for type " + ty + ", got " + sz);
      if (px <= 0) throw csv.error("price must be positive for type " + ty + ", got " + px);
    } else if (sz < 0) {
      throw csv.error("size must not be negative, got " + sz);
    }
    if (ty == HALT && (px < -1 || px > 1)) {
      throw csv.error("price of a type 7 (halt) row: expected -1 (halt), 0 (quoting) or 1 (trading resumes), got " + px);
    }
    timeNanos = t;
    type = (int) ty;
    orderId = id;
    size = sz;
    price = px;
    direction = (int) dir;
    return true;
  }

  /**
   * The time field in nanoseconds: exact up to 9 decimals; more decimals (a float-printing artefact LOBSTER's AMZN
   * level-5 sample has once: {@code 43002.632812672004}) are rounded half-up to the nanosecond.
   */
  private long time() {
    long t;
    try {
      t = csv.fixed(0, 9, "time");
    } catch (FormatException e) {
      String text = csv.field(0);
      if (!text.matches("\\d+\\.\\d{10,}")) throw e;
      try {
        t = new BigDecimal(text).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
      } catch (ArithmeticException tooLarge) {
        throw csv.error("time: out of range: '" + text + "'");
      }
    }
    if (t < 0) throw csv.error("time must not be negative: '" + csv.field(0) + "'");
    return t;
  }

  /** Seconds after midnight of the current row, in nanoseconds. */
  public long timeNanos() {
    return timeNanos;
  }

  /** Event type 1–7 of the current row (see the constants). */
  public int type() {
    return type;
  }

  public long orderId() {
    return orderId;
  }

  public long size() {
    return size;
  }

  /** Price × 10,000 (or the halt code for type 7). */
  public long price() {
    return price;
  }

  /** 1 buy, -1 sell. */
  public int direction() {
    return direction;
  }

  /** {@link Side#BUY} for direction 1 (bid side), {@link Side#SELL} for -1 (ask side). */
  public Side side() {
    return direction == 1 ? Side.BUY : Side.SELL;
  }

  /** 1-based number of the last line read (0 before the first). */
  public long line() {
    return csv == null ? lineNo : csv.line();
  }

  @Override
  public void close() throws IOException {
    if (csv != null) csv.close();
    else bytes.close();
  }

  // ---- byte mode ----

  private boolean nextBytes() {
    while (true) {
      boolean afterCr = crAtBufferEnd;
      crAtBufferEnd = false;
      int start = lineStart();
      if (start < 0) return false;
      int end = pos; // the line is buf[start, end), the line end (if any) consumed
      if (afterCr && end - start == 1 && buf[start] == '\n') continue; // the LF of a CR LF split by a read
      int e = end;
      if (e > start && buf[e - 1] == '\n') e--;
      if (e > start && buf[e - 1] == '\r') e--;
      lineNo++;
      if (e == start) continue; // blank line
      if (parseStrict(start, e)) return true;
      return parseText(new String(buf, start, e - start, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /**
   * Makes {@code buf[start, pos)} the next line (including its line end, absent at the end of the input) and returns
   * {@code start}, or -1 at the end of the input. Line ends are LF, CR LF or a lone CR, as the text reader's.
   */
  private int lineStart() {
    int from = pos;
    while (true) {
      for (int i = from; i < lim; i++) {
        byte c = buf[i];
        if (c == '\n' || c == '\r') {
          int start = pos;
          pos = i + 1;
          if (c == '\r') {
            if (pos < lim) {
              if (buf[pos] == '\n') pos++;
            } else {
              crAtBufferEnd = !eof;
            }
          }
          return start;
        }
      }
      if (eof) {
        if (pos == lim) return -1;
        int start = pos;
        pos = lim;
        return start;
      }
      // No newline in the buffer: move the partial line to the front and read more.
      int partial = lim - pos;
      if (partial > Csv.MAX_LINE_CHARS) {
        throw new FormatException(source, lineNo + 1, "line longer than " + Csv.MAX_LINE_CHARS + " characters");
      }
      System.arraycopy(buf, pos, buf, 0, partial);
      pos = 0;
      lim = partial;
      from = partial;
      try {
        int n = bytes.read(buf, lim, buf.length - lim);
        if (n < 0) eof = true;
        else lim += n;
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }
  }

  /** The strict form {@code digits[.digits(1-9)],d,digits,digits,[-]digits,(1|-1)} with valid values, else false. */
  private boolean parseStrict(int i, int end) {
    long secs = 0;
    int digits = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      if (++digits > 9) return false; // seconds after midnight; more goes to the text reader (and its range error)
      secs = secs * 10 + (buf[i++] - '0');
    }
    if (digits == 0) return false;
    long nanos = 0;
    if (i < end && buf[i] == '.') {
      i++;
      int dec = 0;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        if (++dec > 9) return false;
        nanos = nanos * 10 + (buf[i++] - '0');
      }
      if (dec == 0) return false;
      for (int k = dec; k < 9; k++) nanos *= 10;
    }
    if (i >= end || buf[i++] != ',') return false;
    if (i + 1 >= end || buf[i] < '1' || buf[i] > '7' || buf[i + 1] != ',') return false;
    int ty = buf[i] - '0';
    i += 2;
    long id = 0;
    int n = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      if (++n > 18) return false;
      id = id * 10 + (buf[i++] - '0');
    }
    if (n == 0 || i >= end || buf[i++] != ',') return false;
    long sz = 0;
    n = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      if (++n > 18) return false;
      sz = sz * 10 + (buf[i++] - '0');
    }
    if (n == 0 || i >= end || buf[i++] != ',') return false;
    boolean negative = i < end && buf[i] == '-';
    if (negative) i++;
    long px = 0;
    n = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      if (++n > 18) return false;
      px = px * 10 + (buf[i++] - '0');
    }
    if (n == 0 || i >= end || buf[i++] != ',') return false;
    if (negative) px = -px;
    int dir;
    if (end - i == 1 && buf[i] == '1') dir = 1;
    else if (end - i == 2 && buf[i] == '-' && buf[i + 1] == '1') dir = -1;
    else return false;
    // The rules of the text reader; a row breaking one goes there for its message.
    if (ty <= EXECUTE_VISIBLE && (sz <= 0 || px <= 0)) return false;
    if (ty == HALT && (px < -1 || px > 1)) return false;
    timeNanos = secs * 1_000_000_000L + nanos;
    type = ty;
    orderId = id;
    size = sz;
    price = px;
    direction = dir;
    return true;
  }

  /**
   * A row outside the strict form, read by the text reader: the same values, or the same error, with this file's line
   * number. A header is tolerated on line 1 only, as there.
   */
  private boolean parseText(String line) {
    String text = lineNo == 1 ? line : "0,1,1,1,1,1\n" + line;
    LobsterMessages one = new LobsterMessages(new java.io.StringReader(text), source);
    try {
      if (lineNo != 1) one.next();
      if (!one.next()) return nextBytes(); // the header of line 1
    } catch (FormatException e) {
      throw new FormatException(source, lineNo, e.reason());
    }
    timeNanos = one.timeNanos;
    type = one.type;
    orderId = one.orderId;
    size = one.size;
    price = one.price;
    direction = one.direction;
    return true;
  }
}
