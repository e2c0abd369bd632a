package io.tickloom.protocol.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawTickJsonTest {
  /** 2026-01-15T03:45:00.123456Z */
  private static final long TS = 1_768_448_700_123_456_000L;
  private static final Instrument INFY = Instrument.cash(408065, Exchange.NSE, "INFY", InstrumentKind.EQ, 5, 1, 2, 0);
  private static final Instrument BTC = Instrument.cash(9001, Exchange.BINANCE, "BTCUSDT", InstrumentKind.SPOT, 1, 1, 8, 8);
  private static final String VALID = "{\"token\":408065,\"ts\":" + TS + ",\"price\":\"2500.05\",\"qty\":\"10\",\"seq\":42}";

  private static FieldError error(String json) {
    return assertThrows(FieldError.class, () -> RawTickJson.parse(json));
  }

  @Test
  void tokenFormWithNanosAndDecimalStrings() {
    RawTick r = RawTickJson.parse(VALID);
    assertEquals(RawTick.byToken(408065, TS, "2500.05", "10", 42, Tick.NO_TRADE_ID), r);
    assertEquals("408065", r.key());
    assertFalse(r.bySymbol());
    assertEquals(Feed.PRIMARY, r.feed());
  }

  @Test
  void symbolFormWithEveryOptionalField() {
    RawTick r = RawTickJson.parse("""
        {"exchange":"binance","symbol":" btcusdt ","ts":"2026-01-15T03:45:00.123456Z","price":"96500.01",
         "qty":"0.00120000","tradeId":4711,"side":"SELL","feed":"secondary","bid":"96500.00","ask":"96500.015"}""");
    assertEquals(new RawTick(0, Exchange.BINANCE, "BTCUSDT", TS, "96500.01", "0.00120000", Tick.NO_SEQ, 4711, Side.SELL,
        Feed.SECONDARY, "96500.00", "96500.015"), r);
    assertEquals("BINANCE:BTCUSDT", r.key());
    assertEquals(3, r.decimalsNeeded());
    assertEquals(4, r.qtyDecimalsNeeded());
  }

  @Test
  void isoWithZOrOffsetAndNanosAsIntegerOrDigitStringAreTheSameInstant() {
    String[] forms = {
        "" + TS, "\"" + TS + "\"", "\"2026-01-15T03:45:00.123456Z\"", "\"2026-01-15T03:45:00.123456000Z\"",
        "\"2026-01-15T09:15:00.123456+05:30\"", "\"2026-01-14T22:45:00.123456-05:00\""};
    for (String ts : forms) {
      assertEquals(TS, RawTickJson.parse("{\"token\":1,\"ts\":" + ts + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":0}").ts(), ts);
    }
    assertEquals(1_768_448_700_123_456_789L,
        RawTickJson.parse("{\"token\":1,\"ts\":\"2026-01-15T03:45:00.123456789Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":0}").ts());
    assertEquals(1_768_448_700_000_000_000L,
        RawTickJson.parse("{\"token\":1,\"ts\":\"2026-01-15T03:45:00Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":0}").ts());
  }

  @Test
  void jsonNumbersAreReadFromTheirTextNeverThroughDouble() {
    RawTick r = RawTickJson.parse("{\"token\":1,\"ts\":" + TS
        + ",\"price\":12345678.123456789,\"qty\":0.10,\"seq\":1,\"bid\":3,\"ask\":0.30000000000000004}");
    assertEquals("12345678.123456789", r.price()); // a double would give 1.2345678123456789E7 or lose digits
    assertEquals("0.10", r.qty());
    assertEquals("3", r.bid());
    assertEquals("0.30000000000000004", r.ask());
    FieldError e = error("{\"token\":1,\"ts\":" + TS + ",\"price\":1e5,\"qty\":1,\"seq\":1}");
    assertEquals("price", e.field());
    assertTrue(e.detail().contains("no exponent"), e.detail());
  }

  @Test
  void canonicalJsonRoundTrips() throws Exception {
    List<RawTick> ticks = List.of(
        RawTick.byToken(408065, TS, "2500.05", "10", 42, Tick.NO_TRADE_ID),
        RawTick.bySymbol(Exchange.BINANCE, "BTCUSDT", TS + 1, "0.00000001", "0", Tick.NO_SEQ, 0),
        new RawTick(7, null, null, RawTick.MIN_TS, "1", "0.5", 0, Long.MAX_VALUE, Side.BUY, Feed.SECONDARY, "0.99", "1.01"),
        new RawTick(0, Exchange.NSE, "NIFTY 50", RawTick.MAX_TS - 1, "25000.00", "75", 1, 2, Side.SELL, Feed.PRIMARY, null, "25000.05"));
    ObjectMapper mapper = new ObjectMapper();
    for (RawTick t : ticks) {
      String json = RawTickJson.write(t);
      assertEquals(t, RawTickJson.parse(json), json);
      assertEquals(t, RawTickJson.parse(json.getBytes(UTF_8)), json);
      JsonNode tree = mapper.readTree(json);
      assertTrue(tree.get("ts").isIntegralNumber(), json);
      assertTrue(tree.get("price").isTextual(), json);
      assertTrue(tree.get("qty").isTextual(), json);
    }
    assertEquals("{\"token\":408065,\"ts\":1768448700123456000,\"price\":\"2500.05\",\"qty\":\"10\",\"seq\":42,\"feed\":\"primary\"}",
        RawTickJson.write(ticks.get(0)));
  }

  @Test
  void tickWrittenAsRawTickConvertsBackToTheSameTick() {
    Tick[] ticks = {
        new Tick(408065, TS, TS + 5, 250_005, 10, 99, 42, Feed.PRIMARY, Side.BUY, 250_000, 250_010, TickStatus.LIVE),
        new Tick(408065, TS, TS + 5, 250_005, 10, Tick.NO_TRADE_ID, 43, Feed.SECONDARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE),
        new Tick(408065, TS, TS + 5, 1, 0, 7, 7, Feed.PRIMARY, Side.SELL, Tick.NO_PRICE, 250_010, TickStatus.LIVE)};
    for (Tick t : ticks) {
      String json = RawTickJson.write(t, INFY);
      assertEquals(t, RawTickJson.parse(json).toTick(INFY, TS + 5), json);
    }
    assertEquals("{\"token\":408065,\"ts\":1768448700123456000,\"price\":\"2500.05\",\"qty\":\"10\",\"seq\":42,"
        + "\"tradeId\":99,\"side\":\"BUY\",\"feed\":\"primary\",\"bid\":\"2500.00\",\"ask\":\"2500.10\"}", RawTickJson.write(ticks[0], INFY));
  }

  @Test
  void replayAndImportTicksAreWrittenWithoutFeedAndUnsequencedWithoutSeq() {
    Tick t = new Tick(408065, TS, TS, 250_005, 10, 99, Tick.NO_SEQ, Feed.IMPORT, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.STALE);
    String json = RawTickJson.write(t, INFY);
    assertEquals("{\"token\":408065,\"ts\":1768448700123456000,\"price\":\"2500.05\",\"qty\":\"10\",\"tradeId\":99}", json);
    Tick back = RawTickJson.parse(json).toTick(INFY, 1);
    assertEquals(Feed.PRIMARY, back.feed());
    assertEquals(99, back.seq(), "seq absent: the trade id drives sequencing");
    assertThrows(IllegalArgumentException.class, () -> RawTickJson.write(t.withToken(5), INFY));
    Tick noIds = Tick.of(408065, TS, TS, 1, 1, Tick.NO_SEQ, Feed.PRIMARY);
    assertThrows(IllegalArgumentException.class, () -> RawTickJson.write(noIds, INFY));
  }

  @Test
  void toTickUsesTheInstrumentScalesAndTradeIdAsSeqWhenSeqIsAbsent() {
    RawTick r = new RawTick(0, Exchange.BINANCE, "BTCUSDT", TS, "96500.01", "0.0012", Tick.NO_SEQ, 4711, Side.BUY, null, "96500", null);
    Tick t = r.toTick(BTC, TS + 1_000);
    assertEquals(new Tick(9001, TS, TS + 1_000, 9_650_001_000_000L, 120_000L, 4711, 4711, Feed.PRIMARY, Side.BUY,
        9_650_000_000_000L, Tick.NO_PRICE, TickStatus.LIVE), t);
    RawTick both = RawTick.byToken(408065, TS, "2500.05", "10", 42, 99);
    assertEquals(42, both.toTick(INFY, TS).seq());
    assertEquals(99, both.toTick(INFY, TS).tradeId());
  }

  @Test
  void toTickRefusesExcessDecimalsAndOverflowNamingTheField() {
    assertToTickError(RawTick.byToken(408065, TS, "2500.051", "10", 1, 1), "price", "more than 2 decimals");
    assertEquals(250_005, RawTick.byToken(408065, TS, "2500.0500", "10", 1, 1).toTick(INFY, TS).price(), "trailing zeros are fine");
    assertToTickError(RawTick.byToken(408065, TS, "2500.05", "10.5", 1, 1), "qty", "more than 0 decimals");
    assertToTickError(new RawTick(408065, null, null, TS, "1", "1", 1, 1, null, null, "1.001", null), "bid", "decimals");
    assertToTickError(new RawTick(408065, null, null, TS, "1", "1", 1, 1, null, null, null, "1.001"), "ask", "decimals");
    assertToTickError(RawTick.byToken(408065, TS, "999999999999999999", "1", 1, 1), "price", "out of range");
    assertThrows(IllegalArgumentException.class, () -> RawTick.byToken(5, TS, "1", "1", 1, 1).toTick(INFY, TS));
    assertThrows(IllegalArgumentException.class, () -> RawTick.bySymbol(Exchange.NSE, "TCS", TS, "1", "1", 1, 1).toTick(INFY, TS));
  }

  private static void assertToTickError(RawTick r, String field, String detail) {
    FieldError e = assertThrows(FieldError.class, () -> r.toTick(INFY, TS));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.detail().contains(detail), e.getMessage());
  }

  @Test
  void unknownFieldsAreIgnoredWhateverTheirShape() {
    RawTick r = RawTickJson.parse("{\"venueExtra\":{\"a\":[1,{\"b\":[]}],\"c\":null},\"token\":408065,\"ts\":" + TS
        + ",\"x\":[[[]]],\"price\":\"2500.05\",\"qty\":\"10\",\"seq\":42,\"Price\":\"bad\",\"side\":null}");
    assertEquals(RawTickJson.parse(VALID), r);
  }

  @Test
  void symbolsAreUpperCasedAndMayHoldSpacesAmpersandsDotsDashes() {
    for (String s : new String[] {"NIFTY 50", "M&M", "BAJAJ-AUTO", "BRK.B", "NIFTY26AUG24000CE", "1000_SATS"}) {
      assertEquals(s, RawTick.bySymbol(Exchange.NSE, s.toLowerCase(), TS, "1", "1", 1, 1).symbol());
    }
  }

  static Stream<Arguments> badFields() {
    String rest = ",\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}";
    String tok = "{\"token\":1,";
    return Stream.of(
        Arguments.of("{\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "token", "required"),
        Arguments.of("{\"token\":0" + rest, "token", "positive"),
        Arguments.of("{\"token\":-3" + rest, "token", "negative"),
        Arguments.of("{\"token\":\"abc\"" + rest, "token", "non-negative integer"),
        Arguments.of("{\"token\":1.5" + rest, "token", "fractional"),
        Arguments.of("{\"token\":123456789012345678901234567890" + rest, "token", "out of range"),
        Arguments.of("{\"token\":1,\"exchange\":\"NSE\",\"symbol\":\"INFY\"" + rest, "token", "not both"),
        Arguments.of("{\"exchange\":\"NYSE\",\"symbol\":\"AAPL\"" + rest, "exchange", "unknown exchange"),
        Arguments.of("{\"exchange\":\"" + "X".repeat(500) + "\",\"symbol\":\"AAPL\"" + rest, "exchange", "500 chars"),
        Arguments.of("{\"exchange\":7,\"symbol\":\"AAPL\"" + rest, "exchange", "expected a string"),
        Arguments.of("{\"exchange\":\"NSE\"" + rest, "symbol", "required"),
        Arguments.of("{\"symbol\":\"INFY\"" + rest, "exchange", "required"),
        Arguments.of("{\"exchange\":\"NSE\",\"symbol\":\"  \"" + rest, "symbol", "blank"),
        Arguments.of("{\"exchange\":\"NSE\",\"symbol\":\"" + "A".repeat(65) + "\"" + rest, "symbol", "longer than 64"),
        Arguments.of("{\"exchange\":\"NSE\",\"symbol\":\"BTC:USDT\"" + rest, "symbol", "':' not allowed"),
        Arguments.of("{\"exchange\":\"NSE\",\"symbol\":\"BTC\\u0000\"" + rest, "symbol", "\\u0000"),
        Arguments.of("{\"exchange\":\"NSE\",\"symbol\":[\"INFY\"]" + rest, "symbol", "expected a string"),
        Arguments.of(tok + "\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "required"),
        Arguments.of(tok + "\"ts\":0,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "before 1980"),
        Arguments.of(tok + "\"ts\":-1,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "before 1980"),
        Arguments.of(tok + "\"ts\":1768448700123,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "milliseconds"),
        Arguments.of(tok + "\"ts\":1768448700,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "seconds"),
        Arguments.of(tok + "\"ts\":9000000000000000000,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "far in the future"),
        Arguments.of(tok + "\"ts\":\"2300-01-01T00:00:00Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "far in the future"),
        Arguments.of(tok + "\"ts\":\"+99999-01-01T00:00:00Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "far in the future"),
        Arguments.of(tok + "\"ts\":\"1970-01-01T00:00:01Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "before 1980"),
        Arguments.of(tok + "\"ts\":99999999999999999999,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "out of range"),
        Arguments.of(tok + "\"ts\":\"99999999999999999999\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "out of range"),
        Arguments.of(tok + "\"ts\":1.7e18,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "expected epoch nanoseconds"),
        Arguments.of(tok + "\"ts\":true,\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "a boolean"),
        Arguments.of(tok + "\"ts\":\"2026-01-15T03:45:00\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "Z or an offset"),
        Arguments.of(tok + "\"ts\":\"2026-01-15 03:45:00Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "ISO-8601"),
        Arguments.of(tok + "\"ts\":\"2026-01-15T03:45:00.1234567891Z\",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}", "ts", "ISO-8601"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"qty\":\"1\",\"seq\":1}", "price", "required"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":null,\"qty\":\"1\",\"seq\":1}", "price", "required"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"abc\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1.\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\".5\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"+1\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1.2.3\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\" 1\",\"qty\":\"1\",\"seq\":1}", "price", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1e5\",\"qty\":\"1\",\"seq\":1}", "price", "no exponent"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"-1\",\"qty\":\"1\",\"seq\":1}", "price", "negative"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"0.000\",\"qty\":\"1\",\"seq\":1}", "price", "positive"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1" + "0".repeat(70) + "\",\"qty\":\"1\",\"seq\":1}", "price", "too long"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":true,\"qty\":\"1\",\"seq\":1}", "price", "a boolean"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":{\"v\":1},\"qty\":\"1\",\"seq\":1}", "price", "an object"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":[1],\"qty\":\"1\",\"seq\":1}", "price", "an array"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"price\":\"2\",\"qty\":\"1\",\"seq\":1}", "price", "given twice"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"seq\":1}", "qty", "required"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"-0.5\",\"seq\":1}", "qty", "negative"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"ten\",\"seq\":1}", "qty", "not a plain decimal"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\"}", "seq", "seq\" and/or \"tradeId"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":-1}", "seq", "negative"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":\"x\"}", "seq", "non-negative integer"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":2.5}", "seq", "fractional"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":18446744073709551616}", "seq", "out of range"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"tradeId\":-5}", "tradeId", "negative"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"tradeId\":false}", "tradeId", "a boolean"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"side\":\"HOLD\"}", "side", "BUY or SELL"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"side\":1}", "side", "expected a string"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"feed\":\"replay\"}", "feed", "set by the platform"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"feed\":\"tertiary\"}", "feed", "primary or secondary"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"bid\":\"0\"}", "bid", "positive"),
        Arguments.of(tok + "\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1,\"ask\":\"x\"}", "ask", "not a plain decimal"),
        Arguments.of("[" + VALID + "]", "", "expected a raw tick object, got an array"),
        Arguments.of("42", "", "expected a raw tick object, got an integer"),
        Arguments.of("", "body", "empty"),
        Arguments.of(VALID + " {}", "body", "content after"),
        Arguments.of("{\"token\":1,", "body", "invalid JSON"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("badFields")
  void everyRefusalNamesItsField(String json, String field, String detail) {
    FieldError e = error(json);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.detail().contains(detail), () -> "'" + e.detail() + "' should contain '" + detail + "'");
    assertTrue(e.getMessage().length() < 400, "message stays short: " + e.getMessage().length());
  }

  @Test
  void theFirstBadFieldIsReportedAndTheObjectIsStillConsumed() throws Exception {
    String doc = "{\"ticks\":[{\"token\":-1,\"price\":{\"deep\":[1,2]},\"ts\":0,\"qty\":\"1\"}," + VALID + "],\"after\":true}";
    try (JsonParser p = RawTickJson.factory().createParser(doc)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      assertEquals("ticks", p.nextFieldName());
      assertEquals(JsonToken.START_ARRAY, p.nextToken());
      p.nextToken();
      FieldError first = assertThrows(FieldError.class, () -> RawTickJson.parse(p));
      assertEquals("token", first.field());
      assertEquals(JsonToken.END_OBJECT, p.currentToken());
      p.nextToken();
      assertEquals(RawTickJson.parse(VALID), RawTickJson.parse(p));
      assertEquals(JsonToken.END_OBJECT, p.currentToken());
      assertEquals(JsonToken.END_ARRAY, p.nextToken());
      assertEquals("after", p.nextFieldName());
    }
  }

  @Test
  void arrayReportsEachBadItemAndParsesTheOthers() {
    String bad = "{\"token\":408065,\"ts\":" + TS + ",\"price\":{\"nested\":[1,[2,{\"x\":3}]]},\"qty\":\"1\",\"seq\":2,\"extra\":[{}]}";
    String body = "[" + VALID + ",\n" + bad + ",\n" + VALID.replace("\"seq\":42", "\"seq\":43") + "]";
    List<RawTickJson.Item> items = RawTickJson.parseArray(body.getBytes(UTF_8), 10);
    assertEquals(3, items.size());
    assertTrue(items.get(0).ok());
    assertEquals(42, items.get(0).tick().seq());
    RawTickJson.Item second = items.get(1);
    assertFalse(second.ok());
    assertEquals(1, second.index());
    assertNull(second.tick());
    assertEquals("price", second.error().field());
    assertEquals(2, items.get(2).index());
    assertEquals(43, items.get(2).tick().seq());
  }

  @Test
  void arrayItemsThatAreNotObjectsAreRefusedOneByOne() {
    String body = "[" + VALID + ", [1, [2, [3]], {\"a\":{}}], \"text\", null, 7, " + VALID + "]";
    List<RawTickJson.Item> items = RawTickJson.parseArray(body.getBytes(UTF_8), 100);
    assertEquals(6, items.size());
    assertTrue(items.get(0).ok());
    for (int i = 1; i <= 4; i++) {
      assertEquals("", items.get(i).error().field());
      assertEquals(i, items.get(i).index());
    }
    assertTrue(items.get(1).error().detail().contains("an array"));
    assertTrue(items.get(5).ok());
  }

  @Test
  void bodyErrorsRefuseTheWholeRequest() {
    assertBodyError("", "empty");
    assertBodyError("   ", "empty");
    assertBodyError(VALID, "expected a JSON array of raw ticks, got an object");
    assertBodyError("[" + VALID + "," + VALID + "," + VALID + "]", "more than 2 items");
    assertBodyError("[] []", "content after the array");
    assertBodyError("[" + VALID, "invalid JSON");
    assertBodyError("[" + VALID + ",]", "invalid JSON");
    assertBodyError("[{\"token\":1 \"ts\":2}]", "invalid JSON");
    assertEquals(List.of(), RawTickJson.parseArray("[]".getBytes(UTF_8), 2));
    assertEquals(2, RawTickJson.parseArray(("[" + VALID + "," + VALID + "]").getBytes(UTF_8), 2).size());
  }

  private static FieldError assertBodyError(String body, String detail) {
    FieldError e = assertThrows(FieldError.class, () -> RawTickJson.parseArray(body.getBytes(UTF_8), 2));
    assertEquals("body", e.field(), e.getMessage());
    assertTrue(e.detail().contains(detail), () -> "'" + e.detail() + "' should contain '" + detail + "'");
    return e;
  }

  @Test
  void everyTruncationOfAValidBodyIsABodyError() {
    String body = "[" + VALID + ",{\"exchange\":\"BINANCE\",\"symbol\":\"BTCUSDT\",\"ts\":\"2026-01-15T03:45:00Z\","
        + "\"price\":1.5,\"qty\":\"2\",\"tradeId\":7,\"side\":\"BUY\",\"x\":[{\"y\":null}]}]";
    assertEquals(2, RawTickJson.parseArray(body.getBytes(UTF_8), 10).size());
    for (int len = 0; len < body.length(); len++) {
      byte[] prefix = body.substring(0, len).getBytes(UTF_8);
      FieldError e = assertThrows(FieldError.class, () -> RawTickJson.parseArray(prefix, 10), "prefix " + len);
      assertEquals("body", e.field(), "prefix " + len + ": " + e.getMessage());
    }
  }

  @Test
  void invalidUtf8IsAReportedBodyError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = "[{\"exchange\":\"NSE\",\"symbol\":\"IN".getBytes(UTF_8);
    out.write(head, 0, head.length);
    out.write(0xC3); // a two-byte lead followed by an ASCII byte
    out.write('(');
    byte[] tail = ("\",\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}]").getBytes(UTF_8);
    out.write(tail, 0, tail.length);
    FieldError e = assertThrows(FieldError.class, () -> RawTickJson.parseArray(out.toByteArray(), 10));
    assertEquals("body", e.field());
    assertTrue(e.detail().contains("UTF-8"), e.detail());
    byte[] lone = {'[', '"', (byte) 0xFF, '"', ']'};
    assertEquals("body", assertThrows(FieldError.class, () -> RawTickJson.parseArray(lone, 10)).field());
  }

  @Test
  void utf16AndUtf32DocumentsAreRefusedAndAUtf8ByteOrderMarkIsSkipped() {
    // found by RawTickJsonFuzzTest: Jackson detects the encoding of bytes, so a document starting with NUL bytes or a
    // UTF-16 byte order mark was read as UTF-16/32, and parse(byte[]) accepted what parse(String) refuses
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE,
        StandardCharsets.UTF_16BE, Charset.forName("UTF-32"), Charset.forName("UTF-32LE"))) {
      FieldError one = assertThrows(FieldError.class, () -> RawTickJson.parse(VALID.getBytes(cs)), cs.name());
      assertEquals("body", one.field());
      assertTrue(one.detail().contains("not UTF-8"), one.detail());
      assertEquals("body", assertThrows(FieldError.class, () -> RawTickJson.parseArray(("[" + VALID + "]").getBytes(cs), 10)).field());
    }
    byte[] crash = new byte[30]; // the fuzzer's input: '[', 26 NULs, "[^E"
    crash[0] = '[';
    crash[27] = '[';
    crash[28] = '^';
    crash[29] = 'E';
    assertEquals("body", assertThrows(FieldError.class, () -> RawTickJson.parse(crash)).field());
    byte[] bom = ("\uFEFF" + VALID).getBytes(UTF_8);
    assertEquals(RawTickJson.parse(VALID), RawTickJson.parse(bom), "RFC 8259 lets a parser ignore a UTF-8 byte order mark");
  }

  @Test
  void aTenMegabyteStringIsRefusedByTheReaderLimit() {
    String huge = "A".repeat(10 * 1024 * 1024);
    FieldError e = assertThrows(FieldError.class, () -> RawTickJson.parseArray(
        ("[{\"exchange\":\"NSE\",\"symbol\":\"" + huge + "\",\"ts\":" + TS + ",\"price\":\"1\",\"qty\":\"1\",\"seq\":1}]").getBytes(UTF_8), 10));
    assertEquals("body", e.field());
    assertTrue(e.detail().contains("exceeds the maximum"), e.detail());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
    FieldError price = error("{\"token\":1,\"ts\":" + TS + ",\"price\":\"" + "9".repeat(5000) + "\",\"qty\":\"1\",\"seq\":1}");
    assertEquals("body", price.field());
    FieldError number = error("{\"token\":1,\"ts\":" + TS + ",\"price\":" + "9".repeat(5000) + ",\"qty\":\"1\",\"seq\":1}");
    assertEquals("body", number.field());
  }

  @Test
  void deepNestingInAnUnknownFieldIsRefusedByTheReaderLimit() {
    String deep = "[".repeat(RawTickJson.MAX_DEPTH + 5) + "]".repeat(RawTickJson.MAX_DEPTH + 5);
    FieldError e = error("{\"x\":" + deep + "," + VALID.substring(1));
    assertEquals("body", e.field());
  }

  /** Seeded mutations of a valid body: each is either parsed (and then round-trips) or refused with a FieldError. */
  @Test
  void randomMutationsEitherParseOrFailWithFieldError() {
    String base = "[" + VALID + ",{\"exchange\":\"BINANCE\",\"symbol\":\"BTCUSDT\",\"ts\":\"2026-01-15T03:45:00.5+05:30\","
        + "\"price\":96500.01,\"qty\":\"0.0012\",\"tradeId\":4711,\"side\":\"SELL\",\"feed\":\"secondary\",\"bid\":\"96500\","
        + "\"ask\":\"96500.02\",\"meta\":{\"a\":[1,2,{\"b\":null}]}}," + VALID.replace("42", "43") + "]";
    String[] fragments = {"{", "}", "[", "]", ",", ":", "\"", "-", "0", "9999999999999999999999", "1e9", ".", "null",
        "true", "\\u0000", "\\", " ", "\"ts\":", "\"price\":", "\"seq\":", "\"token\":", "\"exchange\":\"NSE\"", "é"};
    Random random = new Random(20260115L);
    int parsedItems = 0;
    int refusedItems = 0;
    int bodyErrors = 0;
    for (int round = 0; round < 5_000; round++) {
      byte[] bytes = mutate(base.getBytes(UTF_8), fragments, random);
      try {
        for (RawTickJson.Item item : RawTickJson.parseArray(bytes, 10)) {
          if (item.ok()) {
            parsedItems++;
            assertEquals(item.tick(), RawTickJson.parse(RawTickJson.write(item.tick())), "round trip");
          } else {
            refusedItems++;
          }
        }
      } catch (FieldError e) {
        bodyErrors++;
        assertEquals("body", e.field(), e.getMessage());
      } catch (RuntimeException e) {
        fail("round " + round + ": " + e + " on " + new String(bytes, UTF_8), e);
      }
      try {
        RawTickJson.parse(bytes);
      } catch (FieldError expected) {
        // refused: fine
      } catch (RuntimeException e) {
        fail("round " + round + " (single): " + e + " on " + new String(bytes, UTF_8), e);
      }
    }
    assertTrue(parsedItems > 1_000 && refusedItems > 100 && bodyErrors > 500,
        "mutations reach every outcome: parsed " + parsedItems + ", refused " + refusedItems + ", body " + bodyErrors);
  }

  private static byte[] mutate(byte[] base, String[] fragments, Random random) {
    List<Byte> b = new ArrayList<>(base.length + 16);
    for (byte x : base) b.add(x);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(b.size());
      switch (random.nextInt(4)) {
        case 0 -> b.remove(at);
        case 1 -> b.set(at, (byte) random.nextInt(256));
        case 2 -> {
          byte[] f = fragments[random.nextInt(fragments.length)].getBytes(UTF_8);
          for (int k = f.length - 1; k >= 0; k--) b.add(at, f[k]);
        }
        default -> {
          int len = Math.min(b.size() - at, 1 + random.nextInt(20));
          for (int k = 0; k < len; k++) b.remove(at);
        }
      }
      if (b.isEmpty()) break;
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) out[i] = b.get(i);
    return out;
  }
}
