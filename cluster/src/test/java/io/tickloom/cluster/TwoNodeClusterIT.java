package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A second ActorSystem joins on 127.0.0.1; instrument shards spread over both and keep working. */
class TwoNodeClusterIT {
  ActorTestKit first;
  ActorTestKit second;
  Database db;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    first = ActorTestKit.create("tickloom", TestConfig.node(""));
    second = ActorTestKit.create("tickloom", TestConfig.node(""));
  }

  @AfterEach
  void stop() {
    second.shutdownTestKit();
    first.shutdownTestKit();
    db.close();
  }

  @Test
  void instrumentShardsSpreadOverTwoNodesAndBothServeThem() throws Exception {
    var seed = Cluster.get(first.system()).selfMember().address();
    Cluster.get(first.system()).manager().tell(Join.create(seed));
    Cluster.get(second.system()).manager().tell(Join.create(seed));
    TestProbe<Object> probe = first.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertEquals(2, countUp(first.system()));
      assertEquals(2, countUp(second.system()));
      return null;
    });

    MarketNode a = MarketNode.start(first.system(), db, new SimpleMeterRegistry());
    MarketNode b = MarketNode.start(second.system(), db, new SimpleMeterRegistry());
    List<Instrument> instruments = new ArrayList<>();
    for (long token = 1; token <= 40; token++) {
      instruments.add(Instrument.cash(token, Exchange.NSE, "SYM" + token, InstrumentKind.EQ, 5, 1, 2, 0));
    }
    // Registered through the first node only: entities placed on the second read them from the store.
    a.registerInstruments(instruments);

    long now = System.currentTimeMillis() * 1_000_000L;
    List<Tick> ticks = new ArrayList<>();
    for (int seq = 1; seq <= 25; seq++) {
      for (Instrument i : instruments) ticks.add(Tick.of(i.token(), now + seq, now, 100_00 + seq * 5, 1, seq, Feed.PRIMARY));
    }
    // Ingest through the first node only: entities on the second receive their batches over Artery.
    a.ingest(org.apache.pekko.stream.javadsl.Source.from(ticks)).second().toCompletableFuture().get(30, TimeUnit.SECONDS);

    for (Instrument i : instruments) {
      // Asked from the second node: the answer comes from wherever the entity lives.
      InstrumentEntity.Status s = b.live().status(i.token()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(25, s.accepted(), "accepted ticks of " + i.token());
      assertEquals(26, s.nextExpectedSeq());
    }
    long stored = 0;
    for (Instrument i : instruments) stored += a.ticks().count(i.token());
    assertEquals(ticks.size(), stored);
    assertTrue(shardsOn(first.system()) > 0, "the first node holds instrument shards");

    // A subscriber on the second node receives what every entity publishes, wherever it lives.
    TestProbe<MarketEvent> subscriber = second.createTestProbe();
    for (Instrument i : instruments) b.live().subscribe(i.token(), subscriber.ref());
    java.util.Set<Long> heard = new java.util.HashSet<>();
    long[] seq = {25};
    probe.awaitAssert(Duration.ofSeconds(30), () -> {
      seq[0]++;
      List<Tick> wave = new ArrayList<>();
      for (Instrument i : instruments) wave.add(Tick.of(i.token(), now + seq[0], now, 100_00 + seq[0] * 5, 1, seq[0], Feed.PRIMARY));
      try {
        a.ingest(org.apache.pekko.stream.javadsl.Source.from(wave)).second().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      while (heard.size() < instruments.size()) {
        MarketEvent e;
        try {
          e = subscriber.receiveMessage(Duration.ofMillis(500));
        } catch (AssertionError quiet) {
          break; // nothing more for now: publish another wave
        }
        if (e instanceof MarketEvent.Ticks) heard.add(e.token());
      }
      assertEquals(instruments.size(), heard.size(), "instruments heard on the second node: " + heard);
      return null;
    });
    assertTrue(shardsOn(second.system()) > 0, "the second node holds instrument shards");
  }

  private static long countUp(ActorSystem<?> system) {
    return java.util.stream.StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private int shardsOn(ActorSystem<?> system) throws Exception {
    ActorTestKit kit = system == first.system() ? first : second;
    TestProbe<ShardRegion.CurrentShardRegionState> probe = kit.createTestProbe();
    ClusterSharding.get(system).shardState().tell(new GetShardRegionState(InstrumentEntity.TYPE_KEY, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5)).getShards().size();
  }
}
