package io.tickloom.protocol.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link RawTick} (SPEC §8): the value of a Kafka {@code raw_ticks} record and each item of the
 * array {@code POST /api/v1/ingest/ticks} takes. Streaming jackson-core only; no data binding.
 *
 * <pre>{@code
 * {"token":408065, "ts":1768448700123456000, "price":"2500.05", "qty":"10", "seq":42}
 * {"exchange":"BINANCE", "symbol":"BTCUSDT", "ts":"2026-01-15T03:45:00.123456Z", "price":"96500.01",
 *  "qty":"0.00120000", "tradeId":4711, "side":"BUY", "feed":"secondary", "bid":"96500.00", "ask":"96500.01"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code token} (positive integer) or {@code exchange} + {@code symbol}: exactly one of the two ways;
 *   <li>{@code ts}: epoch nanoseconds as a JSON integer or as a string of digits (JavaScript cannot write such
 *       integers exactly), or an ISO-8601 string with {@code Z} or an offset and 0 to 9 fraction digits;
 *   <li>{@code price}, {@code qty}, {@code bid}, {@code ask}: decimal strings; JSON numbers are accepted too and
 *       read from their text as written (never through {@code double}); exponent forms ({@code 1e5}) are refused;
 *   <li>{@code seq}, {@code tradeId}: non-negative integers within int64 (JSON integers or digit strings), at least
 *       one of them;
 *   <li>{@code side}: {@code BUY}/{@code SELL} (the aggressor; {@link Side#parse} also takes {@code B}/{@code S});
 *       {@code feed}: {@code primary} (default) or {@code secondary};
 *   <li>a field whose value is {@code null} counts as absent; a known field given twice is refused;
 *   <li><b>unknown fields are ignored</b> (their values skipped unread), so producers can add fields before
 *       consumers know them: forward compatibility. Field names are case-sensitive, so a misspelt optional field
 *       is silently ignored while a misspelt required field is reported as missing.
 * </ul>
 *
 * Value rules are {@link RawTick}'s invariants. Every refusal is a {@link FieldError} naming the field; a document
 * that is not JSON, or breaks the reader limits ({@value #MAX_STRING_CHARS} characters per string value,
 * {@value #MAX_NUMBER_CHARS} per number, {@value #MAX_NAME_CHARS} per field name, nesting depth
 * {@value #MAX_DEPTH}), is a {@link FieldError} on {@code body}. Callers bound the document size (HTTP entity
 * limit, Kafka max message size); {@link #parseArray} bounds the item count.
 */
public final class RawTickJson {
  private RawTickJson() {}

  public static final int MAX_STRING_CHARS = 1024;
  public static final int MAX_NUMBER_CHARS = 100;
  public static final int MAX_NAME_CHARS = 256;
  public static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(MAX_STRING_CHARS)
          .maxNumberLength(MAX_NUMBER_CHARS)
          .maxNameLength(MAX_NAME_CHARS)
          .maxNestingDepth(MAX_DEPTH)
          .build())
      .build();

  private static final Instant MIN_INSTANT = Instant.ofEpochSecond(RawTick.MIN_TS / Timestamps.NANOS_PER_SECOND);
  private static final Instant MAX_INSTANT = Instant.ofEpochSecond(RawTick.MAX_TS / Timestamps.NANOS_PER_SECOND);

  // one bit per known field, for duplicate detection
  private static final int TOKEN = 1, EXCHANGE = 1 << 1, SYMBOL = 1 << 2, TS = 1 << 3, PRICE = 1 << 4, QTY = 1 << 5,
      SEQ = 1 << 6, TRADE_ID = 1 << 7, SIDE = 1 << 8, FEED = 1 << 9, BID = 1 << 10, ASK = 1 << 11;

  /**
   * The reader limits above in a factory, for callers that create their own parsers (a Kafka deserializer
   * reading several records, an HTTP route streaming a body). Thread-safe.
   */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * One item of an ingest array: its 0-based {@code index} and either the tick or the reason it was refused.
   */
  public record Item(int index, RawTick tick, FieldError error) {
    public Item {
      if ((tick == null) == (error == null)) throw new IllegalArgumentException("exactly one of tick and error");
    }

    public boolean ok() {
      return tick != null;
    }
  }

  /**
   * Reads one raw tick object starting at the parser's current {@code START_OBJECT} (or the next token when the
   * parser has none yet) and leaves the parser on its {@code END_OBJECT}. On a {@link FieldError} about a value
   * the whole object has still been consumed, so the caller can go on with the next one.
   *
   * @throws FieldError naming the first refused field ({@code ""} when the value is not an object), or on
   *     {@code body} when the JSON itself is broken (the parser is then unusable)
   */
  public static RawTick parse(JsonParser p) {
    try {
      if (p.currentToken() == null) p.nextToken();
      return readObject(p);
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  /**
   * One raw tick from a UTF-8 document holding exactly one object (a Kafka record value). A document in UTF-16 or
   * UTF-32 is refused on {@code body}; a UTF-8 byte order mark is skipped.
   */
  public static RawTick parse(byte[] json) {
    try (JsonParser p = JsonFields.utf8Parser(FACTORY, json)) {
      return single(p);
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  /** One raw tick from a document holding exactly one object. */
  public static RawTick parse(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return single(p);
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  private static RawTick single(JsonParser p) throws IOException {
    if (p.nextToken() == null) throw new FieldError("body", "empty document: expected a raw tick object");
    RawTick tick = readObject(p);
    if (p.nextToken() != null) throw new FieldError("body", "content after the raw tick object");
    return tick;
  }

  /**
   * The items of an ingest body (a JSON array of raw tick objects), each parsed or refused on its own: a bad item
   * (wrong value, missing field, not an object) becomes an {@link Item} with its error and does not stop the
   * others. Allocates the list and one item per element.
   *
   * @param maxItems the most items accepted
   * @throws FieldError on {@code body} when the document is empty, not an array, has more than {@code maxItems}
   *     items, has content after the array, or is not valid JSON (which also covers invalid UTF-8, UTF-16 and UTF-32
   *     documents, and the reader limits); a UTF-8 byte order mark is skipped
   */
  public static List<Item> parseArray(byte[] json, int maxItems) {
    try (JsonParser p = JsonFields.utf8Parser(FACTORY, json)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new FieldError("body", "empty body: expected a JSON array of raw ticks");
      if (t != JsonToken.START_ARRAY) {
        throw new FieldError("body", "expected a JSON array of raw ticks, got " + JsonFields.describe(t));
      }
      List<Item> items = new ArrayList<>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) throw new FieldError("body", "unexpected end of input inside the array");
        int index = items.size();
        if (index == maxItems) throw new FieldError("body", "more than " + maxItems + " items in one request");
        try {
          items.add(new Item(index, readObject(p), null));
        } catch (FieldError e) {
          p.skipChildren(); // a non-object item: skip its contents (a refused object is already consumed)
          items.add(new Item(index, null, e));
        }
      }
      if (p.nextToken() != null) throw new FieldError("body", "content after the array");
      return items;
    } catch (IOException e) {
      throw JsonFields.invalidJson(e);
    }
  }

  private static RawTick readObject(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new FieldError("", "expected a raw tick object, got " + JsonFields.describe(p.currentToken()));
    }
    long token = 0;
    Exchange exchange = null;
    String symbol = null;
    long ts = 0;
    String price = null, qty = null, bid = null, ask = null;
    long seq = Tick.NO_SEQ, tradeId = Tick.NO_TRADE_ID;
    Side side = null;
    Feed feed = null;
    int seen = 0;
    FieldError first = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      int bit = bit(name);
      if (bit != 0 && v != JsonToken.VALUE_NULL) {
        try {
          if ((seen & bit) != 0) throw new FieldError(name, "given twice");
          seen |= bit;
          switch (bit) {
            case TOKEN -> {
              token = JsonFields.nonNegativeLong(p, name);
              if (token == 0) throw new FieldError(name, "must be positive: 0");
            }
            case EXCHANGE -> exchange = exchange(JsonFields.string(p, name));
            case SYMBOL -> symbol = JsonFields.string(p, name);
            case TS -> ts = ts(p);
            case PRICE -> price = JsonFields.decimalText(p, name);
            case QTY -> qty = JsonFields.decimalText(p, name);
            case SEQ -> seq = JsonFields.nonNegativeLong(p, name);
            case TRADE_ID -> tradeId = JsonFields.nonNegativeLong(p, name);
            case SIDE -> side = side(JsonFields.string(p, name));
            case FEED -> feed = feed(JsonFields.string(p, name));
            case BID -> bid = JsonFields.decimalText(p, name);
            case ASK -> ask = JsonFields.decimalText(p, name);
            default -> throw new IllegalStateException(name);
          }
        } catch (FieldError e) {
          if (first == null) first = e;
        }
      }
      p.skipChildren(); // an unknown field's (or a refused) object or array
    }
    if (t != JsonToken.END_OBJECT) throw new FieldError("body", "unexpected " + JsonFields.describe(t) + " in an object");
    if (first != null) throw first;
    if ((seen & TS) == 0) throw new FieldError("ts", "required");
    if ((seen & PRICE) == 0) throw new FieldError("price", "required");
    if ((seen & QTY) == 0) throw new FieldError("qty", "required");
    return new RawTick(token, exchange, symbol, ts, price, qty, seq, tradeId, side, feed, bid, ask);
  }

  private static int bit(String name) {
    return switch (name) {
      case "token" -> TOKEN;
      case "exchange" -> EXCHANGE;
      case "symbol" -> SYMBOL;
      case "ts" -> TS;
      case "price" -> PRICE;
      case "qty" -> QTY;
      case "seq" -> SEQ;
      case "tradeId" -> TRADE_ID;
      case "side" -> SIDE;
      case "feed" -> FEED;
      case "bid" -> BID;
      case "ask" -> ASK;
      default -> 0;
    };
  }

  private static Exchange exchange(String text) {
    if (text.length() > 16) throw new FieldError("exchange", "unknown exchange " + JsonFields.shown(text));
    try {
      return Exchange.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FieldError("exchange", e.getMessage());
    }
  }

  private static Side side(String text) {
    if (text.length() > 16) throw new FieldError("side", "must be BUY or SELL, got " + JsonFields.shown(text));
    try {
      return Side.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FieldError("side", e.getMessage());
    }
  }

  private static Feed feed(String text) {
    if (text.length() > 16) throw new FieldError("feed", "must be primary or secondary, got " + JsonFields.shown(text));
    try {
      return Feed.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FieldError("feed", "must be primary or secondary, got " + JsonFields.shown(text));
    }
  }

  private static long ts(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType nt = p.getNumberType();
      if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
        throw new FieldError("ts", "integer out of range: " + JsonFields.shown(p.getText()));
      }
      return p.getLongValue(); // range checked by RawTick
    }
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      return JsonFields.isDigits(text) ? JsonFields.digits(text, "ts") : iso(text);
    }
    throw new FieldError("ts", "expected epoch nanoseconds (an integer) or an ISO-8601 string, got " + JsonFields.describe(t));
  }

  /** ISO-8601 with {@code Z} or an offset, 0 to 9 fraction digits, to epoch nanoseconds within RawTick's range. */
  private static long iso(String text) {
    Instant at;
    try {
      at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new FieldError("ts", "expected epoch nanoseconds or ISO-8601 with Z or an offset "
          + "(2026-01-15T03:45:00.123456Z, 2026-01-15T09:15:00+05:30), got " + JsonFields.shown(text));
    }
    if (at.isBefore(MIN_INSTANT)) throw new FieldError("ts", JsonFields.shown(text) + " is before 1980-01-01");
    if (!at.isBefore(MAX_INSTANT)) throw new FieldError("ts", JsonFields.shown(text) + " is a timestamp far in the future (2200 or later)");
    return Timestamps.of(at);
  }

  /**
   * The canonical JSON of a raw tick: {@code token} or {@code exchange}+{@code symbol}, {@code ts} as integer
   * nanoseconds, {@code price}/{@code qty} as the decimal text held, {@code seq}/{@code tradeId} when present,
   * {@code side} when known, {@code feed} always, {@code bid}/{@code ask} when present. {@link #parse(String)}
   * gives back an equal record.
   */
  public static String write(RawTick r) {
    StringWriter out = new StringWriter(160);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (r.bySymbol()) {
        g.writeStringField("exchange", r.exchange().name());
        g.writeStringField("symbol", r.symbol());
      } else {
        g.writeNumberField("token", r.token());
      }
      g.writeNumberField("ts", r.ts());
      g.writeStringField("price", r.price());
      g.writeStringField("qty", r.qty());
      if (r.seq() != Tick.NO_SEQ) g.writeNumberField("seq", r.seq());
      if (r.tradeId() != Tick.NO_TRADE_ID) g.writeNumberField("tradeId", r.tradeId());
      if (r.side() != null) g.writeStringField("side", r.side().name());
      g.writeStringField("feed", r.feed().wire());
      if (r.bid() != null) g.writeStringField("bid", r.bid());
      if (r.ask() != null) g.writeStringField("ask", r.ask());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * A tick as raw tick JSON in token form (for the importer, Kafka producers and tests): prices and quantity as
   * exact decimals at the instrument's scales, {@code ts} = the exchange time in integer nanoseconds, {@code seq}
   * and {@code tradeId} when present, {@code side} when known, {@code feed} only when primary or secondary (a
   * replayed or imported tick is re-sent as primary by default), {@code bid}/{@code ask} when present. The
   * receive time and status are not part of a raw tick.
   *
   * @throws IllegalArgumentException when the tick is not of {@code i}, or has neither seq nor trade id
   */
  public static String write(Tick t, Instrument i) {
    if (t.token() != i.token()) throw new IllegalArgumentException("tick of token " + t.token() + " written with instrument " + i.token());
    if (!t.hasSeq() && !t.hasTradeId()) throw new IllegalArgumentException("tick has neither seq nor trade id: " + t);
    StringWriter out = new StringWriter(160);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("token", t.token());
      g.writeNumberField("ts", t.exchangeTs());
      g.writeStringField("price", Fixed.format(t.price(), i.priceScale()));
      g.writeStringField("qty", Fixed.format(t.qty(), i.qtyScale()));
      if (t.hasSeq()) g.writeNumberField("seq", t.seq());
      if (t.hasTradeId()) g.writeNumberField("tradeId", t.tradeId());
      if (t.side() != null) g.writeStringField("side", t.side().name());
      if (t.feed() == Feed.PRIMARY || t.feed() == Feed.SECONDARY) g.writeStringField("feed", t.feed().wire());
      if (t.bid() != Tick.NO_PRICE) g.writeStringField("bid", Fixed.format(t.bid(), i.priceScale()));
      if (t.ask() != Tick.NO_PRICE) g.writeStringField("ask", Fixed.format(t.ask(), i.priceScale()));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
