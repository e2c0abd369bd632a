package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.sim.SimInstrument;
import io.tickloom.cluster.sim.SimSettings;
import io.tickloom.cluster.sim.SimUniverse;
import io.tickloom.cluster.sim.SimulatedFeed;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
import io.tickloom.protocol.bars.OfflineBars;
import io.tickloom.protocol.format.BinanceTrades;
import io.tickloom.protocol.format.Scales;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real node's market side on a real PostgreSQL: ticks through the ingest stream, the sharded entities
 * and the stores; bars read back from the store.
 */
class LivePathIT {
  static final long SEC = 1_000_000_000L;
  ActorTestKit kit;
  Database db;
  MarketNode node;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("live-path", TestConfig.node("tickloom.cluster.around-the-clock = on"));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
    db.close();
  }

  @Test
  void binanceTradesFedThroughTheNodeGiveTheOfflineAndExchangeKlines() throws Exception {
    Path oracle = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle"), "binance");
    Path trades = oracle.resolve("BTCUSDT-trades-2017-08-17.csv");
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(trades), "oracle data absent at " + oracle.toAbsolutePath());
    long token = 9_000_000_001L;
    node.registerInstruments(List.of(Instrument.cash(token, Exchange.BINANCE, "BTCUSDT", InstrumentKind.SPOT, 1_000_000, 1, 8, 8)));

    List<Tick> ticks = new ArrayList<>();
    try (var reader = new BinanceTrades(Files.newBufferedReader(trades, StandardCharsets.UTF_8), token, Scales.BINANCE_SPOT)) {
      for (Tick t = reader.next(); t != null; t = reader.next()) ticks.add(t);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    // An import stamps ticks with the time it receives them.
    List<Tick> received = ticks.stream().map(t -> t.withReceiveTs(now)).toList();
    node.ingest(Source.from(received)).second().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long last = ticks.get(ticks.size() - 1).exchangeTs();
    long lastMinuteEnd = Math.floorDiv(last, 60 * SEC) * 60 * SEC + 60 * SEC;
    advanceClock(token, lastMinuteEnd + SEC);

    List<Bar> live = node.bars().bars(token, Timeframe.M1, 0, lastMinuteEnd, 10_000);
    StringWriter offline = new StringWriter();
    OfflineBars.run(OfflineBars.Format.BINANCE_TRADES, Timeframe.M1, EmptyBarPolicy.CARRY, List.of(trades), offline);
    List<String> expected = offline.toString().lines().toList();
    List<String> actual = live.stream().map(b -> OfflineBars.csvLine(b, Scales.BINANCE_SPOT)).toList();
    assertEquals(1199, expected.size());
    assertEquals(expected, actual);

    // And the exchange's own klines, field by field (open time, o, h, l, c, volume, trades).
    List<String> klines = Files.readAllLines(oracle.resolve("BTCUSDT-1m-2017-08-17.csv"));
    for (int i = 0; i < actual.size(); i++) {
      String[] k = klines.get(i).split(",");
      String[] a = actual.get(i).split(",");
      assertEquals(k[0], a[0], "open time of kline " + i);
      for (int f = 1; f <= 5; f++) {
        assertEquals(0, new java.math.BigDecimal(k[f]).compareTo(new java.math.BigDecimal(a[f])), "field " + f + " of kline " + i);
      }
      assertEquals(k[8], a[6], "trades of kline " + i);
    }
    assertEquals(ticks.size(), node.ticks().count(token));
  }

  @Test
  void barsRebuiltFromStoredTicksEqualTheLiveBars() throws Exception {
    LocalDate today = LocalDate.now();
    List<SimInstrument> universe = SimUniverse.nse(today, 7).subList(0, 6);
    node.registerInstruments(universe.stream().map(SimInstrument::instrument).toList());
    // Faults on: secondary repeats, gaps (filled and lost), reordering, late ticks.
    SimSettings faults = new SimSettings(300, 0.2, 0.01, 0.01, 0.005, 0.1, 0);
    SimulatedFeed feed = new SimulatedFeed(universe, faults, 11);
    long start = System.currentTimeMillis() * 1_000_000L;
    List<Tick> generated = new ArrayList<>();
    for (long t = start; t < start + 90 * SEC; t += 20_000_000L) feed.poll(t, generated::add);

    node.ingest(Source.from(generated)).second().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long watermark = start + 3 * 86_400 * SEC;
    for (SimInstrument s : universe) advanceClock(s.token(), watermark);

    for (SimInstrument s : universe) {
      long token = s.token();
      Set<Long> distinct = new HashSet<>();
      for (Tick t : generated) if (t.token() == token) distinct.add(t.seq());
      assertEquals(distinct.size(), node.ticks().count(token), "stored ticks of " + token + " (each distinct trade once)");

      List<Bar> rebuilt = new ArrayList<>();
      TradingHours hours = s.instrument().exchange().hours().aroundTheClock();
      BarAggregator agg = new BarAggregator(token, hours, EmptyBarPolicy.SKIP, Timeframe.values(), SEC, 600, rebuilt::add);
      node.ticks().scan(token, 0, Long.MAX_VALUE, t -> agg.onTick(t.exchangeTs(), t.price(), t.qty(), t.seq()));
      agg.advanceClock(watermark);
      for (Timeframe tf : Timeframe.values()) {
        List<Bar> expected = rebuilt.stream().filter(b -> b.tf() == tf).toList();
        List<Bar> stored = node.bars().bars(token, tf, 0, Long.MAX_VALUE, 100_000);
        assertEquals(expected.size(), stored.size(), tf + " bar count of " + token);
        for (int i = 0; i < expected.size(); i++) {
          assertTrue(expected.get(i).sameValues(stored.get(i)), tf + " bar " + i + " of " + token + ": rebuilt " + expected.get(i) + " stored " + stored.get(i));
        }
      }
    }
  }

  @Test
  void unknownInstrumentsAndImpossibleTicksAreCountedAndNeverStored() throws Exception {
    long token = 9_000_000_002L;
    node.registerInstruments(List.of(Instrument.cash(token, Exchange.NSE, "GOOD", InstrumentKind.EQ, 5, 1, 2, 0)));
    long now = System.currentTimeMillis() * 1_000_000L;
    List<Tick> ticks = List.of(
        Tick.of(token, now, now, 100_00, 1, 1, io.tickloom.protocol.Feed.PRIMARY),
        Tick.of(424242, now, now, 100_00, 1, 1, io.tickloom.protocol.Feed.PRIMARY),     // unknown instrument
        Tick.of(token, now + 1, now, -5, 1, 2, io.tickloom.protocol.Feed.PRIMARY),      // negative price
        Tick.of(token, now + 2, now, 100_05, -1, 3, io.tickloom.protocol.Feed.PRIMARY), // negative quantity
        Tick.of(token, now + 3, now, 100_10, 1, 4, io.tickloom.protocol.Feed.PRIMARY));
    node.ingest(Source.from(ticks)).second().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(2, node.ticks().count(token));
    assertEquals(0, node.ticks().count(424242));
    assertEquals(2.0, node.metrics().storedCount());
  }

  private void advanceClock(long token, long eventTs) throws Exception {
    ClusterSharding.get(kit.system()).entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
        .<InstrumentEntity.ClockAdvanced>ask(r -> new InstrumentEntity.AdvanceClock(eventTs, r), Duration.ofSeconds(10))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    node.flushWriter().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
