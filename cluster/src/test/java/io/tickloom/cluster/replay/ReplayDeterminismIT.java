package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.InstrumentEntity;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.TestConfig;
import io.tickloom.cluster.sim.SimInstrument;
import io.tickloom.cluster.sim.SimSettings;
import io.tickloom.cluster.sim.SimUniverse;
import io.tickloom.cluster.sim.SimulatedFeed;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.IndicatorQueries.IndicatorRow;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.indicators.Rounding;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4/§5 determinism: a day of simulated ticks with faults (secondary duplicates, gaps filled and lost, reordering,
 * late ticks) goes through the live pipeline into the real PostgreSQL; a replay of the day at {@code max} then gives
 * final bars and indicator values identical to the stored live ones, twice over, and leaves every table and live
 * entity as it was.
 */
class ReplayDeterminismIT {
  static final long SEC = 1_000_000_000L;
  static final List<Timeframe> TFS = List.of(Timeframe.S1, Timeframe.S15, Timeframe.M1, Timeframe.M5, Timeframe.H1, Timeframe.D1);
  static ActorTestKit kit;
  static Database db;
  static MarketNode node;
  static List<SimInstrument> universe;
  static long from;
  static long to;

  @BeforeAll
  static void liveDay() throws Exception {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("replay-determinism", TestConfig.node("""
        tickloom.cluster.around-the-clock = on
        tickloom.cluster.timeframes = ["1s", "15s", "1m", "5m", "1h", "1d"]
        """));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Kolkata")).minusDays(2);
    universe = SimUniverse.nse(day, 7).subList(0, 4);
    node.registerInstruments(universe.stream().map(SimInstrument::instrument).toList());
    // A day (around the clock: 09:15 IST to 09:15 IST) at 0.4 trades/s, with every fault the simulator has.
    SimulatedFeed feed = new SimulatedFeed(universe, new SimSettings(0.4, 0.2, 0.01, 0.01, 0.01, 0.2, 0), 11);
    from = day.atTime(9, 15).atZone(ZoneId.of("Asia/Kolkata")).toInstant().getEpochSecond() * SEC;
    to = from + 86_400 * SEC;
    List<Tick> delivered = new ArrayList<>();
    for (long t = from; t < to; t += 250_000_000L) feed.poll(t, delivered::add);
    assertTrue(feed.late() > 0 && feed.lost() > 0 && feed.secondaryCopies() > 0 && feed.reordered() > 0, "faults injected");
    node.ingest(Source.from(delivered)).second().toCompletableFuture().get(120, TimeUnit.SECONDS);
    // The live clock passes the day's end by the grace: every bar of the day is final (what a replay to `to` finalizes).
    for (SimInstrument s : universe) {
      ClusterSharding.get(kit.system()).entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(s.token()))
          .<InstrumentEntity.ClockAdvanced>ask(r -> new InstrumentEntity.AdvanceClock(to + node.settings().barGrace().toNanos(), r),
              Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    node.flushWriter().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    db.close();
  }

  static List<ReplayOutput> replay(ReplaySessions sessions) throws Exception {
    ReplayStatus s = sessions.start(new ReplayRequest(universe.stream().map(SimInstrument::token).toList(), from, to, ReplayRequest.MAX,
        TFS, false));
    return sessions.subscribe(s.id()).orElseThrow().runWith(Sink.seq(), kit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  void aDayReplayedAtMaxGivesTheLiveBarsAndIndicatorValuesTwiceAndTouchesNothingLive() throws Exception {
    Map<String, Long> tablesBefore = counts();
    List<Long> acceptedBefore = accepted();
    ReplaySessions sessions = new ReplaySessions(kit.system(), node.ticks(), node.instruments(), node.settings(), node.blocking(),
        ReplaySettings.DEFAULTS);
    List<ReplayOutput> first = replay(sessions);
    List<ReplayOutput> second = replay(sessions);

    assertEquals(ReplaySessionsTest.flatten(first), ReplaySessionsTest.flatten(second), "the same replay twice gives the same output");
    ReplayOutput.End end = assertInstanceOf(ReplayOutput.End.class, first.get(first.size() - 1));
    assertEquals(ReplayStatus.State.ENDED, end.status().state());
    long storedTicks = universe.stream().mapToLong(s -> node.ticks().count(s.token())).sum();
    assertEquals(storedTicks, end.status().ticksSent(), "every stored tick of the day, once");

    // Last bar and last values per (token, tf, start) of the replay.
    Map<String, Bar> bars = new TreeMap<>();
    Map<String, MarketEvent.IndicatorUpdate> values = new TreeMap<>();
    for (ReplayOutput o : first) {
      if (!(o instanceof ReplayOutput.Batch b)) continue;
      for (Bar bar : b.bars()) bars.put(key(bar.token(), bar.tf(), bar.start()), bar);
      for (MarketEvent.IndicatorUpdate v : b.values()) values.put(key(v.token(), v.tf(), v.start()), v);
    }
    int revisedLive = 0;
    int compared = 0;
    int valuesCompared = 0;
    for (SimInstrument s : universe) {
      for (Timeframe tf : TFS) {
        List<Bar> live = node.bars().bars(s.token(), tf, from, to, 1_000_000);
        List<Bar> replayed = bars.values().stream().filter(b -> b.token() == s.token() && b.tf() == tf).toList();
        assertEquals(live.size(), replayed.size(), tf.label() + " bars of " + s.token());
        for (int i = 0; i < live.size(); i++) {
          assertTrue(live.get(i).sameValues(replayed.get(i)), tf.label() + " bar " + i + " of " + s.token() + ": live " + live.get(i)
              + " replayed " + replayed.get(i));
          if (live.get(i).revision() > 0) revisedLive++;
          compared++;
        }
        for (IndicatorRow row : node.indicators().indicators(s.token(), tf, from, to, 1_000_000)) {
          MarketEvent.IndicatorUpdate v = values.get(key(s.token(), tf, row.start()));
          assertTrue(v != null, "values of " + tf.label() + " bar " + row.start() + " of " + s.token());
          assertEquals(rendered(row.names(), row.values()), rendered(v.names(), v.values()), tf.label() + " values at " + row.start() + " of " + s.token());
          valuesCompared++;
        }
      }
    }
    assertTrue(revisedLive > 0, "late ticks revised some live bars (the replay, in exchange-time order, has no revision to make)");
    assertTrue(compared > 30_000, "bars compared: " + compared);
    assertEquals(values.size(), valuesCompared, "every replayed bar's values match a stored row");

    assertEquals(tablesBefore, counts(), "a replay writes nothing");
    assertEquals(acceptedBefore, accepted(), "live entities saw nothing of the replay");
  }

  static String key(long token, Timeframe tf, long start) {
    return token + "/" + tf.label() + "/" + String.format("%020d", start);
  }

  /** name=value as rendered by the API and the store (8 decimals), outputs without a value omitted, sorted by name. */
  static Map<String, String> rendered(List<String> names, double[] values) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) if (Double.isFinite(values[i])) m.put(names.get(i), Rounding.format(values[i]));
    return m;
  }

  static Map<String, Long> counts() throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      for (String table : List.of("ticks", "bars", "gaps", "indicator_values", "instrument_snapshots")) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          m.put(table, rs.getLong(1));
        }
      }
    }
    return m;
  }

  static List<Long> accepted() throws Exception {
    List<Long> out = new ArrayList<>();
    for (SimInstrument s : universe) out.add(node.live().status(s.token()).toCompletableFuture().get(10, TimeUnit.SECONDS).accepted());
    return out;
  }
}
