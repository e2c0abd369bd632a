package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class LobsterOrderbookTest {
  private static FormatException error(int levels, String text) {
    LobsterOrderbook r = new LobsterOrderbook(new StringReader(text), "ob.csv", levels);
    return assertThrows(FormatException.class, () -> {
      while (r.next()) {
        // read to the bad row
      }
    });
  }

  @Test
  void rowsWithPaddingAreReadAndLevelsInferred() {
    LobsterOrderbook r = new LobsterOrderbook(new StringReader(
        "5802300,100,5794000,496,5804300,50,-9999999999,0\n9999999999,0,5794000,1,9999999999,0,-9999999999,0\n"), "ob.csv", 0);
    assertTrue(r.next());
    assertEquals(2, r.levels());
    assertEquals(2, r.askLevels());
    assertEquals(1, r.bidLevels());
    assertEquals(5804300, r.askPrice(1));
    assertEquals(50, r.askSize(1));
    assertEquals(5794000, r.bidPrice(0));
    assertEquals(LobsterOrderbook.EMPTY_BID_PRICE, r.bidPrice(1));
    assertTrue(r.next());
    assertEquals(0, r.askLevels());
    assertEquals(LobsterOrderbook.EMPTY_ASK_PRICE, r.askPrice(0));
    assertFalse(r.next());
  }

  @Test
  void malformedRowsAreReportedWithLineAndReason() {
    FormatException e = error(1, "100,1,99,1\n100,1,99\n");
    assertEquals("ob.csv", e.source());
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("expected 4 fields"), e.reason());
    assertTrue(error(0, "100,1,99\n").reason().contains("4 fields per level"));
    assertTrue(error(1, "100,0,99,1\n").reason().contains("positive size"));
    assertTrue(error(1, "9999999999,5,99,1\n").reason().contains("must have size 0"));
    assertTrue(error(2, "9999999999,0,99,1,100,1,98,1\n").reason().contains("occupied after an empty level"));
    assertTrue(error(2, "101,1,99,1,100,1,98,1\n").reason().startsWith("askPrice2:"));
    assertTrue(error(2, "100,1,99,1,101,1,99,1\n").reason().startsWith("bidPrice2:"));
    assertTrue(error(1, "100,1,x,1\n").reason().startsWith("bidPrice1:"));
    assertThrows(IllegalArgumentException.class, () -> new LobsterOrderbook(new StringReader(""), null, -1));
  }
}
