package io.tickloom.protocol;

/**
 * Venues Tickloom knows, with their default trading hours and empty-interval policy (SPEC §3, §4). Constants are
 * stored and sent by name; new ones are appended.
 */
public enum Exchange {
  NSE(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  BSE(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  NFO(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  BFO(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  MCX(TradingHours.MCX, EmptyBarPolicy.SKIP, false),
  BINANCE(TradingHours.UTC_24H, EmptyBarPolicy.CARRY, true),
  /** NSE currency derivatives (Kite exchange {@code CDS}): 09:00-17:00 IST. */
  CDS(Hours.CURRENCY, EmptyBarPolicy.SKIP, false),
  /** BSE currency derivatives (Kite exchange {@code BCD}): 09:00-17:00 IST. */
  BCD(Hours.CURRENCY, EmptyBarPolicy.SKIP, false),
  /** NSE commodity derivatives (Kite exchange {@code NCO}): MCX hours. */
  NCO(TradingHours.MCX, EmptyBarPolicy.SKIP, false),
  /** NASDAQ equities (LOBSTER's samples, {@code tickloom import --format lobster}): 09:30-16:00 New York. */
  NASDAQ(Hours.US_EQUITY, EmptyBarPolicy.SKIP, false);

  /** Hours not (yet) shared beyond this enum. */
  private static final class Hours {
    static final TradingHours US_EQUITY =
        new TradingHours(java.time.ZoneId.of("America/New_York"), java.time.LocalTime.of(9, 30), java.time.LocalTime.of(16, 0), false);
    static final TradingHours CURRENCY =
        new TradingHours(java.time.ZoneId.of("Asia/Kolkata"), java.time.LocalTime.of(9, 0), java.time.LocalTime.of(17, 0), false);
  }

  private final TradingHours hours;
  private final EmptyBarPolicy emptyBars;
  private final boolean createsInstrumentsOnSight;

  Exchange(TradingHours hours, EmptyBarPolicy emptyBars, boolean createsInstrumentsOnSight) {
    this.hours = hours;
    this.emptyBars = emptyBars;
    this.createsInstrumentsOnSight = createsInstrumentsOnSight;
  }

  public TradingHours hours() {
    return hours;
  }

  public EmptyBarPolicy emptyBars() {
    return emptyBars;
  }

  /** Crypto venues: an unknown symbol seen on a feed becomes an instrument (SPEC §8). */
  public boolean createsInstrumentsOnSight() {
    return createsInstrumentsOnSight;
  }

  public static Exchange parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown exchange '" + s + "' (known: " + java.util.Arrays.toString(values()) + ")");
    }
  }
}
