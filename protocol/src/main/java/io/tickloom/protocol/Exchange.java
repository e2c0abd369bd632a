package io.tickloom.protocol;

/** Venues Tickloom knows, with their default trading hours and empty-interval policy (SPEC §3, §4). */
public enum Exchange {
  NSE(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  BSE(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  NFO(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  BFO(TradingHours.NSE, EmptyBarPolicy.SKIP, false),
  MCX(TradingHours.MCX, EmptyBarPolicy.SKIP, false),
  BINANCE(TradingHours.UTC_24H, EmptyBarPolicy.CARRY, true);

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
