package io.tickloom.protocol.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.io.IOException;

/**
 * Parser of Binance WebSocket market-data messages into trades: spot {@code trade} and {@code aggTrade} events
 * (USD-M and COIN-M futures {@code aggTrade} have the same shape), raw or inside the combined-stream wrapper
 * {@code {"stream":"btcusdt@aggTrade","data":{...}}}. Streaming jackson-core, insensitive to field order (the
 * wrapper's {@code data} may come before {@code stream}; an event's {@code e} may come last).
 *
 * <pre>{@code
 * {"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}
 * {"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true}
 * }</pre>
 *
 * <p>Every other message is {@link Ignored}, never an error: other events ({@code depthUpdate}, {@code kline},
 * {@code 24hrTicker}, ...; the type is {@code e}), spot {@code bookTicker} (which has no {@code e}: the type is
 * the stream name after its first {@code @}, e.g. {@code bookTicker}; for all-market streams the name without
 * its {@code !}, e.g. {@code miniTicker@arr}), subscription replies
 * {@code {"result":null,"id":1}} (type {@code result}), error replies {@code {"error":{...},"id":1}} (type
 * {@code error}; an adapter should log those), array payloads such as {@code !ticker@arr} (type from the stream),
 * and anything else that names no type ({@code unknown}). A message whose type is {@code trade} or
 * {@code aggTrade} (from {@code e}, else from the stream name) must be a complete trade: a missing or wrong field
 * is a {@link FieldError} naming Binance's field ({@code p}, {@code T}, ...); text that is not one JSON object is a
 * {@link FieldError} on {@code body}.
 *
 * <p>Checks on a trade: {@code s} a symbol as {@link RawTick} allows (upper-cased), ids and times non-negative int64, {@code f <= l},
 * {@code T} within the nanosecond range of {@link BinanceTrades#epochNanos} (before 2262-04-11, as binance-trades), {@code p}
 * a positive and {@code q} a non-negative plain decimal (string, or number read from its text), {@code m} a
 * boolean. {@code M} (best match, spot only) is ignored. In a {@code trade} event {@code a} and {@code b} are
 * order ids in older API versions and are ignored; in an {@code aggTrade} {@code a} is the aggregate id.
 */
public final class BinanceStream {
  private BinanceStream() {}

