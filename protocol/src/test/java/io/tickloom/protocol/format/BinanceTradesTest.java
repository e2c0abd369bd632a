package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinanceTradesTest {
  private static final Scales S8 = Scales.BINANCE_SPOT;

  private static List<Tick> readAll(String text) {
    BinanceTrades reader = new BinanceTrades(new StringReader(text), "trades.csv", 9, S8);
    List<Tick> ticks = new ArrayList<>();
    for (Tick t = reader.next(); t != null; t = reader.next()) ticks.add(t);
    return ticks;
  }

  private static FormatException error(String text) {
    return assertThrows(FormatException.class, () -> readAll(text));
  }

  @Test
  void rowBecomesTickWithTradeIdAsSeqAndTakerSide() {
    List<Tick> ticks = readAll("""
        0,4261.48000000,0.10000000,426.14800000,1502942428322,True,True
        2,4261.48000000,0.07518300,320.39085084,1502942432322,False,True
        """);
    assertEquals(new Tick(9, 1_502_942_428_322_000_000L, 1_502_942_428_322_000_000L, 426_148_000_000L, 10_000_000L, 0, 0,
        Feed.IMPORT, Side.SELL, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE), ticks.get(0));
    Tick second = ticks.get(1);
    assertEquals(Side.BUY, second.side());
    assertEquals(2, second.seq());
    assertEquals(2, second.tradeId());
    assertEquals(7_518_300L, second.qty());
  }

  @Test
  void timeAboveTenToTheFourteenIsMicroseconds() {
    assertEquals(1_735_689_600_123_456_000L, readAll("1,1.0,1.0,1.0,1735689600123456,true,true\n").get(0).exchangeTs());
    assertEquals(1_735_689_600_123_000_000L, readAll("1,1.0,1.0,1.0,1735689600123,true,true\n").get(0).exchangeTs());
    assertEquals(9_000_000_000_000L * 1_000_000L, BinanceTrades.epochNanos(9_000_000_000_000L)); // year 2255 in ms
    assertEquals((BinanceTrades.MICROS_ABOVE + 1) * 1_000L, BinanceTrades.epochNanos(BinanceTrades.MICROS_ABOVE + 1));
  }

  @Test
  void headerLineAndBlankLinesAreTolerated() {
    List<Tick> ticks = readAll("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n\n5,2.5,1,2.5,1000,False,True\n\n");
    assertEquals(1, ticks.size());
    assertEquals(250_000_000L, ticks.get(0).price());
  }

  @Test
  void headerOnlyFileHasNoTicks() {
    assertTrue(readAll("id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch\n").isEmpty());
    assertTrue(readAll("").isEmpty());
  }

  @Test
  void wrongFieldCountIsReportedWithLineNumber() {
    FormatException e = error("1,1.0,1.0,1.0,1000,True,True\n2,1.0,1.0,1.0,1000,True\n");
    assertEquals(2, e.line());
    assertEquals("trades.csv", e.source());
    assertTrue(e.reason().contains("expected 7 fields"), e.reason());
  }

  @Test
  void blankLinesCountTowardsLineNumbers() {
    FormatException e = error("1,1.0,1.0,1.0,1000,True,True\n\n\n2,1.0x,1.0,1.0,1000,True,True\n");
    assertEquals(4, e.line());
    assertTrue(e.reason().startsWith("price:"), e.reason());
  }

  @Test
  void moreDecimalsThanScaleIsRefused() {
    FormatException e = error("1,1.000000001,1.0,1.0,1000,True,True\n");
    assertEquals(1, e.line());
    assertTrue(e.reason().contains("more than 8 decimals"), e.reason());
  }

  @Test
  void badFieldsAreRefusedWithTheirName() {
    assertTrue(error("x1,1.0,1.0,1.0,1000,True,True\n").reason().contains("header"));
    assertTrue(error("1,1.0,1.0,1.0,10a0,True,True\n").reason().startsWith("time:"));
    assertTrue(error("1,1.0,1.0,1.0,1000,yes,True\n").reason().startsWith("isBuyerMaker:"));
    assertTrue(error("1,1.0,1.0,1.0,1000,True,\n").reason().startsWith("isBestMatch:"));
    assertTrue(error("1,1.0,1.0,1..0,1000,True,True\n").reason().startsWith("quoteQty:"));
    assertTrue(error("1,1.0,-1.0,1.0,1000,True,True\n").reason().startsWith("qty must not be negative"));
    assertTrue(error("1,1.0,1.0,1.0,-5,True,True\n").reason().startsWith("time must not be negative"));
    assertTrue(error("1,1.0,1.0,1.0,99999999999999999,True,True\n").reason().startsWith("time out of range"));
  }

  @Test
  void rowsBeforeTheMalformedOneAreDeliveredAndNoPartOfItIs() {
    BinanceTrades reader = new BinanceTrades(new StringReader("1,1.0,1.0,1.0,1000,True,True\n2,1.0,1.0,1.0,1000,True,Nope\n"), 1, S8);
    Tick first = reader.next();
    assertEquals(1, first.seq());
    assertEquals(1, reader.line());
    FormatException e = assertThrows(FormatException.class, reader::next);
    assertNull(e.source());
    assertEquals("line 2: isBestMatch: expected True or False, got 'Nope'", e.getMessage());
  }
}
