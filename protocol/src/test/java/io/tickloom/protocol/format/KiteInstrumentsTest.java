package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kite instrument master: own fixtures, and the real dumps of the oracle folder (README §4; from
 * {@code tickloom.oracle}, skipped when absent).
 */
class KiteInstrumentsTest {
  private static final String HEADER =
      "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n";

  private static List<Instrument> read(String text) throws IOException {
    return KiteInstruments.readAll(new StringReader(text), "instruments.csv");
  }

  private static FormatException error(String text) {
    return assertThrows(FormatException.class, () -> read(text));
  }

  private static Path oracle(String file) {
    String configured = System.getProperty("tickloom.oracle");
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Path path = dir.resolve(file);
    Prerequisites.oracle(Files.isRegularFile(path), "oracle data absent: " + path.toAbsolutePath().normalize()
        + " (set -Dtickloom.oracle=DIR); the own fixtures in this test cover the same mapping");
    return path;
  }

  private static List<Instrument> readOracle(String file) throws IOException {
    Path path = oracle(file);
    return KiteInstruments.readAll(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.getFileName().toString());
  }

  @Test
  void everyKindMapsToAnInstrument() throws IOException {
    List<Instrument> all = read(HEADER + """
        738561,2885,RELIANCE,RELIANCE INDUSTRIES,0.0,,0.0,0.05,1,EQ,NSE,NSE
        256265,1001,NIFTY 50,NIFTY 50,0.0,,0.0,0.0,0,EQ,INDICES,NSE
        14866434,58072,NIFTY26AUGFUT,NIFTY,0.0,2026-08-25,0.0,0.1,65,FUT,NFO-FUT,NFO
        12073986,47164,BANKNIFTY18JAN23500CE,,2528.4,2018-01-25,23500.0,0.05,40,CE,NFO-OPT,NFO
        10000000,1,NIFTY2681824050.5PE,NIFTY,0.0,2026-08-18,24050.5,0.05,65,PE,NFO-OPT,NFO
        1234567,4822,USDINR26AUGFUT,USDINR,0.0,2026-08-27,0.0,0.0025,1,FUT,CDS-FUT,CDS
        """);
    assertEquals(6, all.size());
    assertEquals(new Instrument(738561, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 1, 2, 0, null, null, 0, null), all.get(0));
    assertEquals(new Instrument(256265, Exchange.NSE, "NIFTY 50", InstrumentKind.IDX, 1, 1, 2, 0, null, null, 0, null), all.get(1),
        "index: tick size 0 and lot size 0 become 1");
    assertEquals(new Instrument(14866434, Exchange.NFO, "NIFTY26AUGFUT", InstrumentKind.FUT, 10, 65, 2, 0, "NIFTY",
        LocalDate.of(2026, 8, 25), 0, null), all.get(2));
    assertEquals(new Instrument(12073986, Exchange.NFO, "BANKNIFTY18JAN23500CE", InstrumentKind.OPT, 5, 40, 2, 0, null,
        LocalDate.of(2018, 1, 25), 2_350_000, OptionType.CE), all.get(3), "2017-era rows have no name");
    assertEquals(2_405_050, all.get(4).strike());
    assertEquals(OptionType.PE, all.get(4).optionType());
    assertEquals(new Instrument(1234567, Exchange.CDS, "USDINR26AUGFUT", InstrumentKind.FUT, 25, 1, 4, 0, "USDINR",
        LocalDate.of(2026, 8, 27), 0, null), all.get(5));
  }

  @Test
  void headerIsOptionalBlankLinesAndQuotedFieldsAreAccepted() throws IOException {
    List<Instrument> all = read("\r\n"
        + "3861249,15083,ADANIPORTS,\"ADANI PORT, \"\"SEZ\"\"\",0.0,,0.0,0.05,1,EQ,NSE,NSE\r\n"
        + "\"3861250\",15084,\"X,Y\",,0.0,,0.0,0.05,1,EQ,NSE,NSE\r\n");
    assertEquals(2, all.size());
    assertEquals("ADANIPORTS", all.get(0).symbol());
    assertEquals(3861250, all.get(1).token());
    assertEquals("X,Y", all.get(1).symbol());
  }

