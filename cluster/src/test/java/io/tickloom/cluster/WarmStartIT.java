package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.IndicatorQueries.IndicatorRow;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Warm start on the real node and a real PostgreSQL (SPEC §4): two instruments get the same three days of ticks
 * (late ticks and revisions included). One runs uninterrupted; the other's entity is stopped twice mid-stream, once
 * gracefully (snapshot on stop) and once abruptly (only the periodic snapshots), and restores each time from its
 * snapshot plus the stored data since. Every stored bar, every stored indicator value and the forming bars and values
 * at the end are the same for both, bit for bit.
 */
class WarmStartIT {
  static final long SEC = 1_000_000_000L;
  static final long DAY0 = 1_700_006_400L * SEC; // a UTC midnight
  static final long KILLED = 9_100_000_001L;
  static final long STEADY = 9_100_000_002L;

  ActorTestKit kit;
  Database db;
  MarketNode node;

  /**
   * @param snapshotInterval 1h: no periodic snapshot during the test, the abrupt stop restores from the graceful
   *     stop's snapshot (a day and more of ticks replayed); 0s: a snapshot at every heartbeat with new bars, the
   *     abrupt stop restores from whichever was stored last
   */
  void start(String snapshotInterval) {
    db = TestDatabase.fresh();
    // Four timeframes keep the stored volume small (1s bars of three carried days would be 260,000 per instrument).
    kit = ActorTestKit.create("warm-start", TestConfig.node("tickloom.cluster.indicators.snapshot-interval = " + snapshotInterval
        + "\ntickloom.cluster.timeframes = [\"1m\", \"5m\", \"1h\", \"1d\"]\ntickloom.cluster.ask-timeout = 30s"));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
    node.registerInstruments(List.of(
        Instrument.cash(KILLED, Exchange.BINANCE, "KILLEDUSDT", InstrumentKind.SPOT, 1, 1, 2, 3),
        Instrument.cash(STEADY, Exchange.BINANCE, "STEADYUSDT", InstrumentKind.SPOT, 1, 1, 2, 3)));
  }

  @AfterEach
  void stop() {
    if (kit != null) kit.shutdownTestKit();
    if (db != null) db.close();
  }

  /** Three days of trades, every 12th late by up to 5 minutes (never across the day's start). */
  static List<long[]> trades() {
    SplittableRandom rnd = new SplittableRandom(5);
    List<long[]> out = new ArrayList<>();
    long ts = DAY0;
    long price = 20_000_00;
    long seq = 1;
    while (ts < DAY0 + 3 * 86_400 * SEC) {
      ts += rnd.nextLong(8 * SEC) + (rnd.nextInt(400) == 0 ? 900 * SEC : 0);
      price = Math.max(100, price + rnd.nextLong(-300, 301));
      long at = ts;
      if (rnd.nextInt(12) == 0) at = Math.max(Math.floorDiv(ts, 86_400 * SEC) * 86_400 * SEC, ts - rnd.nextLong(300 * SEC));
      out.add(new long[] {at, price, 1 + rnd.nextLong(5_000), seq++});
    }
    return out;
  }

  static List<Tick> ticks(long token, List<long[]> trades, int from, int to) {
    List<Tick> out = new ArrayList<>(to - from);
    long received = System.currentTimeMillis() * 1_000_000L;
    for (int i = from; i < to; i++) {
      long[] t = trades.get(i);
      out.add(Tick.of(token, t[0], received, t[1], t[2], t[3], Feed.IMPORT));
    }
    return out;
  }

