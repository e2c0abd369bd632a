package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;

/**
 * Coverage-guided fuzzing of {@link TicksCsv} ({@code ticks-csv}) under the line readers' contract of
 * {@link FuzzRows}, with one unknown token (a refused row); every tick keeps the documented mapping. Seeds in
 * {@code TicksCsvFuzzTestInputs/read}.
 */
class TicksCsvFuzzTest {
  private static final long UNKNOWN = 13;

  @FuzzTest(maxDuration = "10s")
  void read(byte[] file) {
    FuzzRows.readAll(file, in -> {
      TicksCsv r = new TicksCsv(in, FuzzRows.SOURCE, token -> token == UNKNOWN ? null : new Scales((int) Math.floorMod(token, 19), 2));
      return new FuzzRows.Rows<Tick>() {
        @Override
        public Tick next() {
          return r.next();
        }

        @Override
        public long line() {
          return r.line();
        }
      };
    }, TicksCsvFuzzTest::check);
  }

  private static void check(Tick t) {
    assertTrue(t.token() != UNKNOWN, "an unknown token is refused");
    assertTrue(t.qty() >= 0, "qty");
    assertTrue(t.seq() >= 0, "seq");
    assertTrue(t.tradeId() >= 0 || t.tradeId() == Tick.NO_TRADE_ID, "tradeId");
    assertEquals(t.exchangeTs(), t.receiveTs());
    assertEquals(Feed.IMPORT, t.feed());
    assertEquals(TickStatus.LIVE, t.status());
    assertNull(t.side());
  }
}