  @Test
  void derivativeNameIsTheUnderlyingOthersHaveNone() throws IOException {
    Instrument eq = read("1,1,A,SOME NAME,0,2026-01-01,100,0.05,1,EQ,NSE,NSE\n").get(0);
    assertNull(eq.underlying());
    assertNull(eq.expiry(), "an expiry on a cash row is dropped");
    assertEquals(0, eq.strike());
  }

  @Test
  void malformedRowsNameTheirLineAndReason() {
    String ok = "1,1,A,,0,,0,0.05,1,EQ,NSE,NSE\n";
    Map<String, String> cases = new TreeMap<>(Map.ofEntries(
        Map.entry("1,1,A,,0,,0,0.05,1,EQ,NSE\n", "expected 12 fields"),
        Map.entry("1,1,A,,0,,0,0.05,1,EQ,NSE,NSE,X\n", "more than 12 fields"),
        Map.entry("x1,1,A,,0,,0,0.05,1,EQ,NSE,NSE\n", "instrument_token: not an integer"),
        Map.entry("0,1,A,,0,,0,0.05,1,EQ,NSE,NSE\n", "instrument_token out of range"),
        Map.entry("4294967296,1,A,,0,,0,0.05,1,EQ,NSE,NSE\n", "instrument_token out of range"),
        Map.entry("1,-1,A,,0,,0,0.05,1,EQ,NSE,NSE\n", "exchange_token must not be negative"),
        Map.entry("1,1,,,0,,0,0.05,1,EQ,NSE,NSE\n", "tradingsymbol: empty"),
        Map.entry("1,1,A,,zero,,0,0.05,1,EQ,NSE,NSE\n", "last_price: not a decimal"),
        Map.entry("1,1,A,,0,2026-13-01,0,0.05,1,FUT,NFO-FUT,NFO\n", "expiry: expected yyyy-MM-dd"),
        Map.entry("1,1,A,,0,26-08-2026,0,0.05,1,FUT,NFO-FUT,NFO\n", "expiry: expected yyyy-MM-dd"),
        Map.entry("1,1,A,,0,,0,0.05,1,FUT,NFO-FUT,NFO\n", "expiry: empty"),
        Map.entry("1,1,A,,0,2026-08-18,-100,0.05,1,CE,NFO-OPT,NFO\n", "strike must not be negative"),
        Map.entry("1,1,A,,0,2026-08-18,100.005,0.05,1,CE,NFO-OPT,NFO\n", "strike: more than 2 decimals"),
        Map.entry("1,1,A,,0,,0,-0.05,1,EQ,NSE,NSE\n", "tick_size must not be negative"),
        Map.entry("1,1,A,,0,,0,,1,EQ,NSE,NSE\n", "tick_size: empty number"),
        Map.entry("1,1,A,,0,,0,0.05,-1,EQ,NSE,NSE\n", "lot_size must not be negative"),
        Map.entry("1,1,A,,0,,0,0.05,1.5,EQ,NSE,NSE\n", "lot_size: more than 0 decimals"),
        Map.entry("1,1,A,,0,,0,0.05,1,XX,NSE,NSE\n", "instrument_type: expected EQ, FUT, CE or PE"),
        Map.entry("1,1,A,,0,,0,0.05,1,EQ,NSE,NYSE\n", "exchange: unknown exchange 'NYSE'"),
        Map.entry("1,1,A,,0,,0,0.05,1,EQ,NSE,BINANCE\n", "not a Kite exchange"),
        Map.entry("1,1,\"A,,0,,0,0.05,1,EQ,NSE,NSE\n", "unterminated quote"),
        Map.entry("1,1,\"A\"B,,0,,0,0.05,1,EQ,NSE,NSE\n", "text after the closing quote")));
    cases.forEach((row, reason) -> {
      FormatException e = error(HEADER + ok + row);
      assertEquals(3, e.line(), row);
      assertEquals("instruments.csv", e.source());
      assertTrue(e.reason().contains(reason), row + " -> " + e.reason());
    });
  }

  @Test
  void aHeaderMustNameTheColumnsInOrder() {
    FormatException e = error(HEADER.replace("tradingsymbol,name", "name,tradingsymbol"));
    assertEquals(1, e.line());
    assertTrue(e.reason().contains("header column 3"), e.reason());
    assertTrue(error("symbol,token\n").reason().contains("expected a header of 12 columns"));
  }

