package io.tickloom.protocol.format;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.util.Locale;

/**
 * A raw tick as a producer sends it (SPEC §8): the value of a Kafka {@code raw_ticks} record and one item of
 * {@code POST /api/v1/ingest/ticks}, before the instrument is resolved. Its JSON form is read and written by
 * {@link RawTickJson}. Prices and quantities stay decimal text here because the scale is the instrument's, known
 * only after resolution; {@link #toTick} converts them exactly.
 *
 * <p>Invariants, checked by the constructor (each violation a {@link FieldError} naming the wire field):
 *
 * <ul>
 *   <li>the instrument is named in exactly one way: {@code token > 0} (then {@code exchange} and {@code symbol}
 *       are null), or {@code exchange} and {@code symbol} (then {@code token} is 0);
 *   <li>{@code symbol} is trimmed and upper-cased ({@link Locale#ROOT}); 1 to {@value #MAX_SYMBOL_CHARS}
 *       characters from {@code A-Z 0-9 . _ - &} and inner spaces (Kite index names such as {@code NIFTY 50}, NSE
 *       symbols such as {@code M&M}); never {@code :}, the separator of {@link #key()};
 *   <li>{@code ts} (epoch nanoseconds) lies in [{@link #MIN_TS}, {@link #MAX_TS}): 1980 or later, so seconds,
 *       milliseconds or microseconds sent by mistake are refused instead of landing in 1970, and before 2200;
 *   <li>{@code price} is a positive plain decimal, {@code qty} a non-negative one, {@code bid}/{@code ask} positive
 *       when present (null otherwise); plain means {@code -?DIGITS(.DIGITS)?}, no exponent;
 *   <li>{@code seq} and {@code tradeId} are non-negative or absent ({@link Tick#NO_SEQ}, {@link Tick#NO_TRADE_ID}),
 *       not both absent;
 *   <li>{@code feed} is {@link Feed#PRIMARY} (also when given null) or {@link Feed#SECONDARY}: {@code replay} and
 *       {@code import} are stamped by the platform, never by a producer; {@code side} (the aggressor) may be null.
 * </ul>
 *
 * @param token instrument token, or 0 when named by exchange and symbol
 * @param exchange venue when named by symbol, else null
 * @param symbol trading symbol when named by symbol, else null
 * @param ts exchange time, epoch nanoseconds
 * @param seq per-instrument sequence number or {@link Tick#NO_SEQ}
 * @param tradeId exchange trade id or {@link Tick#NO_TRADE_ID}
 * @param bid best bid as decimal text or null
 * @param ask best ask as decimal text or null
 */
