package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class LobsterMessagesTest {
  private static LobsterMessages reader(String text) {
    return new LobsterMessages(new StringReader(text), "m.csv");
  }

  private static FormatException error(String text) {
    LobsterMessages r = reader(text);
    return assertThrows(FormatException.class, () -> {
      while (r.next()) {
        // read to the bad row
      }
    });
  }

  @Test
  void rowsAreReadExactlyWithTimeInNanoseconds() {
    LobsterMessages r = reader("34200.004241176,1,16113575,18,5853300,1\n\n34200.1,4,16113575,18,5853300,-1\n"
        + "36023,7,0,0,-1,-1\n");
    assertTrue(r.next());
    assertEquals(34_200_004_241_176L, r.timeNanos());
    assertEquals(LobsterMessages.SUBMIT, r.type());
    assertEquals(16113575, r.orderId());
    assertEquals(18, r.size());
    assertEquals(5853300, r.price());
    assertEquals(1, r.direction());
    assertEquals(Side.BUY, r.side());
    assertTrue(r.next());
    assertEquals(3, r.line());
    assertEquals(34_200_100_000_000L, r.timeNanos());
    assertEquals(Side.SELL, r.side());
    assertTrue(r.next());
    assertEquals(LobsterMessages.HALT, r.type());
    assertEquals(-1, r.price());
    assertFalse(r.next());
  }

  @Test
  void moreThanNineDecimalsRoundToTheNanosecond() {
    LobsterMessages r = reader("43002.632812672004,3,134172772,100,2238700,-1\n43002.6328126725,3,1,1,1,-1\n");
    assertTrue(r.next());
    assertEquals(43_002_632_812_672L, r.timeNanos());
    assertTrue(r.next());
    assertEquals(43_002_632_812_673L, r.timeNanos());
  }

  @Test
  void aHeaderLineIsTolerated() {
    LobsterMessages r = reader("time,type,orderId,size,price,direction\n1.5,5,0,10,100,-1\n");
    assertTrue(r.next());
    assertEquals(LobsterMessages.EXECUTE_HIDDEN, r.type());
    assertEquals(2, r.line());
  }

  @Test
  void malformedRowsAreReportedWithLineAndReason() {
    FormatException e = error("1.0,1,1,10,100,1\n1.0,1,1,10,100\n");
    assertEquals("m.csv", e.source());
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("expected 6 fields"), e.reason());
    assertTrue(error("1.0,8,1,10,100,1\n").reason().startsWith("type: expected 1 to 7"));
    assertTrue(error("1.0,1,1,10,100,0\n").reason().startsWith("direction:"));
    assertTrue(error("1.0,1,1,0,100,1\n").reason().startsWith("size must be positive"));
    assertTrue(error("1.0,3,1,10,0,1\n").reason().startsWith("price must be positive"));
    assertTrue(error("1.0,5,1,-1,100,1\n").reason().startsWith("size must not be negative"));
    assertTrue(error("1.0,7,0,0,2,-1\n").reason().contains("type 7"));
    assertTrue(error("-1.0,1,1,10,100,1\n").reason().startsWith("time must not be negative"));
    // more than 9 decimals and beyond the nanosecond range: read as 1 ns (the long wrapped) or called negative
    assertEquals("time: out of range: '18446744073.7095516170'", error("18446744073.7095516170,1,1,10,100,1\n").reason());
    assertEquals("time: out of range: '9223372037.8547758080'", error("9223372037.8547758080,1,1,10,100,1\n").reason());
    assertTrue(error("1.0x,1,1,10,100,1\n").reason().startsWith("time:"));
    assertTrue(error("1.0,1,-4,10,100,1\n").reason().startsWith("orderId must not be negative"));
    assertTrue(error("1.0,1,1,ten,100,1\n").reason().startsWith("size:"));
    assertTrue(error("1.0,1,1,10,58.53,1\n").reason().startsWith("price:"));
    assertTrue(error("when,what\n").reason().contains("header"));
  }
}