  @Test
  void aCallerMaySkipARefusedRowAndReadOn() throws IOException {
    try (KiteInstruments reader = new KiteInstruments(new StringReader(HEADER
        + "1,1,A,,0,,0,0.05,1,EQ,NSE,NSE\n2,1,B,,0,,0,0.05,1,EQ,INDICES,GLOBAL\n3,1,C,,0,,0,0.05,1,EQ,NSE,BSE\n"))) {
      assertEquals("A", reader.next().symbol());
      FormatException e = assertThrows(FormatException.class, reader::next);
      assertEquals(3, e.line());
      assertEquals(3, reader.line());
      assertEquals("C", reader.next().symbol());
      assertNull(reader.next());
    }
  }

  @Test
  void kiteMockDumpsParseFully() throws IOException {
    for (String file : List.of("nse/kite_mocks/instruments_all.csv", "nse/kite_mocks/instruments_nse.csv")) {
      List<Instrument> all = readOracle(file);
      assertEquals(99, all.size(), file);
      for (Instrument i : all) {
        assertTrue(i.priceScale() == 2 && i.qtyScale() == 0 && i.tickSize() > 0 && i.lotSize() > 0, i.toString());
      }
    }
    Map<String, Long> kinds = readOracle("nse/kite_mocks/instruments_all.csv").stream()
        .collect(Collectors.groupingBy(i -> i.exchange() + "-" + i.kind() + (i.optionType() == null ? "" : "-" + i.optionType()),
            TreeMap::new, Collectors.counting()));
    assertEquals(Map.of("BSE-EQ", 19L, "NSE-EQ", 55L, "NFO-OPT-CE", 10L, "NFO-OPT-PE", 15L), kinds);
  }

  @Test
  void realNfoBfoDumpParsesWithTheReadmesCounts() throws IOException {
    List<Instrument> all = readOracle("nse/kite_instruments_NFO_BFO_2026-08.csv");
    assertEquals(39_941, all.size());
    Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(i -> i.exchange() + "-" + i.kind(), Collectors.counting()));
    assertEquals(Map.of("NFO-OPT", 35_043L, "BFO-OPT", 4_246L, "NFO-FUT", 640L, "BFO-FUT", 12L), counts);
    assertEquals(all.size(), all.stream().map(Instrument::token).distinct().count(), "tokens are unique");

    List<Instrument> niftyOptions = all.stream().filter(i -> i.kind() == InstrumentKind.OPT && "NIFTY".equals(i.underlying())).toList();
    TreeSet<LocalDate> expiries = niftyOptions.stream().map(Instrument::expiry).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(18, expiries.size());
    assertEquals(LocalDate.of(2026, 8, 18), expiries.first());
    assertEquals(DayOfWeek.TUESDAY, expiries.first().getDayOfWeek());
    assertTrue(expiries.contains(LocalDate.of(2029, 12, 24)), "the Monday holiday shift");
    for (OptionType type : OptionType.values()) {
      List<Long> strikes = niftyOptions.stream().filter(i -> i.expiry().equals(expiries.first()) && i.optionType() == type)
          .map(Instrument::strike).sorted().toList();
      assertEquals(105, strikes.size(), type.toString());
      for (int k = 0; k < strikes.size(); k++) assertEquals(2_200_000 + k * 5_000L, strikes.get(k), type + " strike " + k);
    }
    assertTrue(niftyOptions.stream().filter(i -> i.expiry().equals(expiries.first())).allMatch(i -> i.lotSize() == 65 && i.tickSize() == 5));
    Instrument monthly = all.stream().filter(i -> i.symbol().equals("NIFTY26AUG24000CE")).findFirst().orElseThrow();
    assertEquals(2_400_000, monthly.strike());
    assertEquals(LocalDate.of(2026, 8, 25), monthly.expiry());
    assertEquals(Exchange.NFO, monthly.exchange());
    Instrument weekly = all.stream().filter(i -> i.symbol().equals("NIFTY2681824000CE")).findFirst().orElseThrow();
    assertEquals(LocalDate.of(2026, 8, 18), weekly.expiry());
    assertEquals(List.of(30L), all.stream().filter(i -> "BANKNIFTY".equals(i.underlying())).map(Instrument::lotSize).distinct().toList());
  }
}
