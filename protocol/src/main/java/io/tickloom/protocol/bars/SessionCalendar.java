package io.tickloom.protocol.bars;

import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Sessions and bar boundaries of one venue's {@link TradingHours}, in epoch nanoseconds.
 *
 * <p>Rules (SPEC §3, §4):
 * <ul>
 *   <li>A regular venue ({@code allDay == false}) has one session per calendar day in its zone,
 *       {@code [open, close)}; every day is a session day (holidays simply carry no ticks). Time outside
 *       a session is closed: {@link #inSession} is false and the bar methods return {@link #NO_SESSION}.
 *   <li>An {@code allDay} venue is always open; its day runs from {@code open} to the next day's
 *       {@code open} (Binance: 00:00 UTC; the demo's {@code NSE.aroundTheClock()}: 09:15 IST to 09:15 IST).
 *   <li>Intraday bars start at the session start plus whole multiples of the timeframe; the last bar of a
 *       session ends at the session end (NSE 1h: 09:15-10:15 ... 15:15-15:30). {@link Timeframe#D1} is
 *       the whole session. Daylight-saving shifts are resolved by {@link ZonedDateTime#of} (a local time in
 *       a gap moves forward), so a session may be 23 h or 25 h long on such a day.
 * </ul>
 *
 * <p>Not thread-safe: it caches the last two session/closed segments it resolved, so lookups that stay in
 * the same session cost a few comparisons and no {@code java.time} call or allocation. Create one per owner
 * (it is cheap).
 */
public final class SessionCalendar {
  /** Returned by the boundary methods for a time outside every session. */
  public static final long NO_SESSION = Long.MIN_VALUE;

  private final TradingHours hours;

  // Two-entry cache of resolved segments [start, end): a session (open) or the closed time between two.
  private long aStart = 1, aEnd = 0;
  private boolean aOpen;
  private long bStart = 1, bEnd = 0;
  private boolean bOpen;
  // The segment selected by the last locate().
  private long segStart, segEnd;
  private boolean segOpen;

  public SessionCalendar(TradingHours hours) {
    this.hours = Objects.requireNonNull(hours, "hours");
  }

  public TradingHours hours() {
    return hours;
  }

  /** Whether {@code ts} lies inside a session (always true for an allDay venue). */
  public boolean inSession(long ts) {
    locate(ts);
    return segOpen;
  }

  /** Start of the session containing {@code ts}, or {@link #NO_SESSION}. */
  public long sessionStart(long ts) {
    locate(ts);
    return segOpen ? segStart : NO_SESSION;
  }

  /** Exclusive end of the session containing {@code ts}, or {@link #NO_SESSION}. */
  public long sessionEnd(long ts) {
    locate(ts);
    return segOpen ? segEnd : NO_SESSION;
  }

  /**
   * Start of the next session that begins after {@code ts} (strictly later), for a closed {@code ts} the
   * opening of the coming session.
   */
  public long nextSessionStart(long ts) {
    locate(ts);
    if (!segOpen) return segEnd;
    long end = segEnd;
    if (hours.allDay()) return end;
    locate(end); // the closed segment after this session
    return segEnd;
  }

  /** Start of the {@code tf} bar containing {@code ts}, or {@link #NO_SESSION} outside a session. */
  public long barStart(long ts, Timeframe tf) {
    locate(ts);
    if (!segOpen) return NO_SESSION;
    return barStartIn(segStart, ts, tf);
  }

  /** Exclusive end of the {@code tf} bar containing {@code ts}, or {@link #NO_SESSION} outside a session. */
  public long barEnd(long ts, Timeframe tf) {
    locate(ts);
    if (!segOpen) return NO_SESSION;
    return barEndIn(segStart, segEnd, barStartIn(segStart, ts, tf), tf);
  }

  /** Bar start for {@code ts} inside the session starting at {@code sessionStart}. Pure arithmetic. */
  static long barStartIn(long sessionStart, long ts, Timeframe tf) {
    if (tf == Timeframe.D1) return sessionStart;
    long n = tf.nanos();
    return sessionStart + (ts - sessionStart) / n * n;
  }

  /** Bar end for a bar starting at {@code barStart} in the session {@code [sessionStart, sessionEnd)}. */
  static long barEndIn(long sessionStart, long sessionEnd, long barStart, Timeframe tf) {
    if (tf == Timeframe.D1) return sessionEnd;
    long end = barStart + tf.nanos();
    return end < sessionEnd ? end : sessionEnd;
  }

  /**
   * Resolves the segment (session or closed time) containing {@code ts} into {@code seg*} and returns
   * whether it is a session. Package-private for {@link BarAggregator}, which caches the bounds itself.
   */
  boolean locate(long ts) {
    if (ts >= aStart && ts < aEnd) {
      segStart = aStart;
      segEnd = aEnd;
      segOpen = aOpen;
      return segOpen;
    }
    if (ts >= bStart && ts < bEnd) {
      // swap so the most recent is in a
      long s = bStart, e = bEnd;
      boolean o = bOpen;
      bStart = aStart;
      bEnd = aEnd;
      bOpen = aOpen;
      aStart = s;
      aEnd = e;
      aOpen = o;
      segStart = s;
      segEnd = e;
      segOpen = o;
      return o;
    }
    resolve(ts);
    bStart = aStart;
    bEnd = aEnd;
    bOpen = aOpen;
    aStart = segStart;
    aEnd = segEnd;
    aOpen = segOpen;
    return segOpen;
  }

  long segmentStart() {
    return segStart;
  }

  long segmentEnd() {
    return segEnd;
  }

  private void resolve(long ts) {
    Instant instant = Timestamps.toInstant(ts);
    LocalDate day = instant.atZone(hours.zone()).toLocalDate();
    if (hours.allDay()) {
      long start = at(day, true);
      if (ts < start) {
        day = day.minusDays(1);
        start = at(day, true);
      }
      long end = at(day.plusDays(1), true);
      if (ts >= end) { // only possible around odd zone transitions
        day = day.plusDays(1);
        start = end;
        end = at(day.plusDays(1), true);
      }
      set(start, end, true);
      return;
    }
    long open = at(day, true);
    long close = at(day, false);
    if (ts < open) {
      set(at(day.minusDays(1), false), open, false);
    } else if (ts >= close) {
      set(close, at(day.plusDays(1), true), false);
    } else {
      set(open, close, true);
    }
  }

  private void set(long start, long end, boolean open) {
    segStart = start;
    segEnd = end;
    segOpen = open;
  }

  private long at(LocalDate day, boolean open) {
    return Timestamps.of(ZonedDateTime.of(day, open ? hours.open() : hours.close(), hours.zone()).toInstant());
  }
}
