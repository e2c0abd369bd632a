package io.tickloom.cluster.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.TestConfig;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Binance trade streams of one symbol into one node: the primary misses a run of trades, the secondary, started
 * once the primary's gap is open, has them all. The node stores each trade once, absorbs the secondary's repeats,
 * and records the primary's gap as filled by the secondary.
 */
class PrimarySecondaryFeedIT {
  static final WebSocketFeed.Settings FAST = new WebSocketFeed.Settings(Duration.ofMillis(100), Duration.ofMillis(500), 0.1, Duration.ofSeconds(5));
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final String SYMBOL = "ETHUSDT";
  static final long TOKEN = InstrumentResolver.tokenFor(Exchange.BINANCE, SYMBOL);

  ActorTestKit kit;
  Database db;
  MarketNode node;
  final List<ScriptedWsServer> servers = new ArrayList<>();
  final List<Pair<UniqueKillSwitch, CompletionStage<Done>>> feeds = new ArrayList<>();

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    // A gap open far longer than the test: it can only close by being filled.
    kit = ActorTestKit.create("primary-secondary", TestConfig.node("tickloom.cluster.around-the-clock = on\ntickloom.cluster.gap-timeout = 30s"));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() throws Exception {
    for (var f : feeds) f.first().shutdown();
    for (ScriptedWsServer s : servers) s.close();
    kit.shutdownTestKit();
    db.close();
  }

  private void feed(String name, Feed feed, List<String> messages) throws Exception {
    ScriptedWsServer server = ScriptedWsServer.start(kit.system(), List.of(ScriptedWsServer.Script.thenStay(ScriptedWsServer.texts(messages))));
    servers.add(server);
    feeds.add(node.ingest(name, BinanceWsFeed.source(kit.system(), name, server.url(), feed, node.resolver(), node.metrics().source(name), FAST)));
  }

  @Test
  void theSecondaryFillsThePrimarysGapAndItsRepeatsAreAbsorbed() throws Exception {
    List<String> primary = new ArrayList<>();
    List<String> secondary = new ArrayList<>();
    for (long id = 1; id <= 100; id++) {
      String trade = BinanceWsFeedIT.trade(SYMBOL, id, "3000." + (id < 10 ? "0" : "") + id, "0.5", 1_763_900_000_000L + id * 10);
      if (id < 40 || id > 49) primary.add(trade);
      secondary.add(trade);
    }

    feed("binance-ws:primary", Feed.PRIMARY, primary);
    awaitStored(90);
    Gap open = awaitGap(Gap.State.OPEN);
    assertEquals(40, open.fromSeq());
    assertEquals(49, open.toSeq());

    feed("binance-ws:secondary", Feed.SECONDARY, secondary);
    awaitStored(100);
    Gap filled = awaitGap(Gap.State.FILLED);
    assertEquals(40, filled.fromSeq());
    assertEquals(49, filled.toSeq());
    assertEquals(10, filled.filled());
    kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      assertEquals(90.0, node.metrics().duplicateCount(), "the secondary's trades 1..39 and 50..100 dropped as duplicates");
      return null;
    });

    List<Tick> stored = new ArrayList<>();
    node.ticks().scan(TOKEN, 0, Long.MAX_VALUE, stored::add);
    assertEquals(100, stored.size());
    for (int i = 0; i < 100; i++) {
      Tick t = stored.get(i);
      long id = i + 1;
      assertEquals(id, t.seq(), "each trade once, in order");
      assertEquals(id >= 40 && id <= 49 ? Feed.SECONDARY : Feed.PRIMARY, t.feed(), "feed of trade " + id);
    }
    assertEquals(90.0, node.metrics().source("binance-ws:primary").tickCount(), "ticks counted once each for the primary");
    assertEquals(100.0, node.metrics().source("binance-ws:secondary").tickCount(), "ticks counted once each for the secondary");
  }

  private void awaitStored(long n) {
    kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      assertEquals(n, node.ticks().count(TOKEN), "ticks stored");
      return null;
    });
  }

  /** The instrument's one gap, once the store holds it in {@code state}. */
  private Gap awaitGap(Gap.State state) {
    return kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      node.flushWriter().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<Gap> gaps = node.gaps().gaps(TOKEN, 0, Long.MAX_VALUE, 10);
      assertEquals(1, gaps.size(), "gaps " + gaps);
      assertEquals(state, gaps.get(0).state(), "gap " + gaps.get(0));
      return gaps.get(0);
    });
  }
}
