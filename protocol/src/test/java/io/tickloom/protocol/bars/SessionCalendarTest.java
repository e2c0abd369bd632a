package io.tickloom.protocol.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SessionCalendarTest {
  private static final long MINUTE = 60 * Timestamps.NANOS_PER_SECOND;

  /** Nanos of an ISO-8601 time with offset, e.g. {@code 2026-01-15T09:15:00+05:30}. */
  static long t(String iso) {
    return Timestamps.of(OffsetDateTime.parse(iso).toInstant());
  }

  private final SessionCalendar nse = new SessionCalendar(TradingHours.NSE);

  @Test
  void nseHourBarsAnchorAtSessionOpen() {
    long ts = t("2026-01-15T09:20:00+05:30");
    assertEquals(t("2026-01-15T09:15:00+05:30"), nse.barStart(ts, Timeframe.H1));
    assertEquals(t("2026-01-15T10:15:00+05:30"), nse.barEnd(ts, Timeframe.H1));
    assertEquals(t("2026-01-15T11:15:00+05:30"), nse.barStart(t("2026-01-15T12:14:59.999+05:30"), Timeframe.H1));
    assertEquals(t("2026-01-15T12:15:00+05:30"), nse.barStart(t("2026-01-15T12:15:00+05:30"), Timeframe.H1));
  }

  @Test
  void nseLastHourBarIsTruncatedAtSessionClose() {
    long ts = t("2026-01-15T15:29:59.999+05:30");
    assertEquals(t("2026-01-15T15:15:00+05:30"), nse.barStart(ts, Timeframe.H1));
    assertEquals(t("2026-01-15T15:30:00+05:30"), nse.barEnd(ts, Timeframe.H1));
    assertEquals(t("2026-01-15T15:15:00+05:30"), nse.barStart(ts, Timeframe.M30));
    assertEquals(t("2026-01-15T15:30:00+05:30"), nse.barEnd(ts, Timeframe.M30));
  }

  @Test
  void nseMinuteAndThreeMinuteBarsAnchorAtOpen() {
    long ts = t("2026-01-15T09:20:30+05:30");
    assertEquals(t("2026-01-15T09:20:00+05:30"), nse.barStart(ts, Timeframe.M1));
    assertEquals(t("2026-01-15T09:21:00+05:30"), nse.barEnd(ts, Timeframe.M1));
    assertEquals(t("2026-01-15T09:18:00+05:30"), nse.barStart(ts, Timeframe.M3)); // 09:15, 09:18, 09:21
    assertEquals(t("2026-01-15T09:15:00+05:30"), nse.barStart(ts, Timeframe.M15));
  }

  @Test
  void nseDailyBarIsTheSession() {
    long ts = t("2026-01-15T11:00:00+05:30");
    assertEquals(t("2026-01-15T09:15:00+05:30"), nse.barStart(ts, Timeframe.D1));
    assertEquals(t("2026-01-15T15:30:00+05:30"), nse.barEnd(ts, Timeframe.D1));
    assertEquals(t("2026-01-15T09:15:00+05:30"), nse.sessionStart(ts));
    assertEquals(t("2026-01-15T15:30:00+05:30"), nse.sessionEnd(ts));
  }

  @Test
  void nseTimesOutsideTheSessionHaveNoBar() {
    assertFalse(nse.inSession(t("2026-01-15T09:14:59.999999999+05:30")));
    assertTrue(nse.inSession(t("2026-01-15T09:15:00+05:30")));
    assertTrue(nse.inSession(t("2026-01-15T15:29:59.999999999+05:30")));
    assertFalse(nse.inSession(t("2026-01-15T15:30:00+05:30")));
    assertFalse(nse.inSession(t("2026-01-15T23:00:00+05:30")));
    assertEquals(SessionCalendar.NO_SESSION, nse.barStart(t("2026-01-15T16:00:00+05:30"), Timeframe.M1));
    assertEquals(SessionCalendar.NO_SESSION, nse.barEnd(t("2026-01-15T08:00:00+05:30"), Timeframe.H1));
    assertEquals(SessionCalendar.NO_SESSION, nse.sessionStart(t("2026-01-15T08:00:00+05:30")));
  }

  @Test
  void nextSessionStartOfClosedTimeIsTheComingOpen() {
    assertEquals(t("2026-01-16T09:15:00+05:30"), nse.nextSessionStart(t("2026-01-15T16:00:00+05:30")));
    assertEquals(t("2026-01-15T09:15:00+05:30"), nse.nextSessionStart(t("2026-01-15T02:00:00+05:30")));
    assertEquals(t("2026-01-16T09:15:00+05:30"), nse.nextSessionStart(t("2026-01-15T10:00:00+05:30")));
  }

  @Test
  void binanceDayStartsAtUtcMidnight() {
    SessionCalendar utc = new SessionCalendar(TradingHours.UTC_24H);
    long ts = t("2017-08-17T04:00:28.322Z");
    assertTrue(utc.inSession(ts));
    assertEquals(t("2017-08-17T00:00:00Z"), utc.sessionStart(ts));
    assertEquals(t("2017-08-18T00:00:00Z"), utc.sessionEnd(ts));
    assertEquals(t("2017-08-17T00:00:00Z"), utc.barStart(ts, Timeframe.D1));
    assertEquals(t("2017-08-18T00:00:00Z"), utc.barEnd(ts, Timeframe.D1));
    assertEquals(t("2017-08-17T04:00:00Z"), utc.barStart(ts, Timeframe.M1));
    assertEquals(t("2017-08-17T04:00:00Z"), utc.barStart(ts, Timeframe.H1));
    assertEquals(t("2017-08-17T23:00:00Z"), utc.barStart(t("2017-08-17T23:59:59.999Z"), Timeframe.H1));
    assertEquals(t("2017-08-18T00:00:00Z"), utc.barEnd(t("2017-08-17T23:59:59.999Z"), Timeframe.H1));
    assertEquals(t("2017-08-18T00:00:00Z"), utc.nextSessionStart(ts));
  }

  @Test
  void allDayVenueDayRunsFromOpenToNextOpen() {
    SessionCalendar demo = new SessionCalendar(TradingHours.NSE.aroundTheClock());
    long early = t("2026-01-15T08:30:00+05:30"); // before 09:15: still the previous day's session
    assertTrue(demo.inSession(early));
    assertEquals(t("2026-01-14T09:15:00+05:30"), demo.sessionStart(early));
    assertEquals(t("2026-01-15T09:15:00+05:30"), demo.sessionEnd(early));
    assertEquals(t("2026-01-15T08:15:00+05:30"), demo.barStart(early, Timeframe.H1));
    assertEquals(t("2026-01-15T09:15:00+05:30"), demo.barEnd(early, Timeframe.H1));
    long open = t("2026-01-15T09:15:00+05:30");
    assertEquals(open, demo.sessionStart(open));
    assertEquals(open, demo.barStart(open, Timeframe.D1));
    assertEquals(t("2026-01-16T09:15:00+05:30"), demo.barEnd(open, Timeframe.D1));
    assertTrue(demo.inSession(t("2026-01-15T23:59:00+05:30")));
  }

  @Test
  void sessionFollowsLocalOpenAcrossDaylightSaving() {
    TradingHours nyse = new TradingHours(ZoneId.of("America/New_York"), LocalTime.of(9, 30), LocalTime.of(16, 0), false);
    SessionCalendar cal = new SessionCalendar(nyse);
    assertEquals(t("2024-03-08T14:30:00Z"), cal.sessionStart(t("2024-03-08T15:00:00Z"))); // EST
    assertEquals(t("2024-03-11T13:30:00Z"), cal.sessionStart(t("2024-03-11T15:00:00Z"))); // EDT
    assertEquals(t("2024-03-11T20:00:00Z"), cal.barEnd(t("2024-03-11T19:45:00Z"), Timeframe.H1));
    assertEquals(t("2024-03-11T19:30:00Z"), cal.barStart(t("2024-03-11T19:45:00Z"), Timeframe.H1));
  }

  @Test
  void cachedLookupsAgreeWithFreshCalendarWhenJumpingBetweenDays() {
    long base = t("2026-01-10T00:00:00+05:30");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 5_000; i++) {
      long ts = base + (long) (random.nextDouble() * 10 * 24 * 60) * MINUTE + random.nextInt(60_000) * 1_000_000L;
      SessionCalendar fresh = new SessionCalendar(TradingHours.NSE);
      assertEquals(fresh.inSession(ts), nse.inSession(ts), "inSession at " + ts);
      assertEquals(fresh.barStart(ts, Timeframe.M5), nse.barStart(ts, Timeframe.M5));
      assertEquals(fresh.barEnd(ts, Timeframe.H1), nse.barEnd(ts, Timeframe.H1));
      assertEquals(fresh.nextSessionStart(ts), nse.nextSessionStart(ts));
    }
  }
}