  EntityRef<InstrumentEntity.Command> entity(long token) {
    return ClusterSharding.get(kit.system()).entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token));
  }

  void ingest(long token, List<long[]> trades, int from, int to) throws Exception {
    node.ingest(Source.from(ticks(token, trades, from, to))).second().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "snapshot-interval {0}")
  @ValueSource(strings = {"1h", "0s"})
  void anEntityStoppedMidStreamRestoresToExactlyTheUninterruptedState(String snapshotInterval) throws Exception {
    start(snapshotInterval);
    List<long[]> trades = trades();
    int n = trades.size();
    int[] cuts = {0, n * 45 / 100, n * 80 / 100, n};
    for (int c = 0; c + 1 < cuts.length; c++) {
      ingest(STEADY, trades, cuts[c], cuts[c + 1]);
      ingest(KILLED, trades, cuts[c], cuts[c + 1]);
      if (c == 0) {
        entity(KILLED).tell(new InstrumentEntity.Stop(true)); // rebalance / passivation: snapshot, then stop
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
          assertTrue(node.indicators().loadSnapshot(KILLED).isPresent(), "the stop's snapshot is stored");
          return null;
        });
      } else if (c == 1) {
        entity(KILLED).tell(new InstrumentEntity.Stop(false)); // abrupt: whatever snapshot was stored last
      }
    }
    long end = trades.stream().mapToLong(t -> t[0]).max().getAsLong();
    for (long token : new long[] {STEADY, KILLED}) {
      entity(token).<InstrumentEntity.ClockAdvanced>ask(r -> new InstrumentEntity.AdvanceClock(end + 2 * SEC, r), Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    node.flushWriter().toCompletableFuture().get(30, TimeUnit.SECONDS);

    int comparedRows = 0;
    for (Timeframe tf : node.settings().timeframes()) {
      List<Bar> steady = node.bars().bars(STEADY, tf, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000);
      List<Bar> killed = node.bars().bars(KILLED, tf, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000);
      assertFalse(steady.isEmpty(), tf.label());
      assertEquals(steady.size(), killed.size(), tf.label() + " bar count");
      for (int i = 0; i < steady.size(); i++) assertEquals(strip(steady.get(i)), strip(killed.get(i)), tf.label() + " bar " + i);

      List<IndicatorRow> a = node.indicators().indicators(STEADY, tf, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000);
      List<IndicatorRow> b = node.indicators().indicators(KILLED, tf, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000);
      assertEquals(steady.size(), a.size(), tf.label() + ": one indicator row per final bar");
      assertEquals(a.size(), b.size(), tf.label() + " indicator rows");
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).start(), b.get(i).start());
        assertEquals(a.get(i).names(), b.get(i).names(), tf.label() + " outputs at " + a.get(i).start());
        assertArrayEquals(a.get(i).values(), b.get(i).values(), tf.label() + " values at " + a.get(i).start());
        comparedRows++;
      }

      InstrumentEntity.FormingIndicators fa = entity(STEADY).<InstrumentEntity.FormingIndicators>ask(
          r -> new InstrumentEntity.GetFormingIndicators(tf, r), Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      InstrumentEntity.FormingIndicators fb = entity(KILLED).<InstrumentEntity.FormingIndicators>ask(
          r -> new InstrumentEntity.GetFormingIndicators(tf, r), Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (fa.update() == null) {
        assertEquals(null, fb.update(), tf.label());
      } else {
        assertNotNull(fb.update(), tf.label() + " forming values after the restore");
        assertEquals(fa.update().start(), fb.update().start());
        assertArrayEquals(fa.update().values(), fb.update().values(), tf.label() + " forming values");
      }
    }
    assertTrue(comparedRows > 5_000, "compared " + comparedRows);
    InstrumentEntity.Status status = entity(KILLED).<InstrumentEntity.Status>ask(InstrumentEntity.GetStatus::new, Duration.ofSeconds(10))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(trades.get(n - 1)[3] + 1, status.nextExpectedSeq(), "the sequencer resumes after the highest stored seq");
  }

  /** A bar without its token (the two instruments differ only there). */
  static String strip(Bar b) {
    return b.tf().label() + ' ' + b.start() + ' ' + b.end() + ' ' + b.open() + ' ' + b.high() + ' ' + b.low() + ' ' + b.close() + ' '
        + b.volume() + ' ' + b.trades() + ' ' + b.vwap() + ' ' + b.revision();
  }
}
