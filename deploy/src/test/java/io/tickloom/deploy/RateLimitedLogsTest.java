package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A flood of one failure class becomes one line per interval, then a count; other classes and INFO pass. */
class RateLimitedLogsTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final LoggerContext context = new LoggerContext();
  final ListAppender<ILoggingEvent> out = new ListAppender<>();
  final Logger log;

  RateLimitedLogsTest() {
    RateLimitedLogs filter = new RateLimitedLogs();
    filter.clock = now::get;
    filter.setIntervalMillis(10_000);
    filter.setPerLogger(5);
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    out.setContext(context);
    out.start();
    log = context.getLogger("io.tickloom.test");
    log.addAppender(out);
  }

  @Test
  void oneLinePerFailureClassPerIntervalThenTheCount() {
    for (int i = 0; i < 1000; i++) log.error("storing {} ticks failed, will retry: {}", i, "connection refused");
    assertEquals(1, out.list.size());
    for (int i = 0; i < 1000; i++) log.warn("journal write of order {} failed", "o" + i, new IllegalStateException("db down"));
    assertEquals(2, out.list.size(), "another class: its first line passes");
    for (int i = 0; i < 10; i++) log.info("started {}", i);
    assertEquals(12, out.list.size(), "INFO is never limited");
    now.addAndGet(10_000);
    log.error("storing {} ticks failed, will retry: {}", 7, "connection refused");
    String summary = out.list.get(12).getFormattedMessage();
    assertTrue(summary.startsWith("999 similar warnings/errors"), summary);
    assertEquals("storing 7 ticks failed, will retry: connection refused", out.list.get(13).getFormattedMessage());
  }

  @Test
  void oneLoggerLogsAtMostItsCapOfDistinctMessagesPerInterval() {
    for (int i = 0; i < 100; i++) log.warn("persistence id order|ACC." + i + " failed"); // already formatted: all different
    assertEquals(5, out.list.size());
  }
}
