package io.tickloom.protocol;

import java.time.LocalTime;
import java.time.ZoneId;

/**
 * When a venue trades and how its bars are anchored. Intraday bars start at {@code open} plus whole
 * multiples of the timeframe (NSE: 09:15 Asia/Kolkata, so a 1h bar is 09:15-10:15); the 1d bar is the
 * session. {@code allDay} venues trade around the clock with the day starting at {@code open}
 * (Binance: 00:00 UTC; the demo's simulated NSE: 09:15 IST to 09:15 IST next day).
 *
 * @param close exclusive session end; ignored when {@code allDay}
 */
public record TradingHours(ZoneId zone, LocalTime open, LocalTime close, boolean allDay) {
  public TradingHours {
    if (!allDay && !open.isBefore(close)) {
      throw new IllegalArgumentException("session open " + open + " must be before close " + close);
    }
  }

  public static final TradingHours NSE = new TradingHours(ZoneId.of("Asia/Kolkata"), LocalTime.of(9, 15), LocalTime.of(15, 30), false);
  public static final TradingHours MCX = new TradingHours(ZoneId.of("Asia/Kolkata"), LocalTime.of(9, 0), LocalTime.of(23, 30), false);
  public static final TradingHours UTC_24H = new TradingHours(ZoneId.of("UTC"), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true);

  /** The same anchoring, open around the clock (used by the demo's simulated venues). */
  public TradingHours aroundTheClock() {
    return new TradingHours(zone, open, open, true);
  }
}
