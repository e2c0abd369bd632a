package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's hub between instrument topics and local subscribers, against a real tick store: numbered events pass
 * through unwrapped; a hole (a jump in the numbering, a new incarnation) is told, caught up from the store exactly
 * (what was stored and never delivered, nothing twice), and closed; a subscribe/unsubscribe storm stays local.
 */
class MarketHubIT {
  static ActorTestKit kit;
  static Database db;
  static TickStore store;
  static MarketTopics topics;
  static ActorRef<MarketHub.Command> hub;
  static final List<Long> listened = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("hub", TestConfig.node(""));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    db = TestDatabase.fresh();
    store = new TickStore(db);
    topics = new MarketTopics(kit.system());
    hub = kit.system().systemActorOf(MarketHub.create(topics, listened::add, store, Runnable::run,
        new MarketHub.Settings(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5), 10_000)), "hub", Props.empty());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    db.close();
  }

  static Tick tick(long token, long seq, long t0) {
    return Tick.of(token, t0 + seq * 1_000_000L, t0, 100_00 + seq, 1, seq, Feed.PRIMARY).withStatus(TickStatus.LIVE);
  }

  static void publish(long token, long incarnation, long seq, MarketEvent e, boolean conflatable) {
    topics.topic(token).tell(Topic.publish(new MarketEvent.Sequenced(token, incarnation, seq, conflatable, e)));
  }

  /** Subscribes and waits until the first event passes (the topic's registration is asynchronous). */
  static TestProbe<MarketEvent> subscribed(long token, long incarnation) {
    TestProbe<MarketEvent> probe = kit.createTestProbe();
    hub.tell(new MarketHub.Subscribe(token, probe.ref()));
    long[] seq = {0};
    probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
      publish(token, incarnation, seq[0], new MarketEvent.GapUpdate(token, null), true);
      probe.expectMessageClass(MarketEvent.GapUpdate.class, Duration.ofMillis(100));
      return null;
    });
    // attempts published before the registration took effect may still arrive: let them
    while (true) {
      try {
        probe.expectMessageClass(MarketEvent.GapUpdate.class, Duration.ofMillis(300));
      } catch (AssertionError quiet) {
        return probe;
      }
    }
  }

  @Test
  void numberedEventsPassUnwrappedInOrder() {
    long token = 101;
    TestProbe<MarketEvent> probe = subscribed(token, 1);
    long t0 = System.currentTimeMillis() * 1_000_000L;
    for (long seq = 1; seq <= 5; seq++) publish(token, 1, seq, new MarketEvent.Ticks(token, List.of(tick(token, seq, t0))), false);
    for (long seq = 1; seq <= 5; seq++) {
      MarketEvent.Ticks t = probe.expectMessageClass(MarketEvent.Ticks.class);
      assertEquals(seq, t.ticks().get(0).seq());
    }
    assertTrue(listened.contains(token), "the entity was told someone listens");
  }

  @Test
  void aNewIncarnationIsToldAndCaughtUpFromTheStoreExactly() {
    long token = 102;
    long t0 = System.currentTimeMillis() * 1_000_000L;
    TestProbe<MarketEvent> probe = subscribed(token, 7);
    // ticks 1..3 delivered live by incarnation 7
    for (long seq = 1; seq <= 3; seq++) publish(token, 7, seq, new MarketEvent.Ticks(token, List.of(tick(token, seq, t0))), false);
    for (int i = 0; i < 3; i++) probe.expectMessageClass(MarketEvent.Ticks.class);
    // ticks 1..6 are stored; 4 and 5 were accepted by incarnation 7 but their events were lost with its node
    List<Tick> stored = new ArrayList<>();
    for (long seq = 1; seq <= 6; seq++) stored.add(tick(token, seq, t0));
    store.write(stored);
    // incarnation 8 (the entity moved) publishes tick 6
    publish(token, 8, 1, new MarketEvent.Ticks(token, List.of(tick(token, 6, t0))), false);
    MarketEvent.Resync resync = probe.expectMessageClass(MarketEvent.Resync.class);
    assertEquals(token, resync.token());
    assertTrue(resync.fromExchangeTs() <= t0 + 3_000_000L, "the catch-up starts at or before the last tick delivered");
    MarketEvent.Ticks live = probe.expectMessageClass(MarketEvent.Ticks.class);
    assertEquals(List.of(6L), live.ticks().stream().map(Tick::seq).toList(), "live ticks are not held back");
    MarketEvent.Ticks missed = probe.expectMessageClass(MarketEvent.Ticks.class, Duration.ofSeconds(5));
    assertEquals(List.of(4L, 5L), missed.ticks().stream().map(Tick::seq).toList(), "then only what was stored and never delivered");
    MarketEvent.ResyncDone done = probe.expectMessageClass(MarketEvent.ResyncDone.class);
    assertEquals(2, done.recovered());
    assertTrue(done.complete());
    // and the stream goes on from the new incarnation
    publish(token, 8, 2, new MarketEvent.Ticks(token, List.of(tick(token, 7, t0))), false);
    assertEquals(7, probe.expectMessageClass(MarketEvent.Ticks.class).ticks().get(0).seq());
  }

  @Test
  void aJumpInTheNumberingIsAHoleToo() {
    long token = 103;
    long t0 = System.currentTimeMillis() * 1_000_000L;
    TestProbe<MarketEvent> probe = subscribed(token, 3);
    publish(token, 3, 1, new MarketEvent.Ticks(token, List.of(tick(token, 1, t0))), false);
    probe.expectMessageClass(MarketEvent.Ticks.class);
    store.write(List.of(tick(token, 1, t0), tick(token, 2, t0), tick(token, 3, t0)));
    // event 2 (tick 2) was not published (nobody listened, as the entity believed); event 3 carries tick 3
    publish(token, 3, 3, new MarketEvent.Ticks(token, List.of(tick(token, 3, t0))), false);
    assertInstanceOf(MarketEvent.Resync.class, probe.receiveMessage());
    assertEquals(List.of(3L), probe.expectMessageClass(MarketEvent.Ticks.class).ticks().stream().map(Tick::seq).toList());
    assertEquals(List.of(2L), probe.expectMessageClass(MarketEvent.Ticks.class, Duration.ofSeconds(5)).ticks().stream().map(Tick::seq).toList());
    assertEquals(1, probe.expectMessageClass(MarketEvent.ResyncDone.class).recovered());
  }

  @Test
  void aSubscribeStormStaysLocal() {
    long token = 104;
    TestProbe<MarketEvent> keep = subscribed(token, 1);
    for (int i = 0; i < 2_000; i++) {
      TestProbe<MarketEvent> p = kit.createTestProbe();
      hub.tell(new MarketHub.Subscribe(token, p.ref()));
      hub.tell(new MarketHub.Unsubscribe(token, p.ref()));
    }
    TestProbe<Topic.TopicStats> stats = kit.createTestProbe();
    topics.topic(token).tell(Topic.getTopicStats(stats.ref()));
    assertEquals(1, stats.receiveMessage().localSubscriberCount(), "the topic has one subscriber: the hub");
    publish(token, 1, 1, new MarketEvent.GapUpdate(token, null), false);
    keep.expectMessageClass(MarketEvent.GapUpdate.class);
  }
}
