package io.tickloom.cluster.feed;

import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.sim.SimInstrument;
import io.tickloom.cluster.sim.SimSettings;
import io.tickloom.cluster.sim.SimUniverse;
import io.tickloom.cluster.sim.SimulatedFeed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The simulated NSE market as a Pekko Streams source: wakes every {@code poll-interval} and emits the ticks
 * whose (wall-clock) time has come, from both simulated feeds with their configured faults. When downstream
 * is slower, wake-ups are skipped and the next one emits everything due, so nothing is lost and nothing
 * queues without bound.
 */
public final class SimulatorFeed {
  private final List<SimInstrument> universe;
  private final SimSettings settings;
  private final long seed;
  private final Duration pollInterval;
  private double depthPerSecond;
  private Duration depthSnapshotInterval = Duration.ofSeconds(30);
  private int depthLevels = 10;

  public SimulatorFeed(List<SimInstrument> universe, SimSettings settings, long seed, Duration pollInterval) {
    this.universe = List.copyOf(universe);
    this.settings = settings;
    this.seed = seed;
    this.pollInterval = pollInterval;
  }

  /** The demo's universe (NIFTY 50, equities, futures, options of today in Asia/Kolkata) with the configured rates. */
  public static SimulatorFeed demo(ClusterSettings.Simulator s) {
    long seed = s.seed();
    List<SimInstrument> universe = SimUniverse.nse(LocalDate.now(ZoneId.of("Asia/Kolkata")), seed);
    SimSettings rates = new SimSettings(s.ticksPerSecond(), s.secondaryShare(), s.gapRate(), s.reorderRate(), s.lateRate(),
        SimSettings.DEFAULT.lossShare(), SimSettings.DEFAULT.maxLagNanos());
    return new SimulatorFeed(universe, rates, seed, s.pollInterval()).withDepth(s.depthPerSecond(), s.depthSnapshotInterval(), s.depthLevels());
  }

  /** This feed with simulated L2 depth ({@link #depthSource()}): updates per second, snapshot interval, levels per side. */
  public SimulatorFeed withDepth(double perSecond, Duration snapshotInterval, int levels) {
    this.depthPerSecond = perSecond;
    this.depthSnapshotInterval = snapshotInterval;
    this.depthLevels = levels;
    return this;
  }

  /** Whether {@link #depthSource()} emits anything. */
  public boolean hasDepth() {
    return depthPerSecond > 0;
  }

  /**
   * The simulated depth of the quoted instruments ({@link io.tickloom.cluster.sim.SimDepth}): a new source; each
   * materialization follows its own copy of the price simulation (same seed, so the same random walk as
   * {@link #source()}'s, anchored when it starts).
   */
  public Source<io.tickloom.protocol.book.DepthMessage, NotUsed> depthSource() {
    return Source.lazySource(() -> {
      SimulatedFeed feed = new SimulatedFeed(universe, settings, seed);
      io.tickloom.cluster.sim.SimDepth depth = new io.tickloom.cluster.sim.SimDepth(feed, depthLevels, depthPerSecond,
          depthSnapshotInterval.toNanos(), seed);
      return Source.tick(Duration.ZERO, pollInterval, NotUsed.getInstance())
          .mapConcat(t -> {
            long now = System.currentTimeMillis() * 1_000_000L;
            feed.poll(now, tick -> {});
            List<io.tickloom.protocol.book.DepthMessage> due = new ArrayList<>();
            depth.poll(now, due::add);
            return due;
          });
    }).mapMaterializedValue(f -> NotUsed.getInstance());
  }

  public List<Instrument> instruments() {
    return universe.stream().map(SimInstrument::instrument).toList();
  }

  /** A new source; each materialization runs its own deterministic simulation. */
  public Source<Tick, NotUsed> source() {
    return Source.lazySource(() -> {
      SimulatedFeed feed = new SimulatedFeed(universe, settings, seed);
      return Source.tick(Duration.ZERO, pollInterval, NotUsed.getInstance())
          .mapConcat(t -> {
            List<Tick> due = new ArrayList<>();
            feed.poll(System.currentTimeMillis() * 1_000_000L, due::add);
            return due;
          });
    }).mapMaterializedValue(f -> NotUsed.getInstance());
  }
}
