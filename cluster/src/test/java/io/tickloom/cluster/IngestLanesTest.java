package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lanes' promises, against scripted instrument entities on a one-node cluster: an entity that does not answer (as
 * if its node had died) delays only its own instrument; its ticks are held and reach it in order, once each, when it
 * answers again; a lane beyond its bound drops its oldest, counted; a full {@code max-held} holds admission back.
 */
class IngestLanesTest {
  static ActorTestKit kit;
  /** Tokens whose entity does not answer (it still records what it received). */
  static final Set<Long> away = ConcurrentHashMap.newKeySet();
  /** What each entity processed, in order: (batch id, tick seqs), a resent batch id once. */
  static final Map<Long, List<long[]>> processed = new ConcurrentHashMap<>();
  static final Map<Long, Set<Long>> batchIds = new ConcurrentHashMap<>();
  /** Batches each entity received, answered or not (resends included). */
  static final Map<Long, java.util.concurrent.atomic.AtomicInteger> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("lanes", TestConfig.node(""));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    ClusterSharding.get(kit.system()).init(Entity.of(InstrumentEntity.TYPE_KEY, ctx -> scripted(Long.parseLong(ctx.getEntityId()))));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    away.clear();
    processed.clear();
    batchIds.clear();
    received.clear();
  }

  /** An entity that answers every tick LIVE, remembers batch ids (a resend is answered, not processed again), or stays silent. */
  static Behavior<InstrumentEntity.Command> scripted(long token) {
    return Behaviors.receive(InstrumentEntity.Command.class)
        .onMessage(InstrumentEntity.Ingest.class, m -> {
          received.computeIfAbsent(token, t -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
          if (away.contains(token)) return Behaviors.same();
          if (batchIds.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(m.batchId())) {
            processed.computeIfAbsent(token, t -> new CopyOnWriteArrayList<>())
                .add(m.ticks().stream().mapToLong(Tick::seq).toArray());
          }
          byte[] outcomes = new byte[m.ticks().size()];
          java.util.Arrays.fill(outcomes, InstrumentEntity.IngestAck.LIVE);
          m.replyTo().tell(new InstrumentEntity.IngestAck(token, m.batchId(), outcomes, 0, 0));
          return Behaviors.same();
        })
        .build();
  }

  static IngestLanes.Settings settings(long maxHeld, long perInstrument) {
    return settings(maxHeld, perInstrument, 65536, Duration.ofMillis(300));
  }

  static IngestLanes.Settings settings(long maxHeld, long perInstrument, long maxInFlight, Duration askTimeout) {
    return new IngestLanes.Settings(1000, maxHeld, perInstrument, maxInFlight, Duration.ofMinutes(2), askTimeout, Duration.ofMillis(50),
        Duration.ofMillis(200));
  }

  private static int receivedBy(long token) {
    var n = received.get(token);
    return n == null ? 0 : n.get();
  }

  static final IngestLanes.Protocol<Tick, InstrumentEntity.IngestAck> TICKS = new IngestLanes.Protocol<>() {
    public long token(Tick t) { return t.token(); }
    public InstrumentEntity.Command command(long id, List<Tick> items, org.apache.pekko.actor.typed.ActorRef<InstrumentEntity.IngestAck> r,
        boolean more) {
      return new InstrumentEntity.Ingest(id, items, r);
    }
    public boolean merge() { return true; }
    public String what() { return "ticks"; }
  };

  /** A submission of ticks {@code from..to} (their seqs) of {@code token}, its answer or drop into {@code outcome}. */
  static IngestLanes.Submission<Tick, InstrumentEntity.IngestAck> submission(long token, long from, long to, CompletableFuture<String> outcome) {
    List<Tick> ticks = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) ticks.add(Tick.of(token, seq, seq, 100, 1, seq, Feed.PRIMARY));
    return new IngestLanes.Submission<>(token, ticks, new IngestLanes.Receipt<>() {
      public int answered(InstrumentEntity.IngestAck ack, int at, int count) {
        outcome.complete("answered");
        return 0;
      }

      public void dropped(String reason) {
        outcome.complete("dropped: " + reason);
      }
    });
  }

  @Test
  void anEntityThatDoesNotAnswerHoldsOnlyItsOwnInstrumentAndGetsEverythingInOrderOnceWhenBack() throws Exception {
    IngestMetrics.Lanes metrics = new IngestMetrics(new SimpleMeterRegistry()).lanes("ticks");
    IngestLanes<Tick, InstrumentEntity.IngestAck> lanes = new IngestLanes<>(kit.system(), "lanes-1", TICKS, settings(1_000_000, 100_000), metrics);
    away.add(1L);
    List<CompletableFuture<String>> held = new ArrayList<>();
    TestProbe<Object> probe = kit.createTestProbe();
    for (int wave = 0; wave < 10; wave++) {
      CompletableFuture<String> stuck = new CompletableFuture<>();
      CompletableFuture<String> flowing = new CompletableFuture<>();
      held.add(stuck);
      lanes.offer(List.of(submission(1, wave * 10L + 1, wave * 10L + 10, stuck), submission(2, wave * 10L + 1, wave * 10L + 10, flowing)))
          .toCompletableFuture().get(1, java.util.concurrent.TimeUnit.SECONDS);
      // the other instrument's wave is answered while instrument 1's entity stays silent
      assertEquals("answered", flowing.get(2, java.util.concurrent.TimeUnit.SECONDS));
    }
    for (CompletableFuture<String> f : held) assertFalse(f.isDone(), "instrument 1's ticks are held, not dropped");
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, Math.round(metricsAway(metrics)), "one instrument away");
      return null;
    });
    away.remove(1L);
    for (CompletableFuture<String> f : held) assertEquals("answered", f.get(10, java.util.concurrent.TimeUnit.SECONDS));
    List<Long> seqs = new ArrayList<>();
    for (long[] batch : processed.get(1L)) for (long s : batch) seqs.add(s);
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= 100; s++) expected.add(s);
    assertEquals(expected, seqs, "instrument 1 processed every tick once, in the order offered");
    assertEquals(0, metrics.overflowCount());
    assertEquals(0, metrics.heldCount());
  }

  @Test
  void aLaneBeyondItsBoundDropsItsOldestCountedAndTheRestGoesOn() throws Exception {
    IngestMetrics.Lanes metrics = new IngestMetrics(new SimpleMeterRegistry()).lanes("ticks");
    IngestLanes<Tick, InstrumentEntity.IngestAck> lanes = new IngestLanes<>(kit.system(), "lanes-2", TICKS, settings(1_000_000, 30), metrics);
    away.add(3L);
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (int wave = 0; wave < 4; wave++) {
      CompletableFuture<String> f = new CompletableFuture<>();
      outcomes.add(f);
      lanes.offer(List.of(submission(3, wave * 10L + 1, wave * 10L + 10, f)));
    }
    // 40 offered, at most 30 held: the first wave is in flight and stays; the oldest waiting (wave 2) is dropped
    assertTrue(outcomes.get(1).get(5, java.util.concurrent.TimeUnit.SECONDS).startsWith("dropped: more than 30 ticks"));
    assertEquals(10, metrics.overflowCount());
    away.remove(3L);
    assertEquals("answered", outcomes.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("answered", outcomes.get(2).get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("answered", outcomes.get(3).get(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void aFullMaxHeldHoldsAdmissionBackUntilReleased() throws Exception {
    IngestMetrics.Lanes metrics = new IngestMetrics(new SimpleMeterRegistry()).lanes("ticks");
    IngestLanes<Tick, InstrumentEntity.IngestAck> lanes = new IngestLanes<>(kit.system(), "lanes-3", TICKS, settings(20, 1000), metrics);
    // receipts keep what they were answered (as the store queue does until a write completes)
    List<Tick> ticks = new ArrayList<>();
    for (long seq = 1; seq <= 20; seq++) ticks.add(Tick.of(4, seq, seq, 100, 1, seq, Feed.PRIMARY));
    CompletableFuture<Void> first = lanes.offer(List.of(new IngestLanes.Submission<>(4L, ticks, keeping()))).toCompletableFuture();
    first.get(2, java.util.concurrent.TimeUnit.SECONDS);
    CompletableFuture<String> next = new CompletableFuture<>();
    CompletableFuture<Void> second = lanes.offer(List.of(submission(5, 1, 5, next))).toCompletableFuture();
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(20, metrics.heldCount());
      return null;
    });
    assertFalse(second.isDone(), "no room under max-held: the offer waits (the stream is backpressured)");
    lanes.release(20);
    second.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("answered", next.get(5, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void atMostMaxInFlightGoesToTheEntitiesAndAnEntityThatDoesNotAnswerStopsCountingAfterItsFirstTimeout() throws Exception {
    IngestMetrics.Lanes metrics = new IngestMetrics(new SimpleMeterRegistry()).lanes("ticks");
    // room for one batch of 10 at the entities; a delivery attempt waits 1.5 s
    IngestLanes<Tick, InstrumentEntity.IngestAck> lanes = new IngestLanes<>(kit.system(), "lanes-4", TICKS,
        settings(1_000_000, 1000, 10, Duration.ofMillis(1_500)), metrics);
    away.add(6L);
    away.add(7L);
    CompletableFuture<String> six = new CompletableFuture<>();
    CompletableFuture<String> seven = new CompletableFuture<>();
    lanes.offer(List.of(submission(6, 1, 10, six), submission(7, 1, 10, seven))).toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, receivedBy(6), "instrument 6's batch went out");
      return null;
    });
    probe.expectNoMessage(Duration.ofMillis(500)); // well inside instrument 6's 1.5 s attempt: without the bound 7 would be out
    assertEquals(0, receivedBy(7), "instrument 7 waits for room: 10 items are already on their way");
    // instrument 6's entity does not answer in time: its batch stops counting, instrument 7's goes out
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertTrue(receivedBy(7) >= 1, "instrument 7 sent once instrument 6's first attempt timed out");
      return null;
    });
    away.clear();
    assertEquals("answered", six.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("answered", seven.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, metrics.overflowCount());
  }

  private static IngestLanes.Receipt<InstrumentEntity.IngestAck> keeping() {
    return new IngestLanes.Receipt<>() {
      public int answered(InstrumentEntity.IngestAck ack, int at, int count) {
        return count;
      }

      public void dropped(String reason) {}
    };
  }

  private static double metricsAway(IngestMetrics.Lanes metrics) {
    return metrics.awayCount();
  }
}
