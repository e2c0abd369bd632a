package io.tickloom.cluster;

import com.typesafe.config.Config;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.List;

/** {@code tickloom.cluster} parsed once (see the module's reference.conf for what each key trades off). */
public record ClusterSettings(
    List<Timeframe> timeframes,
    Duration barGrace,
    int revisionHistory,
    Duration gapTimeout,
    int maxOpenGaps,
    int dedupeWindow,
    Duration heartbeatInterval,
    Duration askTimeout,
    Duration writerFlushTimeout,
    boolean aroundTheClock,
    Duration instrumentRefresh,
    Ingest ingest,
    Simulator simulator,
    Indicators indicators,
    Books books,
    MarketHub.Settings hub,
    long maxSeqJump) {

  /**
   * @param names indicators every instrument × timeframe computes (empty: none)
   * @param snapshotInterval how often an entity whose state moved writes its warm-start snapshot
   * @param warmStart whether a starting entity restores from its snapshot and the stored data since
   */
  public record Indicators(List<String> names, Duration snapshotInterval, boolean warmStart) {}

  /**
   * @param maxHeld items offered to the entities and not yet answered (ticks: not yet stored) across all instruments;
   *     beyond it the ingest stream is backpressured
   * @param maxHeldPerInstrument items one instrument's lane holds while its entity is away; beyond it the oldest are
   *     dropped (counted, logged)
   * @param maxHold how long a batch waits for its entity before it and what waits behind it are dropped (counted, logged)
   * @param maxInFlight items sent to entities and not answered yet, across all instruments whose entity answers (the
   *     rest waits in its lane): bounds how long a batch queues behind others at the entities
   * @param laneAskTimeout how long one delivery attempt waits for the entity's answer before it is sent again
   */
  public record Ingest(int maxBatch, Duration maxBatchDelay, int maxInstrumentBatch, long maxHeld, long maxHeldPerInstrument,
      long maxInFlight, Duration maxHold, Duration laneAskTimeout, int storeBatch, Duration storeBatchDelay, int storeParallelism) {}

  /**
   * @param depthPerSecond L2 depth updates per second over the whole universe (0: no depth)
   * @param depthSnapshotInterval how often each instrument's full L2 snapshot is sent again (a book that lost sync, or
   *     an entity that started meanwhile, resyncs from it)
   * @param depthLevels levels per side of the simulated books
   */
  public record Simulator(double ticksPerSecond, double secondaryShare, double gapRate, double reorderRate, double lateRate, long seed,
      Duration pollInterval, double depthPerSecond, Duration depthSnapshotInterval, int depthLevels) {}

  /**
   * @param snapshotInterval how often an entity whose book moved writes the book's state into the book log (time travel
   *     replays at most this much of the log after the nearest state)
   * @param publishLevels levels per side an entity publishes to its subscribers (the WebSocket {@code depth} channel)
   * @param storeEvents whether the entities log their depth messages and states for time travel
   */
  /** @param retention book-log entries older than this are pruned (hourly), keeping every instant since rebuildable; 0: kept forever */
  public record Books(Duration snapshotInterval, int publishLevels, boolean storeEvents, Duration retention) {}

  public static ClusterSettings fromConfig(Config root) {
    Config c = root.getConfig("tickloom.cluster");
    Config i = c.getConfig("ingest");
    Config s = c.getConfig("simulator");
    int window = c.getInt("dedupe-window");
    if (Integer.bitCount(window) != 1) throw new IllegalArgumentException("tickloom.cluster.dedupe-window must be a power of two: " + window);
    return new ClusterSettings(
        c.getStringList("timeframes").stream().map(Timeframe::parse).toList(),
        c.getDuration("bar-grace"),
        c.getInt("revision-history"),
        c.getDuration("gap-timeout"),
        c.getInt("max-open-gaps"),
        window,
        c.getDuration("heartbeat-interval"),
        c.getDuration("ask-timeout"),
        c.getDuration("writer-flush-timeout"),
        c.getBoolean("around-the-clock"),
        c.getDuration("instrument-refresh"),
        new Ingest(i.getInt("max-batch"), i.getDuration("max-batch-delay"), i.getInt("max-instrument-batch"), i.getLong("max-held"),
            i.getLong("max-held-per-instrument"), i.getLong("max-in-flight"), i.getDuration("max-hold"), i.getDuration("lane-ask-timeout"), i.getInt("store-batch"),
            i.getDuration("store-batch-delay"), i.getInt("store-parallelism")),
        new Simulator(s.getDouble("ticks-per-second"), s.getDouble("secondary-share"), s.getDouble("gap-rate"),
            s.getDouble("reorder-rate"), s.getDouble("late-rate"), s.getLong("seed"), s.getDuration("poll-interval"),
            s.getDouble("depth-per-second"), s.getDuration("depth-snapshot-interval"), s.getInt("depth-levels")),
        indicators(c.getConfig("indicators")),
        books(c.getConfig("books")),
        hub(c.getConfig("live")),
        c.getLong("max-seq-jump"));
  }

  private static Indicators indicators(Config c) {
    List<String> names = List.copyOf(c.getStringList("names"));
    io.tickloom.protocol.indicators.IndicatorSet.of(names); // refuses a bad or repeated name at start, with the reason
    return new Indicators(names, c.getDuration("snapshot-interval"), c.getBoolean("warm-start"));
  }

  private static Books books(Config c) {
    int levels = c.getInt("publish-levels");
    if (levels < 1 || levels > 1000) throw new IllegalArgumentException("tickloom.cluster.books.publish-levels must be 1..1000: " + levels);
    return new Books(c.getDuration("snapshot-interval"), levels, c.getBoolean("store-events"), c.getDuration("retention"));
  }

  private static MarketHub.Settings hub(Config c) {
    return new MarketHub.Settings(c.getDuration("linger"), c.getDuration("resync-delay"), c.getDuration("resync-lookback"),
        c.getInt("catch-up-limit"));
  }

  public Timeframe[] timeframeArray() {
    return timeframes.toArray(Timeframe[]::new);
  }
}
