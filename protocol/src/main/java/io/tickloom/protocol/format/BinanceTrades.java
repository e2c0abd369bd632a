package io.tickloom.protocol.format;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timestamps;
import java.io.IOException;
import java.io.Reader;
import java.util.Objects;

/**
 * Streaming parser of data.binance.vision spot trades CSV (format {@code binance-trades}, SPEC §7):
 * {@code id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch}, no header.
 *
 * <ul>
 *   <li>A header line is tolerated as the first line of the input (first field {@code id} or {@code trade_id}).
 *   <li>{@code time} is epoch milliseconds, or epoch microseconds when greater than {@code 10^14} (spot files
 *       from 2025 on); it becomes {@code exchangeTs} and {@code receiveTs} (the file has no receive time).
 *   <li>{@code price}/{@code qty} are exact decimals at the given scales; more decimals than the scale (non-zero
 *       digits) is a malformed row. {@code quoteQty} is only checked to be a decimal.
 *   <li>{@code id} becomes both {@code tradeId} and {@code seq}; {@code isBuyerMaker=True} (the taker sold) gives
 *       side {@link Side#SELL}, else {@link Side#BUY}; feed {@link Feed#IMPORT}; status LIVE; no quote.
 *   <li>Blank lines are skipped; any other deviation is a {@link FormatException} with the line number.
 * </ul>
 */
public final class BinanceTrades implements TickReader {
  /** Times above this are microseconds, below (or equal) milliseconds: 10^14 ms is the year 5138, 10^14 µs 1973. */
  public static final long MICROS_ABOVE = 100_000_000_000_000L;

  private static final String LAYOUT = "id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch";

  private final Csv csv;
  private final long token;
  private final Scales scales;

  /**
   * @param source file name used in error messages, or null
   * @param token instrument token stamped on every tick
   */
  public BinanceTrades(Reader in, String source, long token, Scales scales) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 7);
    this.token = token;
    this.scales = Objects.requireNonNull(scales, "scales");
  }

  public BinanceTrades(Reader in, long token, Scales scales) {
    this(in, null, token, scales);
  }

  @Override
  public Tick next() {
    if (!csv.nextDataRow(LAYOUT, "id", "trade_id")) return null;
    csv.expectFields(7, 7, LAYOUT);
    long id = csv.integer(0, "id");
    long price = csv.fixed(1, scales.priceScale(), "price");
    long qty = csv.fixed(2, scales.qtyScale(), "qty");
    csv.decimal(3, "quoteQty");
    long time = csv.integer(4, "time");
    boolean buyerMaker = csv.bool(5, "isBuyerMaker");
    csv.bool(6, "isBestMatch");
    if (id < 0) throw csv.error("id must not be negative: " + id);
    if (qty < 0) throw csv.error("qty must not be negative: '" + csv.field(2) + "'");
    if (time < 0) throw csv.error("time must not be negative: " + time);
    long ts;
    try {
      ts = epochNanos(time);
    } catch (ArithmeticException e) {
      throw csv.error("time out of range: " + time);
    }
    return new Tick(token, ts, ts, price, qty, id, id, Feed.IMPORT, buyerMaker ? Side.SELL : Side.BUY,
        Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
  }

  /** Binance {@code time} (ms, or µs above {@link #MICROS_ABOVE}) to epoch nanoseconds. */
  public static long epochNanos(long time) {
    return time > MICROS_ABOVE ? Timestamps.ofMicros(time) : Timestamps.ofMillis(time);
  }

  @Override
  public long line() {
    return csv.line();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
