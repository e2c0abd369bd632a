package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;

/**
 * Coverage-guided fuzzing of {@link KiteInstruments} (the Kite instrument master) under the line readers' contract
 * of {@link FuzzRows}; every instrument keeps the documented mapping (token range, scales by exchange, positive tick
 * and lot size, derivative fields only on derivatives). Seeds in {@code KiteInstrumentsFuzzTestInputs/read}.
 */
class KiteInstrumentsFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] file) {
    FuzzRows.readAll(file, in -> {
      KiteInstruments r = new KiteInstruments(in, FuzzRows.SOURCE);
      return new FuzzRows.Rows<Instrument>() {
        @Override
        public Instrument next() {
          return r.next();
        }

        @Override
        public long line() {
          return r.line();
        }
      };
    }, KiteInstrumentsFuzzTest::check);
  }

  private static void check(Instrument i) {
    assertTrue(i.token() >= 1 && i.token() <= 0xFFFF_FFFFL, "token");
    assertFalse(i.exchange().createsInstrumentsOnSight());
    assertEquals(i.exchange() == Exchange.CDS || i.exchange() == Exchange.BCD ? 4 : 2, i.priceScale());
    assertEquals(0, i.qtyScale());
    assertFalse(i.symbol().isBlank());
    assertTrue(i.tickSize() >= 1 && i.lotSize() >= 1);
    boolean derivative = i.kind() == InstrumentKind.FUT || i.kind() == InstrumentKind.OPT;
    if (derivative) {
      assertNotNull(i.expiry());
      assertTrue(i.underlying() == null || !i.underlying().isEmpty() && i.underlying().equals(i.underlying().trim()));
    } else {
      assertNull(i.expiry());
      assertNull(i.underlying());
    }
    assertEquals(i.kind() == InstrumentKind.OPT, i.optionType() != null);
    assertTrue(i.strike() >= 0 && (i.kind() == InstrumentKind.OPT || i.strike() == 0));
  }
}
