package io.tickloom.protocol.format;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timestamps;
import java.io.IOException;
import java.io.Reader;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Streaming parser of the generic {@code ticks-csv} format (SPEC §7): {@code token,exchangeTs,price,qty,seq[,tradeId]}.
 *
 * <ul>
 *   <li>An optional header line (first field {@code token}) is tolerated as the first line.
 *   <li>{@code exchangeTs}: an integer is epoch <b>nanoseconds</b>; anything else must be ISO-8601 with an offset
 *       or {@code Z} ({@code 2017-08-17T04:00:28.322Z}, {@code 2026-01-15T09:15:00+05:30}). It is also the tick's
 *       {@code receiveTs}.
 *   <li>{@code price}/{@code qty}: exact decimals at the token's {@link Scales} (from the caller's lookup; a token
 *       the lookup does not know, i.e. null, is a malformed row).
 *   <li>{@code seq}: a non-negative integer. {@code tradeId}: optional, non-negative; missing or empty gives
 *       {@link Tick#NO_TRADE_ID}.
 *   <li>Ticks are feed {@link Feed#IMPORT}, status LIVE, without side or quote. Blank lines are skipped.
 * </ul>
 */
public final class TicksCsv implements TickReader {
  private static final String LAYOUT = "token,exchangeTs,price,qty,seq[,tradeId]";

  private final Csv csv;
  private final LongFunction<Scales> scales;

  /**
   * @param source file name used in error messages, or null
   * @param scales the scales of a token, or null when the token is unknown
   */
  public TicksCsv(Reader in, String source, LongFunction<Scales> scales) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 6);
    this.scales = Objects.requireNonNull(scales, "scales");
  }

  /** Every token at the same {@code scales}. */
  public TicksCsv(Reader in, String source, Scales scales) {
    this(in, source, token -> scales);
    Objects.requireNonNull(scales, "scales");
  }

  @Override
  public Tick next() {
    if (!csv.nextDataRow(LAYOUT, "token")) return null;
    csv.expectFields(5, 6, LAYOUT);
    long token = csv.integer(0, "token");
    Scales s = scales.apply(token);
    if (s == null) throw csv.error("unknown token " + token);
    long ts = timestamp(1);
    long price = csv.fixed(2, s.priceScale(), "price");
    long qty = csv.fixed(3, s.qtyScale(), "qty");
    long seq = csv.integer(4, "seq");
    if (seq < 0) throw csv.error("seq must not be negative: " + seq);
    long tradeId = Tick.NO_TRADE_ID;
    if (csv.fields() == 6 && !csv.isEmpty(5)) {
      tradeId = csv.integer(5, "tradeId");
      if (tradeId < 0) throw csv.error("tradeId must not be negative: " + tradeId);
    }
    if (qty < 0) throw csv.error("qty must not be negative: '" + csv.field(3) + "'");
    return new Tick(token, ts, ts, price, qty, tradeId, seq, Feed.IMPORT, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
  }

  private long timestamp(int i) {
    if (csv.isInteger(i)) return csv.integer(i, "exchangeTs");
    String text = csv.field(i);
    try {
      return Timestamps.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw csv.error("exchangeTs: expected epoch nanoseconds or ISO-8601 with offset (2017-08-17T04:00:28.322Z), got '" + text + "'");
    }
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
