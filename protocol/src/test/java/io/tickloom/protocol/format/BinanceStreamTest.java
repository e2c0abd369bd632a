package io.tickloom.protocol.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.format.BinanceStream.BinanceTrade;
import io.tickloom.protocol.format.BinanceStream.Ignored;
import io.tickloom.protocol.format.BinanceStream.Message;
import io.tickloom.protocol.format.BinanceStream.Trade;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BinanceStreamTest {
  private static final String TRADE =
      "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,\"p\":\"0.001\",\"q\":\"100\",\"T\":1672515782134,\"m\":true,\"M\":true}";
  private static final String AGG = "{\"e\":\"aggTrade\",\"E\":1633998523963,\"s\":\"NKNUSDT\",\"a\":15683430,\"p\":\"0.35280000\","
      + "\"q\":\"58.00000000\",\"f\":19862790,\"l\":19862792,\"T\":1633998523962,\"m\":false,\"M\":true}";

  private static BinanceTrade trade(String text) {
    return assertInstanceOf(Trade.class, BinanceStream.parse(text)).trade();
  }

  private static String ignored(String text) {
    return assertInstanceOf(Ignored.class, BinanceStream.parse(text)).eventType();
  }

  @Test
  void tradeEventBecomesATradeWithItsIdAsFirstAndLast() {
    assertEquals(new BinanceTrade("BNBBTC", false, 12345, 12345, 12345, "0.001", "100", 1672515782134L, 1672515782136L, true),
        trade(TRADE));
  }

  @Test
  void aggTradeEventCarriesAggregateAndTradeIdRange() {
    assertEquals(new BinanceTrade("NKNUSDT", true, 15683430, 19862790, 19862792, "0.35280000", "58.00000000", 1633998523962L,
        1633998523963L, false), trade(AGG));
  }

  @Test
  void combinedStreamWrapperInEitherFieldOrderAndEventTypeLast() {
    BinanceTrade direct = trade(AGG);
    assertEquals(direct, trade("{\"stream\":\"nknusdt@aggTrade\",\"data\":" + AGG + "}"));
    assertEquals(direct, trade("{\"data\":" + AGG + ",\"stream\":\"nknusdt@aggTrade\"}"));
    String typeLast = "{\"s\":\"NKNUSDT\",\"a\":15683430,\"p\":\"0.35280000\",\"q\":\"58.00000000\",\"f\":19862790,"
        + "\"l\":19862792,\"T\":1633998523962,\"m\":false,\"E\":1633998523963,\"e\":\"aggTrade\"}";
    assertEquals(direct, trade("{\"data\":" + typeLast + ",\"stream\":\"nknusdt@aggTrade\"}"));
    assertEquals(direct, trade(typeLast));
  }

  @Test
  void olderTradeEventsWithOrderIdsInAAndBAreStillTrades() {
    String withOrderIds = TRADE.replace("\"m\":true", "\"b\":88,\"a\":50,\"m\":true");
    assertEquals(trade(TRADE), trade(withOrderIds));
  }

  @Test
  void theStreamNameTypesAnEventWithoutE() {
    String noE = AGG.replace("\"e\":\"aggTrade\",", "");
    assertEquals(trade(AGG), trade("{\"stream\":\"nknusdt@aggTrade\",\"data\":" + noE + "}"));
    assertEquals("bookTicker", ignored("{\"stream\":\"xemusdt@bookTicker\",\"data\":{\"u\":542937457,\"s\":\"XEMUSDT\","
        + "\"b\":\"0.04100000\",\"B\":\"485240.00000000\",\"a\":\"0.04110000\",\"A\":\"44994.00000000\"}}"));
  }

  @Test
  void otherEventsAndRepliesAreIgnoredNotErrors() {
    assertEquals("depthUpdate", ignored("{\"stream\":\"nknusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1633998512068,"
        + "\"s\":\"NKNUSDT\",\"U\":499869750,\"u\":499869752,\"b\":[[\"0.35130000\",\"6195.00000000\"]],\"a\":[]}}"));
    assertEquals("kline", ignored("{\"e\":\"kline\",\"E\":1,\"s\":\"BTCUSDT\",\"k\":{\"t\":1,\"T\":2,\"s\":\"BTCUSDT\",\"i\":\"1m\","
        + "\"o\":\"1\",\"x\":false}}"));
    assertEquals("24hrTicker", ignored("{\"e\":\"24hrTicker\",\"E\":1,\"s\":\"BTCUSDT\",\"p\":\"-1.5\"}"));
    assertEquals("bookTicker", ignored("{\"e\":\"bookTicker\",\"u\":600859600576,\"s\":\"SUSHIUSDT\",\"b\":\"7.6110\"}"));
    assertEquals("result", ignored("{\"result\":null,\"id\":1}"));
    assertEquals("result", ignored("{\"id\":2,\"result\":[\"btcusdt@aggTrade\"]}"));
    assertEquals("error", ignored("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":3}"));
    assertEquals("miniTicker@arr", ignored("{\"stream\":\"!miniTicker@arr\",\"data\":[{\"e\":\"24hrMiniTicker\"}]}"));
    assertEquals("unknown", ignored("{\"u\":1,\"s\":\"XEMUSDT\",\"b\":\"0.041\"}"));
    assertEquals("unknown", ignored("{}"));
  }

  @Test
  void toTickTakesTheTakerSideTradeTimeAndIdAsSeq() {
    Tick sold = trade(AGG.replace("\"m\":false", "\"m\":true")).toTick(77, 8, 8, 5L, Feed.PRIMARY);
    assertEquals(new Tick(77, 1_633_998_523_962_000_000L, 5L, 35_280_000L, 5_800_000_000L, 15683430, 15683430, Feed.PRIMARY,
        Side.SELL, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE), sold);
    Tick bought = trade(AGG).toTick(77, 4, 0, 5L, Feed.SECONDARY);
    assertEquals(Side.BUY, bought.side());
    assertEquals(3_528L, bought.price());
    assertEquals(58L, bought.qty());
    assertEquals(Feed.SECONDARY, bought.feed());
    assertEquals(1_672_515_782_134_567_000L,
        trade(TRADE.replace("1672515782134", "1672515782134567")).toTick(1, 8, 8, 0, Feed.PRIMARY).exchangeTs(),
        "T in microseconds (timeUnit=MICROSECOND)");
  }

  @Test
  void toTickRefusesMoreDecimalsThanTheScale() {
    FieldError p = assertThrows(FieldError.class, () -> trade(AGG).toTick(1, 3, 8, 0, Feed.PRIMARY));
    assertEquals("p", p.field());
    assertTrue(p.detail().contains("more than 3 decimals") && p.detail().contains("NKNUSDT"), p.detail());
    FieldError q = assertThrows(FieldError.class, () -> trade(AGG.replace("58.00000000", "58.5")).toTick(1, 8, 0, 0, Feed.PRIMARY));
    assertEquals("q", q.field());
  }

  @Test
  void scaleForIsAtLeastEightAndCoversTheWrittenDecimals() {
    assertEquals(8, BinanceStream.scaleFor("0.35280000"));
    assertEquals(8, BinanceStream.scaleFor("427.91"));
    assertEquals(8, BinanceStream.scaleFor("1"));
    assertEquals(9, BinanceStream.scaleFor("0.123456789"));
    assertEquals(10, BinanceStream.scaleFor("0.0000000001000"));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(TRADE.replace("\"p\":\"0.001\",", ""), "p", "required in trade"),
        Arguments.of(TRADE.replace("\"p\":\"0.001\"", "\"p\":\"abc\""), "p", "not a plain decimal"),
        Arguments.of(TRADE.replace("\"p\":\"0.001\"", "\"p\":\"0\""), "p", "positive"),
        Arguments.of(TRADE.replace("\"p\":\"0.001\"", "\"p\":[\"1\"]"), "p", "required"),
        Arguments.of(TRADE.replace("\"q\":\"100\"", "\"q\":\"-1\""), "q", "negative"),
        Arguments.of(TRADE.replace("\"q\":\"100\",", ""), "q", "required"),
        Arguments.of(TRADE.replace("\"t\":12345,", ""), "t", "required in trade"),
        Arguments.of(TRADE.replace("\"t\":12345", "\"t\":\"12345\""), "t", "integer"),
        Arguments.of(TRADE.replace("\"t\":12345", "\"t\":-2"), "t", "negative"),
        Arguments.of(TRADE.replace("\"t\":12345", "\"t\":123456789012345678901234567890"), "t", "within int64"),
        Arguments.of(TRADE.replace("\"s\":\"BNBBTC\",", ""), "s", "required"),
        Arguments.of(TRADE.replace("\"s\":\"BNBBTC\"", "\"s\":\" \""), "s", "blank"),
        Arguments.of(TRADE.replace("\"s\":\"BNBBTC\"", "\"s\":\"BNB:BTC\""), "s", "not allowed"),
        Arguments.of(TRADE.replace("\"T\":1672515782134,", ""), "T", "required"),
        Arguments.of(TRADE.replace("\"E\":1672515782136,", ""), "E", "required"),
        // found by BinanceStreamFuzzTest: 16729515782134 ms (year 2500) overflowed toTick's nanoseconds (ArithmeticException)
        Arguments.of(TRADE.replace("\"T\":1672515782134", "\"T\":16729515782134"), "T", "out of range"),
        Arguments.of(TRADE.replace("\"T\":1672515782134", "\"T\":9223372036854775807"), "T", "out of range"),
        Arguments.of(TRADE.replace("\"m\":true", "\"m\":\"true\""), "m", "true or false"),
        Arguments.of(TRADE.replace("\"m\":true,", ""), "m", "required"),
        Arguments.of(AGG.replace("\"a\":15683430,", ""), "a", "required in aggTrade"),
        Arguments.of(AGG.replace("\"f\":19862790,", ""), "f", "required"),
        Arguments.of(AGG.replace("\"l\":19862792,", ""), "l", "required"),
        Arguments.of(AGG.replace("\"f\":19862790", "\"f\":19862799"), "f", "after last trade id"),
        Arguments.of("{\"stream\":\"btcusdt@aggTrade\"}", "data", "required"),
        Arguments.of("{\"stream\":\"btcusdt@trade\",\"data\":[1,2]}", "data", "another type"),
        Arguments.of("", "body", "expected a JSON object"),
        Arguments.of("[" + TRADE + "]", "body", "got an array"),
        Arguments.of("\"trade\"", "body", "got a string"),
        Arguments.of(TRADE + TRADE, "body", "content after"),
        Arguments.of(TRADE.substring(0, 40), "body", "invalid JSON"),
        Arguments.of("{\"e\":\"trade\",\"s\":\"" + "X".repeat(5000) + "\"}", "body", "exceeds the maximum"),
        Arguments.of("not json", "body", "invalid JSON"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("malformed")
  void malformedTradesAndDocumentsNameTheField(String text, String field, String detail) {
    FieldError e = assertThrows(FieldError.class, () -> BinanceStream.parse(text));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.detail().contains(detail), () -> "'" + e.detail() + "' should contain '" + detail + "'");
    FieldError bytes = assertThrows(FieldError.class, () -> BinanceStream.parse(text.getBytes(UTF_8)));
    assertEquals(e.field(), bytes.field(), bytes.getMessage());
  }

  @Test
  void utf16AndUtf32MessagesAreRefused() {
    for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
        Charset.forName("UTF-32"))) {
      FieldError e = assertThrows(FieldError.class, () -> BinanceStream.parse(TRADE.getBytes(cs)), cs.name());
      assertEquals("body", e.field());
      assertTrue(e.detail().contains("not UTF-8"), e.detail());
    }
    assertEquals(trade(TRADE), ((Trade) BinanceStream.parse(("\uFEFF" + TRADE).getBytes(UTF_8))).trade());
  }

  @Test
  void randomMutationsEitherParseOrFailWithFieldError() {
    String[] bases = {
        "{\"stream\":\"nknusdt@aggTrade\",\"data\":" + AGG + "}",
        "{\"data\":" + TRADE + ",\"stream\":\"bnbbtc@trade\"}",
        "{\"stream\":\"nknusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"NKNUSDT\",\"U\":4,\"u\":5,"
            + "\"b\":[[\"0.35\",\"6195.0\"]],\"a\":[[\"0.36\",\"1\"]]}}"};
    String[] fragments = {"{", "}", "[", "]", ",", ":", "\"", "-", "0", "1e9", "null", "true", "\"e\":", "\"a\":",
        "\"aggTrade\"", "99999999999999999999999", "\\u00e9"};
    Random random = new Random(42L);
    int trades = 0;
    int ignored = 0;
    int refused = 0;
    for (int round = 0; round < 6_000; round++) {
      StringBuilder sb = new StringBuilder(bases[round % bases.length]);
      for (int edit = 0, edits = 1 + random.nextInt(3); edit < edits && sb.length() > 0; edit++) {
        int at = random.nextInt(sb.length());
        switch (random.nextInt(3)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, fragments[random.nextInt(fragments.length)]);
          default -> sb.setCharAt(at, (char) (32 + random.nextInt(95)));
        }
      }
      try {
        Message m = BinanceStream.parse(sb.toString());
        if (m instanceof Trade t) {
          trades++;
          t.trade().toTick(1, 12, 12, 0, Feed.PRIMARY); // a parsed trade converts at a wide scale, or names p/q
        } else {
          ignored++;
        }
      } catch (FieldError e) {
        refused++;
      } catch (RuntimeException e) {
        fail("round " + round + ": " + e + " on " + sb, e);
      }
    }
    assertTrue(trades > 200 && ignored > 200 && refused > 200, "trades " + trades + ", ignored " + ignored + ", refused " + refused);
  }
}
