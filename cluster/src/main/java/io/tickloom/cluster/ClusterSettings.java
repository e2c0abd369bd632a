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
    Indicators indicators) {

  /**
   * @param names indicators every instrument × timeframe computes (empty: none)
   * @param snapshotInterval how often an entity whose state moved writes its warm-start snapshot
   * @param warmStart whether a starting entity restores from its snapshot and the stored data since
   */
  public record Indicators(List<String> names, Duration snapshotInterval, boolean warmStart) {}

  public record Ingest(int maxBatch, Duration maxBatchDelay, int maxInstrumentBatch, int parallelism, int askAttempts, int storeBatch,
      Duration storeBatchDelay, int storeParallelism) {}

  public record Simulator(double ticksPerSecond, double secondaryShare, double gapRate, double reorderRate, double lateRate, long seed, Duration pollInterval) {}

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
        new Ingest(i.getInt("max-batch"), i.getDuration("max-batch-delay"), i.getInt("max-instrument-batch"), i.getInt("parallelism"),
            i.getInt("ask-attempts"), i.getInt("store-batch"),
            i.getDuration("store-batch-delay"), i.getInt("store-parallelism")),
        new Simulator(s.getDouble("ticks-per-second"), s.getDouble("secondary-share"), s.getDouble("gap-rate"),
            s.getDouble("reorder-rate"), s.getDouble("late-rate"), s.getLong("seed"), s.getDuration("poll-interval")),
        indicators(c.getConfig("indicators")));
  }

  private static Indicators indicators(Config c) {
    List<String> names = List.copyOf(c.getStringList("names"));
    io.tickloom.protocol.indicators.IndicatorSet.of(names); // refuses a bad or repeated name at start, with the reason
    return new Indicators(names, c.getDuration("snapshot-interval"), c.getBoolean("warm-start"));
  }

  public Timeframe[] timeframeArray() {
    return timeframes.toArray(Timeframe[]::new);
  }
}
