package io.tickloom.protocol.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Tick;

/**
 * Coverage-guided fuzzing of {@link BinanceAggTrades} ({@code binance-aggtrades}) under the line readers' contract
 * of {@link FuzzRows}; every tick keeps the mapping binance-trades has (see {@link BinanceTradesFuzzTest#check}).
 * Seeds in {@code BinanceAggTradesFuzzTestInputs/read}.
 */
class BinanceAggTradesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] file) {
    FuzzRows.readAll(file, in -> {
      BinanceAggTrades r = new BinanceAggTrades(in, FuzzRows.SOURCE, 7, Scales.BINANCE_SPOT);
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
}
