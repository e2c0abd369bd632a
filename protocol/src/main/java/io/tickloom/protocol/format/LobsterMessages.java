package io.tickloom.protocol.format;

import io.tickloom.protocol.Side;
import java.io.Closeable;
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
  private long timeNanos;
  private int type;
  private long orderId;
  private long size;
  private long price;
  private int direction;

  /** @param source file name used in error messages, or null */
  public LobsterMessages(Reader in, String source) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 6);
  }

  /**
   * Reads the next row.
   *
   * @return false at the end of the input
   * @throws FormatException for a malformed row (the reader stands after it)
   */
  public boolean next() {
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
      t = new BigDecimal(text).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValue();
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
    return csv.line();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
