package io.tickloom.cluster.sim;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's simulated NSE market (SPEC §2): the NIFTY 50 index, {@value #EQUITY_COUNT} liquid NIFTY equities,
 * NIFTY futures for the next two monthly expiries and NIFTY options (21 strikes × CE/PE) for the nearest weekly
 * expiry.
 *
 * <p>Conventions, as on NSE/NFO and Zerodha Kite in 2026: prices in paise (priceScale 2, qtyScale 0); tick 0.05
 * for the index, equities and options, 0.10 for futures; NIFTY lot 65; monthly expiry = last Tuesday of the month,
 * weekly = every Tuesday (exchange holidays, which move an expiry to the previous trading day, are ignored);
 * strikes every 50 points, ±10 around the at-the-money strike of the index's start price. Trading symbols follow
 * Kite's grammar: futures {@code NIFTY26AUGFUT}; options of a monthly expiry {@code NIFTY26AUG24000CE}, of other
 * weeklies {@code NIFTY2681824000CE} (YY, month 1–9/O/N/D, DD).
 *
 * <p>Tokens. NIFTY 50 is {@value #NIFTY_50_TOKEN} and INFY {@value #INFY_TOKEN}, as on Kite. Every other token is
 * our own, chosen above 2^32 so it can never collide with a real Kite token (those are 32-bit):
 * equities {@value #EQUITY_TOKEN_BASE} + a fixed number per symbol (the table below; never reused);
 * futures {@value #FUTURE_TOKEN_BASE} + expiry epoch day; options {@value #OPTION_TOKEN_BASE} + expiry epoch day
 * × 1,000,000 + strike in rupees × 2 + (0 for CE, 1 for PE). A derivative's token thus names the contract, so
 * ticks stored on one day never mix with another contract's on a later day.
 *
 * <p>The seed moves each start price by up to ±2% around the levels below (late-2025 levels) so demos differ;
 * the same date and seed always give the same universe.
 */
public final class SimUniverse {
  private SimUniverse() {}

  public static final long NIFTY_50_TOKEN = 256265L;
  public static final long INFY_TOKEN = 408065L;
  public static final long EQUITY_TOKEN_BASE = 5_000_000_000L;
  public static final long FUTURE_TOKEN_BASE = 10_000_000_000L;
  public static final long OPTION_TOKEN_BASE = 100_000_000_000L;

  public static final String NIFTY = "NIFTY";
  public static final String NIFTY_50 = "NIFTY 50";
  public static final long NIFTY_LOT = 65;
  public static final long STRIKE_STEP_RUPEES = 50;
  public static final int STRIKES_EACH_SIDE = 10;
  static final int EQUITY_COUNT = 24;

  private static final long PAISE_TICK = 5; // 0.05
  private static final long FUTURE_TICK = 10; // 0.10
  private static final double START_JITTER = 0.02;
  private static final long NIFTY_LEVEL_RUPEES = 25_000;

  private record Equity(String symbol, long tokenNumber, long levelRupees, int weight) {}

  /** Symbol, token number (token = base + number; INFY uses Kite's), price level in rupees, activity weight. */
  private static final Equity[] EQUITIES = {
    new Equity("RELIANCE", 1, 1400, 6),
    new Equity("TCS", 2, 3100, 5),
    new Equity("HDFCBANK", 3, 950, 6),
    new Equity("INFY", 4, 1500, 5),
    new Equity("ICICIBANK", 5, 1400, 6),
    new Equity("SBIN", 6, 820, 5),
    new Equity("BHARTIARTL", 7, 1950, 4),
    new Equity("ITC", 8, 410, 4),
    new Equity("LT", 9, 3600, 3),
    new Equity("KOTAKBANK", 10, 2000, 3),
    new Equity("AXISBANK", 11, 1150, 4),
    new Equity("HINDUNILVR", 12, 2450, 3),
    new Equity("BAJFINANCE", 13, 950, 4),
    new Equity("MARUTI", 14, 12500, 2),
    new Equity("SUNPHARMA", 15, 1650, 2),
    new Equity("TITAN", 16, 3400, 2),
    new Equity("ASIANPAINT", 17, 2400, 2),
    new Equity("ULTRACEMCO", 18, 12000, 2),
    new Equity("NTPC", 19, 340, 3),
    new Equity("POWERGRID", 20, 290, 3),
    new Equity("TATASTEEL", 21, 160, 4),
    new Equity("WIPRO", 22, 250, 3),
    new Equity("HCLTECH", 23, 1500, 3),
    new Equity("TECHM", 24, 1500, 2),
  };

  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final char[] WEEKLY_MONTH = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'};

  /**
   * The simulated NSE universe on {@code today} (the exchange's local date): index first, then equities, futures
   * (near, next), options by strike ascending (CE then PE). Unmodifiable.
   */
  public static List<SimInstrument> nse(LocalDate today, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<SimInstrument> out = new ArrayList<>();

    long index = jittered(NIFTY_LEVEL_RUPEES, rnd, PAISE_TICK);
    out.add(new SimInstrument(
        Instrument.cash(NIFTY_50_TOKEN, Exchange.NSE, NIFTY_50, InstrumentKind.IDX, PAISE_TICK, 1, 2, 0),
        index, 4, SimInstrument.NO_UNDERLYING, 0));

    for (Equity e : EQUITIES) {
      long token = e.symbol().equals("INFY") ? INFY_TOKEN : EQUITY_TOKEN_BASE + e.tokenNumber();
      out.add(new SimInstrument(
          Instrument.cash(token, Exchange.NSE, e.symbol(), InstrumentKind.EQ, PAISE_TICK, 1, 2, 0),
          jittered(e.levelRupees(), rnd, PAISE_TICK), e.weight(), SimInstrument.NO_UNDERLYING, 0));
    }

    List<LocalDate> monthlies = nextMonthlyExpiries(today, 2);
    for (int m = 0; m < monthlies.size(); m++) {
      LocalDate expiry = monthlies.get(m);
      int days = (int) ChronoUnit.DAYS.between(today, expiry);
      Instrument fut = new Instrument(futureToken(expiry), Exchange.NFO, futureSymbol(NIFTY, expiry), InstrumentKind.FUT,
          FUTURE_TICK, NIFTY_LOT, 2, 0, NIFTY, expiry, 0, null);
      out.add(new SimInstrument(fut, SimPricing.future(index, SimPricing.years(days), FUTURE_TICK), m == 0 ? 8 : 3,
          NIFTY_50_TOKEN, days));
    }

    LocalDate weekly = nearestWeeklyExpiry(today);
    boolean monthlyStyle = isMonthlyExpiry(weekly);
    int days = (int) ChronoUnit.DAYS.between(today, weekly);
    long step = STRIKE_STEP_RUPEES * 100;
    long atm = Math.round((double) index / step) * step;
    for (int k = -STRIKES_EACH_SIDE; k <= STRIKES_EACH_SIDE; k++) {
      long strike = atm + k * step;
      long strikeRupees = strike / 100;
      int weight = Math.max(1, 5 - Math.abs(k) / 2);
      for (OptionType type : OptionType.values()) {
        Instrument opt = new Instrument(optionToken(weekly, strikeRupees, type), Exchange.NFO,
            optionSymbol(NIFTY, weekly, monthlyStyle, strikeRupees, type), InstrumentKind.OPT, PAISE_TICK, NIFTY_LOT,
            2, 0, NIFTY, weekly, strike, type);
        long start = SimPricing.option(index, strike, SimPricing.years(days), type == OptionType.CE, PAISE_TICK);
        out.add(new SimInstrument(opt, start, weight, NIFTY_50_TOKEN, days));
      }
    }
    return List.copyOf(out);
  }

  /** Last Tuesday of the month: NSE's monthly expiry for index derivatives (holidays ignored). */
  public static LocalDate monthlyExpiry(YearMonth month) {
    return month.atEndOfMonth().with(TemporalAdjusters.previousOrSame(DayOfWeek.TUESDAY));
  }

  public static boolean isMonthlyExpiry(LocalDate date) {
    return date.equals(monthlyExpiry(YearMonth.from(date)));
  }

  /** The next {@code n} monthly expiries on or after {@code today}. */
  public static List<LocalDate> nextMonthlyExpiries(LocalDate today, int n) {
    YearMonth month = YearMonth.from(today);
    if (monthlyExpiry(month).isBefore(today)) month = month.plusMonths(1);
    List<LocalDate> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(monthlyExpiry(month.plusMonths(i)));
    return out;
  }

  /** The first Tuesday on or after {@code today}. */
  public static LocalDate nearestWeeklyExpiry(LocalDate today) {
    return today.with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
  }

  /** Kite futures symbol: {@code NIFTY26AUGFUT}. */
  public static String futureSymbol(String underlying, LocalDate expiry) {
    return underlying + yy(expiry) + MONTHS[expiry.getMonthValue() - 1] + "FUT";
  }

  /**
   * Kite option symbol: {@code NIFTY26AUG24000CE} for the underlying's monthly (last) expiry of a month, else
   * {@code NIFTY2681824000CE} (YY, month 1–9/O/N/D, two-digit day).
   */
  public static String optionSymbol(String underlying, LocalDate expiry, boolean monthlyStyle, long strikeRupees, OptionType type) {
    StringBuilder sb = new StringBuilder(24).append(underlying).append(yy(expiry));
    if (monthlyStyle) {
      sb.append(MONTHS[expiry.getMonthValue() - 1]);
    } else {
      sb.append(WEEKLY_MONTH[expiry.getMonthValue() - 1]);
      if (expiry.getDayOfMonth() < 10) sb.append('0');
      sb.append(expiry.getDayOfMonth());
    }
    return sb.append(strikeRupees).append(type.name()).toString();
  }

  public static long futureToken(LocalDate expiry) {
    return FUTURE_TOKEN_BASE + expiry.toEpochDay();
  }

  public static long optionToken(LocalDate expiry, long strikeRupees, OptionType type) {
    if (strikeRupees <= 0 || strikeRupees >= 500_000) throw new IllegalArgumentException("strike out of range: " + strikeRupees);
    return OPTION_TOKEN_BASE + expiry.toEpochDay() * 1_000_000L + strikeRupees * 2 + (type == OptionType.PE ? 1 : 0);
  }

  private static String yy(LocalDate d) {
    int y = d.getYear() % 100;
    return y < 10 ? "0" + y : Integer.toString(y);
  }

  private static long jittered(long levelRupees, SplittableRandom rnd, long tick) {
    double factor = 1.0 + (rnd.nextDouble() * 2 - 1) * START_JITTER;
    return SimPricing.toTick(levelRupees * 100 * factor, tick);
  }
}
