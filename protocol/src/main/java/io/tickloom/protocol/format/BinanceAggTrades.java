package io.tickloom.protocol.format;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.io.IOException;
import java.io.Reader;
import java.util.Objects;

/**
 * Streaming parser of data.binance.vision aggregate trades CSV (format {@code binance-aggtrades}):
 * {@code agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match}.
 *
 * <ul>
 *   <li>A header line is tolerated as the first line of the input (first field {@code agg_trade_id} or {@code a}).
 *   <li>{@code is_best_match} may be missing (USD-M futures files have 7 columns); when present it must be a boolean.
 *   <li>{@code transact_time} is epoch milliseconds, or microseconds above {@link BinanceTrades#MICROS_ABOVE}
 *       (see {@link BinanceTrades#epochNanos(long)}); it becomes {@code exchangeTs} and {@code receiveTs}. There is
 *       no upper bound on the year beyond the {@code long} nanosecond range, as for binance-trades.
 *   <li>{@code price}/{@code quantity} are exact decimals at the given scales; a negative quantity is refused.
 *   <li>{@code agg_trade_id} becomes both {@code tradeId} and {@code seq}; {@code first_trade_id <= last_trade_id},
 *       both non-negative, is checked and otherwise unused. {@code is_buyer_maker=True} (the taker sold) gives
 *       side {@link Side#SELL}, else {@link Side#BUY}; feed {@link Feed#IMPORT}; status LIVE; no quote.
 *   <li>Blank lines are skipped; any other deviation is a {@link FormatException} with the line number.
 * </ul>
 */
public final class BinanceAggTrades implements TickReader {
  private static final String LAYOUT =
      "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker[,is_best_match]";

  private final Csv csv;
  private final long token;
  private final Scales scales;

  /**
   * @param source file name used in error messages, or null
   * @param token instrument token stamped on every tick
   */
  public BinanceAggTrades(Reader in, String source, long token, Scales scales) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 8);
    this.token = token;
    this.scales = Objects.requireNonNull(scales, "scales");
  }

  public BinanceAggTrades(Reader in, long token, Scales scales) {
    this(in, null, token, scales);
  }

  @Override
  public Tick next() {
    if (!csv.nextDataRow(LAYOUT, "agg_trade_id", "a")) return null;
    csv.expectFields(7, 8, LAYOUT);
    long id = csv.integer(0, "agg_trade_id");
    long price = csv.fixed(1, scales.priceScale(), "price");
    long qty = csv.fixed(2, scales.qtyScale(), "quantity");
    long firstId = csv.integer(3, "first_trade_id");
    long lastId = csv.integer(4, "last_trade_id");
    long time = csv.integer(5, "transact_time");
    boolean buyerMaker = csv.bool(6, "is_buyer_maker");
    if (csv.fields() == 8) csv.bool(7, "is_best_match");
    if (id < 0) throw csv.error("agg_trade_id must not be negative: " + id);
    if (qty < 0) throw csv.error("quantity must not be negative: '" + csv.field(2) + "'");
    if (firstId < 0) throw csv.error("first_trade_id must not be negative: " + firstId);
    if (firstId > lastId) throw csv.error("first_trade_id " + firstId + " after last_trade_id " + lastId);
    if (time < 0) throw csv.error("transact_time must not be negative: " + time);
    long ts;
    try {
      ts = BinanceTrades.epochNanos(time);
    } catch (ArithmeticException e) {
      throw csv.error("transact_time out of range: " + time);
    }
    return new Tick(token, ts, ts, price, qty, id, id, Feed.IMPORT, buyerMaker ? Side.SELL : Side.BUY,
        Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
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