  /** Binance publishes prices and quantities with 8 decimals: the least scale of a venue-created instrument. */
  public static final int MIN_VENUE_SCALE = 8;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(4096)
          .maxNumberLength(100)
          .maxNameLength(256)
          .maxNestingDepth(32)
          .build())
      .build();

  /** What one message was. */
  public sealed interface Message permits Trade, Ignored {}

  /** A trade or aggregate trade. */
  public record Trade(BinanceTrade trade) implements Message {}

  /** A message that carries no trade; {@code eventType} says what it was (see the class comment). */
  public record Ignored(String eventType) implements Message {}

  /**
   * One trade print from a {@code trade} or {@code aggTrade} event.
   *
   * @param symbol {@code s}, upper-cased ({@code BTCUSDT})
   * @param aggregate true for {@code aggTrade}
   * @param id {@code t} (trade id) of a trade, {@code a} (aggregate trade id) of an aggTrade
   * @param firstTradeId {@code f} of an aggTrade, {@code t} of a trade
   * @param lastTradeId {@code l} of an aggTrade, {@code t} of a trade
   * @param price {@code p} as decimal text
   * @param qty {@code q} as decimal text
   * @param tradeTimeMs {@code T} as sent: epoch milliseconds (microseconds when the stream was opened with
   *     {@code timeUnit=MICROSECOND}; told apart as in {@link BinanceTrades#epochNanos})
   * @param eventTimeMs {@code E}, same unit as {@code T}
   * @param buyerMaker {@code m}: the buyer was the maker, so the taker (aggressor) sold
   */
  public record BinanceTrade(
      String symbol,
      boolean aggregate,
      long id,
      long firstTradeId,
      long lastTradeId,
      String price,
      String qty,
      long tradeTimeMs,
      long eventTimeMs,
      boolean buyerMaker) {

    /**
     * This trade as a tick: {@code tradeId = seq = id} (the aggregate id for an aggTrade, consecutive per
     * symbol, so it drives gap detection), side {@link Side#SELL} when the buyer was the maker else
     * {@link Side#BUY}, {@code exchangeTs} = {@code T} in nanoseconds, no quote, status LIVE.
     *
     * @throws FieldError on {@code p} or {@code q} when the value has more non-zero decimals than the scale
     */
    public Tick toTick(long token, int priceScale, int qtyScale, long receiveTs, Feed feed) {
      long p = fixed("p", price, priceScale);
      long q = fixed("q", qty, qtyScale);
      return new Tick(token, BinanceTrades.epochNanos(tradeTimeMs), receiveTs, p, q, id, id, feed,
          buyerMaker ? Side.SELL : Side.BUY, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
    }

    private long fixed(String field, String text, int scale) {
      try {
        return Fixed.parse(text, scale);
      } catch (IllegalArgumentException e) {
        throw new FieldError(field, e.getMessage() + " for " + symbol + " (scale " + scale + ")");
      }
    }
  }

  /**
   * The scale a venue-created instrument gets from a decimal seen on the feed: {@code max(8, decimals written)},
   * 8 being what Binance publishes. The caller refuses results above {@code Instrument}'s limit of 12.
   */
  public static int scaleFor(String decimalText) {
    return Math.max(MIN_VENUE_SCALE, Fixed.decimalsOf(decimalText));
  }

  /**
   * Parses one WebSocket text message.
   *
   * @throws FieldError naming the field of a malformed trade, or on {@code body} when the text is not one JSON
   *     object
   */
  public static Message parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      return message(p);
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  /** {@link #parse(String)} of a UTF-8 message (UTF-16 and UTF-32 are refused on {@code body}; a UTF-8 byte order mark is skipped). */
  public static Message parse(byte[] utf8) {
    try (JsonParser p = JsonFields.utf8Parser(FACTORY, utf8)) {
      return message(p);
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  private static Message message(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw new FieldError("body", "expected a JSON object, got " + JsonFields.describe(t));
    }
    Event top = new Event();
    String stream = null;
    Event data = null;
    boolean dataNotObject = false;
    boolean reply = false;
    boolean error = false;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "stream" -> stream = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "data" -> {
          if (v == JsonToken.START_OBJECT) {
            data = new Event();
            data.read(p);
          } else {
            dataNotObject = true;
          }
        }
        case "result", "id" -> reply = true;
        case "error" -> error = true;
        default -> top.field(name, p);
      }
      p.skipChildren();
    }
    if (t != JsonToken.END_OBJECT) throw new FieldError("body", "unexpected " + JsonFields.describe(t));
    if (p.nextToken() != null) throw new FieldError("body", "content after the message object");

    boolean wrapped = stream != null || data != null || dataNotObject;
    Event event = data != null ? data : top;
    String type = event.type;
    if (type == null && stream != null) type = streamType(stream);
    if (type == null) return new Ignored(error ? "error" : reply ? "result" : "unknown");
    boolean trade = type.equals("trade") || type.equals("aggTrade");
    if (wrapped && data == null) {
      if (trade) throw new FieldError("data", "the " + type + " event object is required, got " + (dataNotObject ? "another type" : "nothing"));
      return new Ignored(type);
    }
    return switch (type) {
      case "trade" -> new Trade(event.trade(false));
      case "aggTrade" -> new Trade(event.trade(true));
      default -> new Ignored(type);
    };
  }

  /** {@code btcusdt@depth@100ms -> depth@100ms}; an all-market stream {@code !miniTicker@arr -> miniTicker@arr}. */
  private static String streamType(String stream) {
    if (stream.startsWith("!")) return stream.length() > 1 ? stream.substring(1) : null;
    int at = stream.indexOf('@');
    return at >= 0 && at + 1 < stream.length() ? stream.substring(at + 1) : null;
  }

  /** The fields of one event object that a trade needs, read leniently; checked once the type is known. */
  private static final class Event {
    /** Marks a field present with a type the trade check refuses. */
    private static final Object BAD_TYPE = new Object();

    String type; // e
    String symbol; // s
    String price; // p
    String qty; // q
    // Long when a non-negative or negative int64, BAD_TYPE when of another type, null when absent
    Object eventTime; // E
    Object tradeId; // t
    Object aggId; // a (an order id, or an array of levels, in other events)
    Object tradeTime; // T
    Object firstId; // f
    Object lastId; // l
    Object buyerMaker; // m: Boolean or BAD_TYPE

    /** Reads the object at the parser's START_OBJECT up to its END_OBJECT. */
    void read(JsonParser parser) throws IOException {
      JsonToken tok;
      while ((tok = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        field(name, parser);
        parser.skipChildren();
      }
      if (tok != JsonToken.END_OBJECT) throw new FieldError("body", "unexpected " + JsonFields.describe(tok));
    }

    /** Records one field at its value token (does not advance past it). */
    void field(String name, JsonParser parser) throws IOException {
      JsonToken v = parser.currentToken();
      switch (name) {
        case "e" -> type = v == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "s" -> symbol = text(v, parser);
        case "p" -> price = text(v, parser);
        case "q" -> qty = text(v, parser);
        case "E" -> eventTime = integer(v, parser);
        case "t" -> tradeId = integer(v, parser);
        case "a" -> aggId = integer(v, parser);
        case "T" -> tradeTime = integer(v, parser);
        case "f" -> firstId = integer(v, parser);
        case "l" -> lastId = integer(v, parser);
        case "m" -> buyerMaker = v == JsonToken.VALUE_TRUE ? Boolean.TRUE : v == JsonToken.VALUE_FALSE ? Boolean.FALSE : BAD_TYPE;
        default -> { }
      }
    }

    /** A string, or a number's text as written; null for other types (then reported as missing). */
    private static String text(JsonToken v, JsonParser parser) throws IOException {
      return v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT
          ? parser.getText() : null;
    }

    private static Object integer(JsonToken v, JsonParser parser) throws IOException {
      if (v == JsonToken.VALUE_NUMBER_INT) {
        JsonParser.NumberType nt = parser.getNumberType();
        if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) return parser.getLongValue();
      }
      return v == JsonToken.VALUE_NULL ? null : BAD_TYPE;
    }

    BinanceTrade trade(boolean aggregate) {
      String kind = aggregate ? "aggTrade" : "trade";
      if (symbol == null) throw new FieldError("s", "required in " + kind + " (a symbol string)");
      String s = RawTick.normalizeSymbol("s", symbol);
      long id = aggregate ? id("a", aggId, kind) : id("t", tradeId, kind);
      long first = aggregate ? id("f", firstId, kind) : id;
      long last = aggregate ? id("l", lastId, kind) : id;
      if (first > last) throw new FieldError("f", "first trade id " + first + " is after last trade id " + last);
      if (price == null) throw new FieldError("p", "required in " + kind + " (a decimal string)");
      if (qty == null) throw new FieldError("q", "required in " + kind + " (a decimal string)");
      JsonFields.checkDecimal("p", price, true);
      JsonFields.checkDecimal("q", qty, false);
      long tradeMs = id("T", tradeTime, kind);
      try {
        BinanceTrades.epochNanos(tradeMs); // toTick's exchangeTs
      } catch (ArithmeticException e) {
        throw new FieldError("T", "out of range: " + tradeMs + " is after 2262-04-11 in nanoseconds");
      }
      long eventMs = id("E", eventTime, kind);
      if (!(buyerMaker instanceof Boolean maker)) throw new FieldError("m", "required in " + kind + " (true or false)");
      return new BinanceTrade(s, aggregate, id, first, last, price, qty, tradeMs, eventMs, maker);
    }

    private static long id(String field, Object value, String kind) {
      if (value == null) throw new FieldError(field, "required in " + kind + " (a non-negative integer)");
      if (!(value instanceof Long v)) throw new FieldError(field, "expected a non-negative integer within int64");
      if (v < 0) throw new FieldError(field, "must not be negative: " + v);
      return v;
    }
  }
}
