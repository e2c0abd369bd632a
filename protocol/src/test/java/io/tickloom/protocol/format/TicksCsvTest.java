package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicksCsvTest {
  private static List<Tick> readAll(TicksCsv reader) {
    List<Tick> ticks = new ArrayList<>();
    for (Tick t = reader.next(); t != null; t = reader.next()) ticks.add(t);
    return ticks;
  }

  private static List<Tick> readAll(String text) {
    return readAll(new TicksCsv(new StringReader(text), "ticks.csv", new Scales(2, 0)));
  }

  @Test
  void epochNanosAndIsoTimestampsAreAccepted() {
    List<Tick> ticks = readAll("""
        token,exchangeTs,price,qty,seq,tradeId
        256265,1768448701500000000,23100.05,0,1
        256265,2026-01-15T09:15:01.5+05:30,23100.1,3,2,77
        256265,2026-01-15T03:45:01.500000001Z,23100,3,3,
        """);
    assertEquals(3, ticks.size());
    assertEquals(1_768_448_701_500_000_000L, ticks.get(0).exchangeTs());
    assertEquals(1_768_448_701_500_000_000L, ticks.get(1).exchangeTs());
    assertEquals(1_768_448_701_500_000_001L, ticks.get(2).exchangeTs());
    assertEquals(2_310_005L, ticks.get(0).price());
    assertEquals(Tick.NO_TRADE_ID, ticks.get(0).tradeId());
    assertEquals(77, ticks.get(1).tradeId());
    assertEquals(Tick.NO_TRADE_ID, ticks.get(2).tradeId());
    assertEquals(2, ticks.get(1).seq());
    assertEquals(Feed.IMPORT, ticks.get(1).feed());
    assertNull(ticks.get(1).side());
  }

  @Test
  void scalesComeFromTheTokenLookup() {
    TicksCsv reader = new TicksCsv(new StringReader("1,1000,1.5,2.25,1\n2,1000,1.5,2,2\n3,1000,1,1,3\n"), "t.csv",
        token -> token == 1 ? new Scales(8, 8) : token == 2 ? new Scales(2, 0) : null);
    assertEquals(150_000_000L, reader.next().price());
    Tick second = reader.next();
    assertEquals(150, second.price());
    assertEquals(2, second.qty());
    FormatException e = assertThrows(FormatException.class, reader::next);
    assertEquals(3, e.line());
    assertEquals("unknown token 3", e.reason());
  }

  @Test
  void malformedRowsAreReportedWithLineAndReason() {
    assertEquals(2, assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,1\n1,1000,1.5,1\n")).line());
    FormatException ts = assertThrows(FormatException.class, () -> readAll("token,exchangeTs,price,qty,seq\n1,yesterday,1.5,1,1\n"));
    assertEquals(2, ts.line());
    assertTrue(ts.reason().startsWith("exchangeTs:"), ts.reason());
    FormatException local = assertThrows(FormatException.class, () -> readAll("1,2026-01-15T09:15:00,1.5,1,1\n"));
    assertTrue(local.reason().contains("ISO-8601 with offset"), local.reason());
    assertTrue(assertThrows(FormatException.class, () -> readAll("1,1000,1.555,1,1\n")).reason().startsWith("price:"));
    assertTrue(assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1.5,1\n")).reason().startsWith("qty:"));
    assertTrue(assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,x\n")).reason().startsWith("seq:"));
    // a negative seq is no sequence number; -1 without a trade id made a tick with neither (Tick.NO_SEQ needs a trade id)
    assertEquals("seq must not be negative: -3", assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,-3,7\n")).reason());
    assertEquals("seq must not be negative: -1", assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,-1\n")).reason());
    assertTrue(assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,1,t9\n")).reason().startsWith("tradeId:"));
    assertTrue(assertThrows(FormatException.class, () -> readAll("1,1000,1.5,1,1,9,9\n")).reason().contains("more than 6 fields"));
    assertTrue(assertThrows(FormatException.class, () -> readAll("symbol,ts\n")).reason().contains("header"));
  }

  @Test
  void windowsLineEndsAreAccepted() {
    assertEquals(2, readAll("token,exchangeTs,price,qty,seq\r\n1,1000,1.5,1,1\r\n1,2000,1.5,1,2\r\n").size());
  }
}
