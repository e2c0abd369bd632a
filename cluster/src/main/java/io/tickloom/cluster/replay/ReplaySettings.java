package io.tickloom.cluster.replay;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Replay limits, from {@code tickloom.cluster.replay} when present (each key optional), else the defaults below.
 *
 * @param pageSize rows per keyset page and instrument: larger pages mean fewer queries, more memory
 * @param maxBufferedTicks ticks one session may hold in pages at once (two pages per instrument); the page size shrinks
 *     (down to 256) for sessions over many instruments so that this bound holds
 * @param batchSize ticks per processed batch (one stream element): larger batches cost less per tick, arrive burstier
 * @param maxSessions sessions not yet ended at once on this node; beyond, creating one is refused (429)
 * @param maxTokens instruments per session
 * @param retain how long an ended session stays queryable
 * @param idleTimeout a session without any subscriber for this long (never subscribed, or all left) is cancelled: it
 *     would otherwise hold its pages and its place among {@code maxSessions}
 * @param hubBuffer output batches buffered for the slowest subscriber
 */
public record ReplaySettings(int pageSize, int maxBufferedTicks, int batchSize, int maxSessions, int maxTokens, Duration retain,
    Duration idleTimeout, int hubBuffer) {

  public static final ReplaySettings DEFAULTS = new ReplaySettings(2_000, 400_000, 4_096, 16, 1_000, Duration.ofMinutes(10),
      Duration.ofMinutes(10), 16);

  public static ReplaySettings fromConfig(Config root) {
    if (!root.hasPath("tickloom.cluster.replay")) return DEFAULTS;
    Config c = root.getConfig("tickloom.cluster.replay");
    ReplaySettings d = DEFAULTS;
    return new ReplaySettings(
        c.hasPath("page-size") ? c.getInt("page-size") : d.pageSize,
        c.hasPath("max-buffered-ticks") ? c.getInt("max-buffered-ticks") : d.maxBufferedTicks,
        c.hasPath("batch-size") ? c.getInt("batch-size") : d.batchSize,
        c.hasPath("max-sessions") ? c.getInt("max-sessions") : d.maxSessions,
        c.hasPath("max-tokens") ? c.getInt("max-tokens") : d.maxTokens,
        c.hasPath("retain") ? c.getDuration("retain") : d.retain,
        c.hasPath("idle-timeout") ? c.getDuration("idle-timeout") : d.idleTimeout,
        c.hasPath("hub-buffer") ? c.getInt("hub-buffer") : d.hubBuffer);
  }

  /** Rows per page for a session over {@code instruments} instruments. */
  int pageSizeFor(int instruments) {
    return Math.max(256, Math.min(pageSize, maxBufferedTicks / (2 * Math.max(1, instruments))));
  }
}
