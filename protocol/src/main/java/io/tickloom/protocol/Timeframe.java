package io.tickloom.protocol;

import java.time.Duration;
import java.util.Locale;

/**
 * Bar timeframes (SPEC §3). Intraday timeframes are anchored at the session open; {@link #D1} is the
 * session itself.
 */
public enum Timeframe {
  S1("1s", 1), S5("5s", 5), S15("15s", 15), M1("1m", 60), M3("3m", 180), M5("5m", 300),
  M15("15m", 900), M30("30m", 1800), H1("1h", 3600), D1("1d", 86400);

  private final String label;
  private final long nanos;

  Timeframe(String label, long seconds) {
    this.label = label;
    this.nanos = seconds * Timestamps.NANOS_PER_SECOND;
  }

  /** Wire name: {@code 1s 5s 15s 1m 3m 5m 15m 30m 1h 1d}. */
  public String label() {
    return label;
  }

  /** Length in nanoseconds (for {@link #D1}, the nominal 24 h; the real 1d bar is the session). */
  public long nanos() {
    return nanos;
  }

  public Duration duration() {
    return Duration.ofNanos(nanos);
  }

  public boolean isDaily() {
    return this == D1;
  }

  public static Timeframe parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (Timeframe tf : values()) if (tf.label.equals(t)) return tf;
    throw new IllegalArgumentException("unknown timeframe '" + s + "' (one of 1s 5s 15s 1m 3m 5m 15m 30m 1h 1d)");
  }
}
