package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstrumentStoreTest {
  static final Instrument RELIANCE = Instrument.cash(738561, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 1, 2, 0);
  static final Instrument RELINFRA = Instrument.cash(141569, Exchange.NSE, "RELINFRA", InstrumentKind.EQ, 5, 1, 2, 0);
  static final Instrument NIFTY = Instrument.cash(256265, Exchange.NSE, "NIFTY 50", InstrumentKind.IDX, 5, 1, 2, 0);
  static final Instrument CALL = new Instrument(12345, Exchange.NFO, "NIFTY26JAN25000CE", InstrumentKind.OPT, 5, 75, 2, 0,
      "NIFTY", LocalDate.of(2026, 1, 27), 2_500_000, OptionType.CE);
  static final Instrument BTC = Instrument.cash(900001, Exchange.BINANCE, "BTCUSDT", InstrumentKind.SPOT, 1, 1, 2, 5);
  static final Instrument UNDERSCORE = Instrument.cash(900002, Exchange.BINANCE, "A_B", InstrumentKind.SPOT, 1, 1, 8, 8);

  Database db;
  InstrumentStore store;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    store = new InstrumentStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void upsert_roundTripsEveryField() {
    store.upsert(List.of(RELIANCE, CALL, BTC));
    assertEquals(List.of(CALL, RELIANCE, BTC), store.all());
    assertEquals(Optional.of(CALL), store.find(12345));
    assertEquals(Optional.of(BTC), store.find(Exchange.BINANCE, "BTCUSDT"));
    assertEquals(Optional.empty(), store.find(1));
  }

  @Test
  void upsert_updatesByTokenAndTheLastEntryWins() {
    store.upsert(List.of(RELIANCE));
    Instrument lot5 = Instrument.cash(738561, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 5, 2, 0);
    Instrument lot10 = Instrument.cash(738561, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 10, 2, 0);
    store.upsert(List.of(lot5, NIFTY, lot10));
    store.upsert(List.of(NIFTY)); // unchanged: no-op
    assertEquals(List.of(NIFTY, lot10), store.all());
  }

  @Test
  void upsert_refusesASecondTokenForOneSymbolAndWritesNothing() {
    store.upsert(List.of(RELIANCE));
    Instrument clash = Instrument.cash(1, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 1, 2, 0);
    assertThrows(PersistenceException.class, () -> store.upsert(List.of(BTC, clash)));
    assertEquals(List.of(RELIANCE), store.all());
  }

  @Test
  void search_findsPrefixMatchesFirstThenSubstrings() {
    store.upsert(List.of(RELIANCE, RELINFRA, NIFTY, CALL, BTC, UNDERSCORE));
    assertEquals(List.of(RELIANCE, RELINFRA), store.search("rel", 20));
    assertEquals(List.of(NIFTY, CALL), store.search("NIFTY", 20));
    assertEquals(List.of(CALL), store.search("25000", 20));
    assertEquals(List.of(BTC), store.search("usd", 20));
    assertEquals(List.of(NIFTY), store.search("nifty", 1));
    assertEquals(List.of(RELINFRA), store.search("inf", 20));
    assertEquals(List.of(UNDERSCORE), store.search("_", 20)); // LIKE wildcards are taken literally
    assertTrue(store.search("%", 20).isEmpty());
    assertEquals(6, store.search("", 20).size());
  }
}
