package io.tickloom.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Timestamps are nanoseconds since the epoch (UTC) as {@code long} everywhere inside Tickloom.
 * JSON renders ISO-8601 UTC with as many fraction digits as the value needs (0, 3, 6 or 9).
 */
public final class Timestamps {
  private Timestamps() {}

  public static final long NANOS_PER_MILLI = 1_000_000L;
  public static final long NANOS_PER_SECOND = 1_000_000_000L;

  public static long ofMillis(long epochMillis) {
    return Math.multiplyExact(epochMillis, NANOS_PER_MILLI);
  }

  public static long ofMicros(long epochMicros) {
    return Math.multiplyExact(epochMicros, 1_000L);
  }

  public static long toMillis(long epochNanos) {
    return Math.floorDiv(epochNanos, NANOS_PER_MILLI);
  }

  public static long of(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND));
  }

  /** ISO-8601 UTC, e.g. {@code 2026-01-15T03:45:00.123456Z}; fraction digits 0, 3, 6 or 9 as needed. */
  public static String format(long epochNanos) {
    Instant i = toInstant(epochNanos);
    String base = i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(); // ends with Z
    int nano = i.getNano();
    if (nano == 0) return base;
    String digits;
    if (nano % 1_000_000 == 0) digits = pad(nano / 1_000_000, 3);
    else if (nano % 1_000 == 0) digits = pad(nano / 1_000, 6);
    else digits = pad(nano, 9);
    return base.substring(0, base.length() - 1) + '.' + digits + 'Z';
  }

  private static String pad(int v, int width) {
    String s = Integer.toString(v);
    return "0".repeat(width - s.length()) + s;
  }

  /**
   * Parses a query-parameter time: ISO-8601 instant ({@code 2026-01-15T03:45:00Z}, offsets allowed) or
   * epoch milliseconds (digits only).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static long parseQuery(String text) {
    String t = text.trim();
    if (!t.isEmpty() && t.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '-') && t.lastIndexOf('-') <= 0) {
      try {
        return ofMillis(Long.parseLong(t));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("epoch milliseconds out of range: '" + text + "'");
      }
    }
    try {
      return of(java.time.OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return of(Instant.parse(t));
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("expected ISO-8601 (2026-01-15T03:45:00Z) or epoch milliseconds, got '" + text + "'");
      }
    }
  }
}
