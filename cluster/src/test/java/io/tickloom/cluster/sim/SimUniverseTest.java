package io.tickloom.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimUniverseTest {

  private static final LocalDate TUE_AUG_18 = LocalDate.of(2026, 8, 18); // a weekly (not monthly) expiry day
  private final List<SimInstrument> universe = SimUniverse.nse(TUE_AUG_18, 1);

  private List<Instrument> of(InstrumentKind kind) {
    return universe.stream().map(SimInstrument::instrument).filter(i -> i.kind() == kind).toList();
  }

  private Instrument bySymbol(List<SimInstrument> u, String symbol) {
    return u.stream().map(SimInstrument::instrument).filter(i -> i.symbol().equals(symbol)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + symbol));
  }

  private long startPrice(String symbol) {
    return universe.stream().filter(s -> s.instrument().symbol().equals(symbol)).findFirst().orElseThrow().startPrice();
  }

  @Test
  void universeHoldsTheIndexTwentyPlusEquitiesTwoFuturesAndFortyTwoOptions() {
    assertEquals(1, of(InstrumentKind.IDX).size());
    assertTrue(of(InstrumentKind.EQ).size() >= 20, "equities: " + of(InstrumentKind.EQ).size());
    assertEquals(2, of(InstrumentKind.FUT).size());
    assertEquals(42, of(InstrumentKind.OPT).size());
    assertEquals(1 + 24 + 2 + 42, universe.size());
    assertEquals(InstrumentKind.IDX, universe.get(0).instrument().kind(), "index first");
  }

  @Test
  void niftyIndexHasKitesTokenOnNse() {
    Instrument nifty = of(InstrumentKind.IDX).get(0);
    assertEquals(256265L, nifty.token());
    assertEquals("NIFTY 50", nifty.symbol());
    assertEquals(Exchange.NSE, nifty.exchange());
    assertEquals(2, nifty.priceScale());
    long start = startPrice("NIFTY 50");
    assertTrue(start >= 24_000_00 && start <= 26_000_00, "NIFTY starts near 25,000: " + start);
  }

  @Test
  void namedEquitiesArePresentWithNseConventionsAndRealisticPrices() {
    Map<String, long[]> rupeeRanges = Map.of(
        "RELIANCE", new long[] {1200, 1600}, "TCS", new long[] {2700, 3500}, "HDFCBANK", new long[] {800, 1100},
        "INFY", new long[] {1300, 1700}, "ICICIBANK", new long[] {1200, 1600});
    for (var e : rupeeRanges.entrySet()) {
      Instrument eq = bySymbol(universe, e.getKey());
      assertEquals(InstrumentKind.EQ, eq.kind());
      long rupees = startPrice(e.getKey()) / 100;
      assertTrue(rupees >= e.getValue()[0] && rupees <= e.getValue()[1], e.getKey() + " starts at " + rupees);
    }
    assertEquals(408065L, bySymbol(universe, "INFY").token());
    for (Instrument eq : of(InstrumentKind.EQ)) {
      assertEquals(Exchange.NSE, eq.exchange(), eq.symbol());
      assertEquals(5, eq.tickSize(), eq.symbol());
      assertEquals(2, eq.priceScale(), eq.symbol());
      assertEquals(0, eq.qtyScale(), eq.symbol());
      assertEquals(1, eq.lotSize(), eq.symbol());
    }
  }

  @Test
  void futuresAreTheNextTwoMonthlyExpiriesOnTheLastTuesday() {
    Instrument aug = bySymbol(universe, "NIFTY26AUGFUT");
    Instrument sep = bySymbol(universe, "NIFTY26SEPFUT");
    assertEquals(LocalDate.of(2026, 8, 25), aug.expiry());
    assertEquals(LocalDate.of(2026, 9, 29), sep.expiry());
    for (Instrument f : List.of(aug, sep)) {
      assertEquals(Exchange.NFO, f.exchange());
      assertEquals(65, f.lotSize());
      assertEquals(10, f.tickSize());
      assertEquals("NIFTY", f.underlying());
    }
  }

  @Test
  void futuresRollOnlyAfterTheMonthlyExpiryDay() {
    List<SimInstrument> onExpiryDay = SimUniverse.nse(LocalDate.of(2026, 8, 25), 1);
    assertNotNull(bySymbol(onExpiryDay, "NIFTY26AUGFUT"));
    List<SimInstrument> dayAfter = SimUniverse.nse(LocalDate.of(2026, 8, 26), 1);
    assertEquals(LocalDate.of(2026, 9, 29), bySymbol(dayAfter, "NIFTY26SEPFUT").expiry());
    assertEquals(LocalDate.of(2026, 10, 27), bySymbol(dayAfter, "NIFTY26OCTFUT").expiry());
    List<SimInstrument> december = SimUniverse.nse(LocalDate.of(2026, 12, 30), 1);
    assertNotNull(bySymbol(december, "NIFTY27JANFUT"));
    assertNotNull(bySymbol(december, "NIFTY27FEBFUT"));
  }

  @Test
  void optionsAreTwentyOneStrikesFiftyApartAroundTheAtmWithCeAndPe() {
    List<Instrument> opts = of(InstrumentKind.OPT);
    TreeSet<Long> strikes = opts.stream().map(Instrument::strike).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(21, strikes.size());
    long atm = Math.round(startPrice("NIFTY 50") / 5000.0) * 5000;
    assertEquals(atm - 10 * 5000, strikes.first());
    assertEquals(atm + 10 * 5000, strikes.last());
    Long prev = null;
    for (long k : strikes) {
      if (prev != null) assertEquals(5000, k - prev);
      prev = k;
      long strike = k;
      Set<OptionType> types = opts.stream().filter(o -> o.strike() == strike).map(Instrument::optionType).collect(Collectors.toSet());
      assertEquals(Set.of(OptionType.CE, OptionType.PE), types, "strike " + k);
    }
    for (Instrument o : opts) {
      assertEquals(TUE_AUG_18, o.expiry(), "the nearest Tuesday on or after today is today");
      assertEquals(Exchange.NFO, o.exchange());
      assertEquals("NIFTY", o.underlying());
      assertEquals(65, o.lotSize());
      assertEquals(5, o.tickSize());
      assertEquals("NIFTY26818" + o.strike() / 100 + o.optionType(), o.symbol());
    }
  }

  @Test
  void optionsOnTheMonthsLastTuesdayUseTheMonthlySymbol() {
    List<SimInstrument> u = SimUniverse.nse(LocalDate.of(2026, 8, 19), 1);
    List<Instrument> opts = u.stream().map(SimInstrument::instrument).filter(i -> i.kind() == InstrumentKind.OPT).toList();
    for (Instrument o : opts) {
      assertEquals(LocalDate.of(2026, 8, 25), o.expiry());
      assertEquals("NIFTY26AUG" + o.strike() / 100 + o.optionType(), o.symbol());
    }
  }

  @Test
  void weeklySymbolsUseOneCharacterMonthsAndTwoDigitDays() {
    assertEquals("NIFTY2690125000CE", SimUniverse.optionSymbol("NIFTY", LocalDate.of(2026, 9, 1), false, 25000, OptionType.CE));
    assertEquals("NIFTY26O0624500PE", SimUniverse.optionSymbol("NIFTY", LocalDate.of(2026, 10, 6), false, 24500, OptionType.PE));
    assertEquals("NIFTY26N1726000CE", SimUniverse.optionSymbol("NIFTY", LocalDate.of(2026, 11, 17), false, 26000, OptionType.CE));
    assertEquals("NIFTY26D0825000CE", SimUniverse.optionSymbol("NIFTY", LocalDate.of(2026, 12, 8), false, 25000, OptionType.CE));
    assertEquals("NIFTY26AUG24000CE", SimUniverse.optionSymbol("NIFTY", LocalDate.of(2026, 8, 25), true, 24000, OptionType.CE));
    assertTrue(SimUniverse.isMonthlyExpiry(LocalDate.of(2026, 11, 24)), "Nov 24 2026 is the month's last Tuesday");
    assertFalse(SimUniverse.isMonthlyExpiry(LocalDate.of(2026, 11, 17)));
    assertEquals(LocalDate.of(2026, 9, 1), SimUniverse.nearestWeeklyExpiry(LocalDate.of(2026, 8, 26)));
  }

  @Test
  void tokensAreUniqueAndDerivativeTokensNameTheirContract() {
    Set<Long> tokens = new HashSet<>();
    for (SimInstrument s : universe) assertTrue(tokens.add(s.token()), "duplicate token " + s.token());
    for (SimInstrument s : universe) {
      long t = s.token();
      if (t != SimUniverse.NIFTY_50_TOKEN && t != SimUniverse.INFY_TOKEN) assertTrue(t > 0xFFFF_FFFFL, "own tokens lie above Kite's 32-bit range: " + t);
    }
    List<SimInstrument> later = SimUniverse.nse(LocalDate.of(2026, 8, 26), 99);
    assertEquals(bySymbol(universe, "NIFTY26SEPFUT").token(), bySymbol(later, "NIFTY26SEPFUT").token());
    assertEquals(bySymbol(universe, "RELIANCE").token(), bySymbol(later, "RELIANCE").token());
    assertEquals(SimUniverse.EQUITY_TOKEN_BASE + 1, bySymbol(universe, "RELIANCE").token());
    assertNotEquals(SimUniverse.optionToken(LocalDate.of(2026, 8, 18), 25000, OptionType.CE),
        SimUniverse.optionToken(LocalDate.of(2026, 8, 25), 25000, OptionType.CE));
  }

  @Test
  void sameDateAndSeedGiveTheSameUniverseAndSeedsMoveStartPrices() {
    assertEquals(universe, SimUniverse.nse(TUE_AUG_18, 1));
    List<SimInstrument> other = SimUniverse.nse(TUE_AUG_18, 2);
    assertEquals(universe.stream().map(SimInstrument::instrument).filter(i -> i.kind() == InstrumentKind.EQ).toList(),
        other.stream().map(SimInstrument::instrument).filter(i -> i.kind() == InstrumentKind.EQ).toList());
    assertNotEquals(startPrice("RELIANCE"), other.stream().filter(s -> s.instrument().symbol().equals("RELIANCE")).findFirst().orElseThrow().startPrice());
  }

  @Test
  void derivativeStartPricesFollowTheIndex() {
    long index = startPrice("NIFTY 50");
    long fut = startPrice("NIFTY26AUGFUT");
    long next = startPrice("NIFTY26SEPFUT");
    assertTrue(fut > index && next > fut, "carry: index " + index + " < near " + fut + " < next " + next);
    List<SimInstrument> opts = universe.stream().filter(s -> s.instrument().kind() == InstrumentKind.OPT).toList();
    long prevCall = Long.MAX_VALUE;
    long prevPut = 0;
    for (SimInstrument s : opts) { // by strike ascending, CE then PE
      Instrument o = s.instrument();
      assertTrue(s.startPrice() > 0 && s.startPrice() % o.tickSize() == 0, o.symbol());
      if (o.optionType() == OptionType.CE) {
        assertTrue(s.startPrice() <= prevCall, "calls get cheaper as the strike rises: " + o.symbol());
        prevCall = s.startPrice();
        long put = opts.stream().filter(p -> p.instrument().strike() == o.strike() && p.instrument().optionType() == OptionType.PE).findFirst().orElseThrow().startPrice();
        long parity = s.startPrice() - put - (index - o.strike());
        assertTrue(Math.abs(parity) <= 10 || put == 5 || s.startPrice() == 5, "put-call parity at " + o.symbol() + ": " + parity);
      } else {
        assertTrue(s.startPrice() >= prevPut, "puts get dearer as the strike rises: " + o.symbol());
        prevPut = s.startPrice();
      }
    }
  }

  @Test
  void derivativesMatchTheRealKiteInstrumentDump() throws IOException {
    String oracle = System.getProperty("tickloom.oracle");
    Path dump = oracle == null ? null : Path.of(oracle, "nse", "kite_instruments_NFO_BFO_2026-08.csv");
    io.tickloom.protocol.testing.Prerequisites.oracle(dump != null && Files.exists(dump), "oracle dump absent (../shared/oracle/nse)");
    Map<String, String[]> rows = new HashMap<>();
    try (var lines = Files.lines(dump)) {
      lines.skip(1).map(l -> l.split(",", -1)).forEach(r -> rows.put(r[2], r));
    }
    int checked = 0;
    for (LocalDate today : List.of(TUE_AUG_18, LocalDate.of(2026, 8, 19), LocalDate.of(2026, 8, 26))) {
      for (SimInstrument s : SimUniverse.nse(today, 3)) {
        Instrument i = s.instrument();
        if (i.kind() != InstrumentKind.FUT && i.kind() != InstrumentKind.OPT) continue;
        String[] r = rows.get(i.symbol());
        assertNotNull(r, "Kite has no " + i.symbol());
        assertEquals(i.expiry().toString(), r[5], i.symbol());
        assertEquals(i.strike(), Math.round(Double.parseDouble(r[6]) * 100), i.symbol());
        assertEquals(i.tickSize(), Math.round(Double.parseDouble(r[7]) * 100), i.symbol());
        assertEquals(i.lotSize(), Long.parseLong(r[8]), i.symbol());
        assertEquals(i.kind() == InstrumentKind.FUT ? "FUT" : i.optionType().name(), r[9], i.symbol());
        assertEquals("NFO", r[11], i.symbol());
        assertEquals(i.underlying(), r[3], i.symbol());
        checked++;
      }
    }
    assertEquals(3 * 44, checked);
  }
}