public record RawTick(
    long token,
    Exchange exchange,
    String symbol,
    long ts,
    String price,
    String qty,
    long seq,
    long tradeId,
    Side side,
    Feed feed,
    String bid,
    String ask) {

  public static final int MAX_SYMBOL_CHARS = 64;
  /** 1980-01-01T00:00:00Z in epoch nanoseconds: the earliest accepted {@code ts}. */
  public static final long MIN_TS = 315_532_800_000_000_000L;
  /** 2200-01-01T00:00:00Z in epoch nanoseconds: {@code ts} must be before it. */
  public static final long MAX_TS = 7_258_118_400_000_000_000L;

  public RawTick {
    if (exchange == null && symbol == null) {
      if (token == 0) throw new FieldError("token", "required: give \"token\", or \"exchange\" and \"symbol\"");
      if (token < 0) throw new FieldError("token", "must be positive: " + token);
    } else {
      if (token != 0) throw new FieldError("token", "give either \"token\" or \"exchange\" and \"symbol\", not both");
      if (exchange == null) throw new FieldError("exchange", "required with \"symbol\"");
      if (symbol == null) throw new FieldError("symbol", "required with \"exchange\"");
      symbol = normalizeSymbol("symbol", symbol);
    }
    if (ts < MIN_TS) {
      throw new FieldError("ts", ts + " is before 1980-01-01: ts is epoch nanoseconds (or ISO-8601)"
          + (ts > 0 ? ", this looks like " + likelyUnit(ts) : ""));
    }
    if (ts >= MAX_TS) throw new FieldError("ts", ts + " is a timestamp far in the future (2200 or later)");
    if (price == null) throw new FieldError("price", "required");
    if (qty == null) throw new FieldError("qty", "required");
    JsonFields.checkDecimal("price", price, true);
    JsonFields.checkDecimal("qty", qty, false);
    if (bid != null) JsonFields.checkDecimal("bid", bid, true);
    if (ask != null) JsonFields.checkDecimal("ask", ask, true);
    if (seq < Tick.NO_SEQ) throw new FieldError("seq", "must not be negative: " + seq);
    if (tradeId < Tick.NO_TRADE_ID) throw new FieldError("tradeId", "must not be negative: " + tradeId);
    if (seq == Tick.NO_SEQ && tradeId == Tick.NO_TRADE_ID) throw new FieldError("seq", "required: give \"seq\" and/or \"tradeId\"");
    if (feed == null) feed = Feed.PRIMARY;
    if (feed != Feed.PRIMARY && feed != Feed.SECONDARY) {
      throw new FieldError("feed", "must be primary or secondary, got '" + feed.wire() + "' (replay and import are set by the platform)");
    }
  }

  /** A tick named by token, aggressor unknown, primary feed, no quote. */
  public static RawTick byToken(long token, long ts, String price, String qty, long seq, long tradeId) {
    return new RawTick(token, null, null, ts, price, qty, seq, tradeId, null, Feed.PRIMARY, null, null);
  }

  /** A tick named by exchange and symbol, aggressor unknown, primary feed, no quote. */
  public static RawTick bySymbol(Exchange exchange, String symbol, long ts, String price, String qty, long seq, long tradeId) {
    return new RawTick(0, exchange, symbol, ts, price, qty, seq, tradeId, null, Feed.PRIMARY, null, null);
  }

  /** True when named by exchange and symbol (then {@link #token()} is 0). */
  public boolean bySymbol() {
    return exchange != null;
  }

  /** The Kafka key of SPEC §8: {@code EXCHANGE:SYMBOL}, or the token as decimal text. */
  public String key() {
    return exchange != null ? exchange.name() + ':' + symbol : Long.toString(token);
  }

  /** Decimals the prices need (max over price, bid and ask, trailing zeros not counted): a price scale floor. */
  public int decimalsNeeded() {
    int d = Fixed.decimalsOf(price);
    if (bid != null) d = Math.max(d, Fixed.decimalsOf(bid));
    if (ask != null) d = Math.max(d, Fixed.decimalsOf(ask));
    return d;
  }

  /** Decimals the quantity needs (trailing zeros not counted): a quantity scale floor. */
  public int qtyDecimalsNeeded() {
    return Fixed.decimalsOf(qty);
  }

  /**
   * This tick of the resolved {@code instrument}, prices and quantity at its scales, status LIVE.
   *
   * <p>When {@code seq} is absent the tick's seq is the trade id: venues without sequence numbers (Binance)
   * number trades consecutively per symbol, so the trade ids drive gap detection. Allocates the tick only.
   *
   * @param instrument the instrument this tick names (same token, or same exchange and symbol)
   * @param receiveTs when the platform received the tick, epoch nanoseconds
   * @throws FieldError naming {@code price}, {@code qty}, {@code bid} or {@code ask} when the value has more
   *     non-zero decimals than the instrument's scale or does not fit
   * @throws IllegalArgumentException when {@code instrument} is not the one this tick names (a caller bug)
   */
  public Tick toTick(Instrument instrument, long receiveTs) {
    if (exchange != null
        ? instrument.exchange() != exchange || !instrument.symbol().equalsIgnoreCase(symbol)
        : instrument.token() != token) {
      throw new IllegalArgumentException("raw tick of " + key() + " converted with instrument " + instrument.token() + " " + instrument.key());
    }
    int ps = instrument.priceScale();
    long p = fixed("price", price, ps, instrument);
    long q = fixed("qty", qty, instrument.qtyScale(), instrument);
    long b = bid == null ? Tick.NO_PRICE : fixed("bid", bid, ps, instrument);
    long a = ask == null ? Tick.NO_PRICE : fixed("ask", ask, ps, instrument);
    long s = seq != Tick.NO_SEQ ? seq : tradeId;
    return new Tick(instrument.token(), ts, receiveTs, p, q, tradeId, s, feed, side, b, a, TickStatus.LIVE);
  }

  private static long fixed(String field, String text, int scale, Instrument instrument) {
    try {
      return Fixed.parse(text, scale);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, e.getMessage() + " for " + instrument.key() + " (scale " + scale + ")");
    }
  }

  /** The symbol rule of the class comment; refusals name {@code field}. */
  static String normalizeSymbol(String field, String raw) {
    String s = raw.strip().toUpperCase(Locale.ROOT);
    if (s.isEmpty()) throw new FieldError(field, "must not be blank");
    if (s.length() > MAX_SYMBOL_CHARS) {
      throw new FieldError(field, "longer than " + MAX_SYMBOL_CHARS + " characters: " + JsonFields.shown(s));
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '&' || c == ' ';
      if (!ok) {
        throw new FieldError(field, "character '" + (Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c))
            + "' not allowed (A-Z 0-9 . _ - & space): " + JsonFields.shown(s));
      }
    }
    return s;
  }

  private static String likelyUnit(long ts) {
    if (ts < 100_000_000_000L) return "seconds";
    if (ts < 100_000_000_000_000L) return "milliseconds";
    return "microseconds";
  }
}
