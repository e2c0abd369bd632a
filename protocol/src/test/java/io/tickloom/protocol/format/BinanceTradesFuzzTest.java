package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;

/**
 * Coverage-guided fuzzing of {@link BinanceTrades} ({@code binance-trades}) under the line readers' contract of
 * {@link FuzzRows}; every tick keeps the documented mapping (id as trade id and seq, non-negative quantity and time,
 * time as both exchange and receive time, a side, feed IMPORT). Seeds in {@code BinanceTradesFuzzTestInputs/read}.
 */
class BinanceTradesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] file) {
    FuzzRows.readAll(file, in -> {
      BinanceTrades r = new BinanceTrades(in, FuzzRows.SOURCE, 7, Scales.BINANCE_SPOT);
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
    }, BinanceTradesFuzzTest::check);
  }

  static void check(Tick t) {
    assertEquals(7, t.token());
    assertTrue(t.tradeId() >= 0 && t.seq() == t.tradeId(), "id is trade id and seq");
    assertTrue(t.qty() >= 0, "qty");
    assertTrue(t.exchangeTs() >= 0 && t.receiveTs() == t.exchangeTs(), "time");
    assertNotNull(t.side());
    assertEquals(Feed.IMPORT, t.feed());
    assertEquals(TickStatus.LIVE, t.status());
    assertEquals(Tick.NO_PRICE, t.bid());
    assertEquals(Tick.NO_PRICE, t.ask());
  }
}
