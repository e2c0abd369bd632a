package io.tickloom.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;

/**
 * Keeps a failure from flooding the node's log (a database outage, a dead node): of the WARN and ERROR events of one
 * <em>class</em> — the same logger and exception type, or without an exception the same logger and message pattern —
 * the first of every {@code intervalMillis} is logged and the rest only counted; the first one logged after a quiet
 * spell is preceded by a line saying how many were suppressed. Independently, one logger logs at most
 * {@code perLogger} WARN/ERROR events per interval (Pekko's own messages are already formatted, so their patterns are all
 * different). DEBUG and INFO pass untouched. Configured in logback.xml ({@code <turboFilter>}).
 */
public final class RateLimitedLogs extends TurboFilter {
  private long intervalMillis = 10_000;
  private int perLogger = 20;
  /** Classes tracked at most; beyond it the table starts again (counts of that interval are lost, nothing else). */
  private static final int MAX_KEYS = 10_000;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  /** Milliseconds; replaced in tests. */
  java.util.function.LongSupplier clock = System::currentTimeMillis;
  private static final ThreadLocal<Boolean> SUMMARIZING = ThreadLocal.withInitial(() -> false);

  private static final class Window {
    long start;
    int passed;
    long suppressed;
  }

  public void setIntervalMillis(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  public void setPerLogger(int perLogger) {
    this.perLogger = perLogger;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || SUMMARIZING.get()) return FilterReply.NEUTRAL;
    if (windows.size() > MAX_KEYS) windows.clear();
    String name = logger.getName();
    Throwable cause = t != null ? t : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable x ? x : null;
    String kind = name + '|' + (cause != null ? cause.getClass().getName() : String.valueOf(format));
    long now = clock.getAsLong();
    boolean pass = admit(logger, windows.computeIfAbsent(kind, k -> new Window()), now, 1, kind)
        && admit(logger, windows.computeIfAbsent(name + "|*", k -> new Window()), now, perLogger, name);
    return pass ? FilterReply.NEUTRAL : FilterReply.DENY;
  }

  /** Whether one more event fits in {@code w}'s interval ({@code limit} per interval); summarizes the last one's suppressed. */
  private boolean admit(Logger logger, Window w, long now, int limit, String what) {
    long suppressed;
    synchronized (w) {
      if (now - w.start >= intervalMillis) {
        suppressed = w.suppressed;
        w.start = now;
        w.passed = 0;
        w.suppressed = 0;
      } else {
        suppressed = 0;
      }
      if (w.passed >= limit) {
        w.suppressed++;
        return false;
      }
      w.passed++;
    }
    if (suppressed > 0) {
      SUMMARIZING.set(true);
      try {
        logger.warn("{} similar warnings/errors ({}) were suppressed since the last one logged (at most one per class per {} s)",
            suppressed, what, intervalMillis / 1000);
      } finally {
        SUMMARIZING.set(false);
      }
    }
    return true;
  }
}
