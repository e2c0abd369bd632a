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

class BinanceAggTradesTest {
  private static final Scales S8 = Scales.BINANCE_SPOT;

  private static List<Tick> readAll(String text) {
    BinanceAggTrades reader = new BinanceAggTrades(new StringReader(text), "agg.csv", 9, S8);
    List<Tick> ticks = new ArrayList<>();
    for (Tick t = reader.next(); t != null; t = reader.next()) ticks.add(t);
    return ticks;
  }

  private static FormatException error(String text) {
    return assertThrows(FormatException.class, () -> readAll(text));
  }

  @Test
  void rowBecomesTickWithAggregateIdAsTradeIdAndSeq() {
    List<Tick> ticks = readAll("""
        agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match
        26129,4261.48000000,0.10000000,27781,27781,1502942428322,True,True
        26130,4261.48000000,0.07518300,27782,27785,1735689600123456,false,true
        """);
    assertEquals(2, ticks.size());
    assertEquals(new Tick(9, 1_502_942_428_322_000_000L, 1_502_942_428_322_000_000L, 426_148_000_000L, 10_000_000L, 26129, 26129,
        Feed.IMPORT, Side.SELL, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE), ticks.get(0));
    Tick second = ticks.get(1);
    assertEquals(Side.BUY, second.side());
    assertEquals(26130, second.seq());
    assertEquals(1_735_689_600_123_456_000L, second.exchangeTs(), "microseconds as in binance-trades");
    assertEquals(7_518_300L, second.qty());
  }

  @Test
  void futuresFilesWithoutBestMatchAndBlankLinesAreAccepted() {
    List<Tick> ticks = readAll("a,p,q,f,l,T,m\n\n1,2.5,1,10,12,1000,False\r\n");
    assertEquals(1, ticks.size());
    assertEquals(250_000_000L, ticks.get(0).price());
    assertTrue(readAll("").isEmpty());
    assertTrue(readAll("agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\n").isEmpty());
  }

  @Test
  void badRowsAreRefusedWithLineAndReason() {
    String ok = "1,1.0,1.0,1,1,1000,True,True\n";
    assertTrue(error("x,1.0,1.0,1,1,1000,True,True\n").reason().contains("header starting with 'agg_trade_id'"));
    FormatException count = error(ok + "2,1.0,1.0,1,1,1000\n");
    assertEquals(2, count.line());
    assertEquals("agg.csv", count.source());
    assertTrue(count.reason().contains("expected 7 to 8 fields"), count.reason());
    assertTrue(error(ok + "2,1.0,1.0,1,1,1000,True,True,x\n").reason().contains("more than 8 fields"));
    assertTrue(error(ok + "2,abc,1.0,1,1,1000,True,True\n").reason().startsWith("price:"));
    assertTrue(error(ok + "2,1.000000001,1.0,1,1,1000,True,True\n").reason().contains("more than 8 decimals"));
    assertTrue(error(ok + "2,1.0,-1.0,1,1,1000,True,True\n").reason().startsWith("quantity must not be negative"));
    assertTrue(error(ok + "-2,1.0,1.0,1,1,1000,True,True\n").reason().startsWith("agg_trade_id must not be negative"));
    assertTrue(error(ok + "2,1.0,1.0,-1,1,1000,True,True\n").reason().startsWith("first_trade_id must not be negative"));
    assertTrue(error(ok + "2,1.0,1.0,5,4,1000,True,True\n").reason().startsWith("first_trade_id 5 after last_trade_id 4"));
    assertTrue(error(ok + "2,1.0,1.0,1,x,1000,True,True\n").reason().startsWith("last_trade_id:"));
    assertTrue(error(ok + "2,1.0,1.0,1,1,-1,True,True\n").reason().startsWith("transact_time must not be negative"));
    assertTrue(error(ok + "2,1.0,1.0,1,1,99999999999999999,True,True\n").reason().startsWith("transact_time out of range"));
    assertTrue(error(ok + "2,1.0,1.0,1,1,1000,maybe,True\n").reason().startsWith("is_buyer_maker:"));
    assertTrue(error(ok + "2,1.0,1.0,1,1,1000,True,\n").reason().startsWith("is_best_match:"));
  }

  @Test
  void rowsBeforeTheMalformedOneAreDelivered() {
    BinanceAggTrades reader = new BinanceAggTrades(new StringReader("1,1.0,1.0,1,1,1000,True,True\n2,1.0,1.0,2,1,1000,True,True\n"), 1, S8);
    assertEquals(1, reader.next().tradeId());
    FormatException e = assertThrows(FormatException.class, reader::next);
    assertNull(e.source());
    assertEquals("line 2: first_trade_id 2 after last_trade_id 1", e.getMessage());
    assertNull(reader.next());
  }
}
