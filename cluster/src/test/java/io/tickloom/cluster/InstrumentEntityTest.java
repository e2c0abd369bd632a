package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The entity wires dedupe, sequencing and bars; these tests drive it directly (no sharding) with real kernels. */
class InstrumentEntityTest {
  static ActorTestKit testKit;
  static final long TOKEN = 408065;
  static final long SEC = 1_000_000_000L;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("entity-test", TestConfig.node("tickloom.cluster.around-the-clock = on\ntickloom.cluster.bar-grace = 1s"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Fixture(ActorRef<InstrumentEntity.Command> entity, TestProbe<StoreWriter.Command> writer) {}

  private Fixture spawn(long token) {
    InstrumentRegistry registry = new InstrumentRegistry(List.of(
        Instrument.cash(token, Exchange.NSE, "INFY" + token, InstrumentKind.EQ, 5, 1, 2, 0)));
    TestProbe<StoreWriter.Command> writer = testKit.createTestProbe();
    ClusterSettings settings = ClusterSettings.fromConfig(testKit.system().settings().config());
    var deps = new InstrumentEntity.Deps(registry, null, Runnable::run, settings, writer.ref(), new MarketTopics(testKit.system()),
        new IngestMetrics(new SimpleMeterRegistry()));
    return new Fixture(testKit.spawn(InstrumentEntity.create(token, deps)), writer);
  }

  private static Tick tick(long token, long ts, long price, long seq, Feed feed) {
    return Tick.of(token, ts, System.currentTimeMillis() * 1_000_000L, price, 10, seq, feed);
  }

  private long batchIds;

  /** What an ingest batch came to: its accepted ticks with their status, and how many were duplicates. */
  private record Result(List<Tick> accepted, int duplicates) {}

  private Result ingest(ActorRef<InstrumentEntity.Command> e, List<Tick> ticks) {
    return ingest(e, ticks, ++batchIds);
  }

  private Result ingest(ActorRef<InstrumentEntity.Command> e, List<Tick> ticks, long batchId) {
    TestProbe<InstrumentEntity.IngestAck> reply = testKit.createTestProbe();
    e.tell(new InstrumentEntity.Ingest(batchId, ticks, reply.ref()));
    InstrumentEntity.IngestAck ack = reply.receiveMessage();
    assertEquals(batchId, ack.batchId());
    return new Result(ack.accepted(ticks), ack.duplicates());
  }

  @Test
  void anEntityThatCannotRestoreStartsEmptyAndLeavesTheStoredSnapshotAlone() {
    long token = TOKEN + 11;
    // The database is unreachable: every connection attempt fails, as when PostgreSQL is down during a takeover.
    javax.sql.DataSource away = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) throw new java.sql.SQLTransientConnectionException("database away (injected)");
          throw new UnsupportedOperationException(method.getName());
        });
    InstrumentRegistry registry = new InstrumentRegistry(List.of(
        Instrument.cash(token, Exchange.NSE, "INFY" + token, InstrumentKind.EQ, 5, 1, 2, 0)));
    TestProbe<StoreWriter.Command> writer = testKit.createTestProbe();
    ClusterSettings settings = ClusterSettings.fromConfig(testKit.system().settings().config());
    var deps = new InstrumentEntity.Deps(registry, null, Runnable::run, settings, writer.ref(), new MarketTopics(testKit.system()),
        new IngestMetrics(new SimpleMeterRegistry()), new io.tickloom.persistence.IndicatorStore(away),
        new io.tickloom.persistence.BarStore(away), new io.tickloom.persistence.TickStore(away));
    ActorRef<InstrumentEntity.Command> entity = testKit.spawn(InstrumentEntity.create(token, deps));
    writer.expectMessageClass(StoreWriter.Flush.class).replyTo().tell(StoreWriter.Done.INSTANCE); // before the restore
    long t0 = (System.currentTimeMillis() / 1000) * SEC;
    Result r = ingest(entity, List.of(tick(token, t0, 150000, 1, Feed.PRIMARY), tick(token, t0 + 2 * SEC, 150050, 2, Feed.PRIMARY)));
    assertEquals(2, r.accepted().size(), "ingest goes on without the restored state");
    entity.tell(new InstrumentEntity.Stop(true));
    while (true) {
      StoreWriter.Command c = writer.receiveMessage();
      if (c instanceof StoreWriter.Flush f) {
        f.replyTo().tell(StoreWriter.Done.INSTANCE);
        break;
      }
      assertTrue(((StoreWriter.Write) c).snapshots().isEmpty(), "no snapshot replaces the stored one");
    }
    writer.expectTerminated(entity);
  }

  private InstrumentEntity.DepthAck depth(ActorRef<InstrumentEntity.Command> e, io.tickloom.protocol.book.DepthMessage... messages) {
    TestProbe<InstrumentEntity.DepthAck> reply = testKit.createTestProbe();
    e.tell(new InstrumentEntity.IngestDepth(++batchIds, List.of(messages), reply.ref()));
    return reply.receiveMessage();
  }

  /** The book log entries the writer received for one depth batch. */
  private static List<io.tickloom.persistence.BookStore.Entry> logged(TestProbe<StoreWriter.Command> writer) {
    StoreWriter.Command c = writer.receiveMessage();
    while (!(c instanceof StoreWriter.WriteBook)) c = writer.receiveMessage();
    return ((StoreWriter.WriteBook) c).entries();
  }

  /** What crosses nodes for books (entity messages and answers, topic events) round-trips the cluster's serializer. */
  @Test
  void bookMessagesSurviveTheClusterSerializer() throws Exception {
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(testKit.system().classicSystem());
    var book = io.tickloom.protocol.book.DepthMessage.l2Snapshot(1, 2, 3, 4, new long[] {100}, new long[] {5}, new long[] {101},
        new long[] {6});
    var order = io.tickloom.protocol.book.DepthMessage.order(1, 2, 3, io.tickloom.protocol.book.DepthMessage.Type.L3_EXECUTE, 9,
        io.tickloom.protocol.Side.SELL, 101, 2);
    var snapshot = new io.tickloom.protocol.book.LiveBook();
    snapshot.apply(book);
    TestProbe<InstrumentEntity.DepthAck> probe = testKit.createTestProbe();
    for (Object o : List.of(new InstrumentEntity.IngestDepth(7, List.of(book, order), probe.ref()), new InstrumentEntity.DepthAck(1, 7, 2, 0, 0),
        new InstrumentEntity.BookView(1, 2, "L2", false, 1, 0, snapshot.snapshot(5)),
        new MarketEvent.Depth(1, 2, "L2", true, snapshot.snapshot(5)))) {
      org.apache.pekko.serialization.Serializer ser = serialization.findSerializerFor(o);
      assertEquals("org.apache.pekko.serialization.jackson.JacksonCborSerializer", ser.getClass().getName(), o.getClass().getName());
      byte[] bytes = serialization.serialize(o).get();
      String manifest = org.apache.pekko.serialization.Serializers.manifestFor(ser, o);
      Object back = serialization.deserialize(bytes, ser.identifier(), manifest).get();
      if (o instanceof InstrumentEntity.IngestDepth d) {
        var b = (InstrumentEntity.IngestDepth) back;
        assertEquals(d.batchId(), b.batchId());
        assertEquals(d.replyTo(), b.replyTo());
        assertEquals(List.of(book.type(), order.type()), b.messages().stream().map(io.tickloom.protocol.book.DepthMessage::type).toList());
        assertEquals(101, b.messages().get(0).askPrices()[0]);
        assertEquals(io.tickloom.protocol.Side.SELL, b.messages().get(1).side());
      } else {
        assertEquals(o, back);
      }
    }
  }

  @Test
  void aBookIntegrityEventMakesTheInstrumentStaleUntilTheNextSnapshot() {
    long token = TOKEN + 12;
    Fixture f = spawn(token);
    long t0 = System.currentTimeMillis() * 1_000_000L;
    long[] none = {};
    var snap = io.tickloom.protocol.book.DepthMessage.l2Snapshot(token, t0, t0, 100, new long[] {150000}, new long[] {5},
        new long[] {150005}, new long[] {7});
    assertEquals(new InstrumentEntity.DepthAck(token, batchIds + 1, 1, 0, 0), depth(f.entity(), snap));
    List<io.tickloom.persistence.BookStore.Entry> first = logged(f.writer());
    assertEquals(2, first.size(), "the starting (empty) state, then the message");
    assertTrue(first.get(0).state() != null && first.get(1).message() == snap);
    assertEquals(TickStatus.LIVE, ingest(f.entity(), List.of(tick(token, t0 + 1, 150000, 1, Feed.PRIMARY))).accepted().get(0).status());

    // a bid through the ask: applied, reported, and the instrument is STALE
    var crossing = io.tickloom.protocol.book.DepthMessage.l2Update(token, t0 + 2, t0 + 2, 101, 101, 100, new long[] {150010},
        new long[] {1}, none, none);
    assertEquals(1, depth(f.entity(), crossing).integrityEvents());
    assertEquals(1, logged(f.writer()).size());
    assertEquals(TickStatus.STALE, ingest(f.entity(), List.of(tick(token, t0 + 3, 150000, 2, Feed.PRIMARY))).accepted().get(0).status());
    TestProbe<InstrumentEntity.BookView> book = testKit.createTestProbe();
    f.entity().tell(new InstrumentEntity.GetBook(5, book.ref()));
    InstrumentEntity.BookView v = book.receiveMessage();
    assertTrue(v.stale());
    assertEquals("L2", v.kind());
    assertEquals(t0 + 2, v.ts());
    assertEquals(150010, v.book().bidPrices()[0]);

    // a fresh snapshot heals it
    depth(f.entity(), io.tickloom.protocol.book.DepthMessage.l2Snapshot(token, t0 + 4, t0 + 4, 200, new long[] {150000}, new long[] {5},
        new long[] {150005}, new long[] {7}));
    assertEquals(TickStatus.LIVE, ingest(f.entity(), List.of(tick(token, t0 + 5, 150000, 3, Feed.PRIMARY))).accepted().get(0).status());
    f.entity().tell(new InstrumentEntity.GetBook(5, book.ref()));
    assertFalse(book.receiveMessage().stale());
  }

  @Test
  void theLastPriceIsTheTradeWithTheGreatestTimeNotTheLastToArrive() {
    long token = TOKEN + 9;
    Fixture f = spawn(token);
    TestProbe<InstrumentEntity.LastPrice> probe = testKit.createTestProbe();
    f.entity().tell(new InstrumentEntity.GetLastPrice(probe.ref()));
    assertEquals(new InstrumentEntity.LastPrice(false, 0), probe.receiveMessage());
    long t0 = System.currentTimeMillis() * 1_000_000L;
    ingest(f.entity(), List.of(tick(token, t0, 150000, 1, Feed.PRIMARY), tick(token, t0 + 2, 150100, 2, Feed.PRIMARY),
        tick(token, t0 + 1, 149900, 3, Feed.PRIMARY))); // a late trade arrives last
    f.entity().tell(new InstrumentEntity.GetLastPrice(probe.ref()));
    assertEquals(new InstrumentEntity.LastPrice(true, 150100), probe.receiveMessage());
  }

  @Test
  void duplicateFromSecondaryFeedIsAcceptedOnce() {
    Fixture f = spawn(TOKEN);
    long t0 = System.currentTimeMillis() * 1_000_000L;
    var ack = ingest(f.entity(), List.of(
        tick(TOKEN, t0, 150000, 1, Feed.PRIMARY),
        tick(TOKEN, t0, 150000, 1, Feed.SECONDARY),
        tick(TOKEN, t0 + 1000, 150005, 2, Feed.PRIMARY)));
    assertEquals(2, ack.accepted().size());
    assertEquals(1, ack.duplicates());
    assertEquals(List.of(1L, 2L), ack.accepted().stream().map(Tick::seq).toList());
  }

  @Test
  void aBatchSentAgainIsAnsweredAsBeforeAndNotProcessedTwice() {
    long token = TOKEN + 4;
    Fixture f = spawn(token);
    long t0 = System.currentTimeMillis() * 1_000_000L;
    List<Tick> batch = List.of(tick(token, t0, 150000, 1, Feed.PRIMARY), tick(token, t0 + 1, 150005, 2, Feed.PRIMARY));
    var first = ingest(f.entity(), batch, 77);
    var resent = ingest(f.entity(), batch, 77);
    assertEquals(2, first.accepted().size());
    assertEquals(first, resent);
    var other = ingest(f.entity(), batch, 78); // the same ticks in another batch are duplicates
    assertEquals(0, other.accepted().size());
    assertEquals(2, other.duplicates());
  }

  @Test
  void gapMarksTicksStaleUntilTheOtherFeedFillsIt() {
    long token = TOKEN + 1;
    Fixture f = spawn(token);
    long t0 = System.currentTimeMillis() * 1_000_000L;
    var ack = ingest(f.entity(), List.of(
        tick(token, t0, 150000, 1, Feed.PRIMARY),
        tick(token, t0 + 10, 150005, 3, Feed.PRIMARY)));
    assertEquals(TickStatus.LIVE, ack.accepted().get(0).status());
    assertEquals(TickStatus.STALE, ack.accepted().get(1).status());
    Gap opened = expectGap(f.writer());
    assertEquals(Gap.State.OPEN, opened.state());
    assertEquals(2, opened.fromSeq());
    assertEquals(2, opened.toSeq());

    var fill = ingest(f.entity(), List.of(tick(token, t0 + 5, 150000, 2, Feed.SECONDARY)));
    assertEquals(1, fill.accepted().size());
    Gap filled = expectGap(f.writer());
    assertEquals(Gap.State.FILLED, filled.state());
    var next = ingest(f.entity(), List.of(tick(token, t0 + 20, 150010, 4, Feed.PRIMARY)));
    assertEquals(TickStatus.LIVE, next.accepted().get(0).status());
  }

  @Test
  void tickAfterBarEndFinalizesTheBarAndHandsItToTheWriter() {
    long token = TOKEN + 2;
    Fixture f = spawn(token);
    long t0 = (System.currentTimeMillis() / 1000) * SEC; // whole second
    ingest(f.entity(), List.of(
        tick(token, t0 + 100, 150000, 1, Feed.PRIMARY),
        tick(token, t0 + 200, 150100, 2, Feed.PRIMARY),
        tick(token, t0 + 300, 149900, 3, Feed.PRIMARY),
        tick(token, t0 + SEC + 5, 150050, 4, Feed.PRIMARY)));
    Bar s1 = expectBar(f.writer(), Timeframe.S1);
    assertEquals(t0, s1.start());
    assertEquals(t0 + SEC, s1.end());
    assertEquals(150000, s1.open());
    assertEquals(150100, s1.high());
    assertEquals(149900, s1.low());
    assertEquals(149900, s1.close());
    assertEquals(30, s1.volume());
    assertEquals(3, s1.trades());
    assertTrue(s1.isFinal());
    assertEquals(0, s1.revision());
  }

  @Test
  void idleInstrumentFinalizesItsBarOnceTheClockPassesEndPlusGrace() {
    long token = TOKEN + 3;
    Fixture f = spawn(token);
    long now = System.currentTimeMillis() * 1_000_000L;
    ingest(f.entity(), List.of(tick(token, now, 150000, 1, Feed.PRIMARY)));
    // No further tick: the heartbeat advances the event clock at wall-clock pace; the 1s bar ends within 1 s,
    // plus 1 s grace.
    Bar s1 = expectBar(f.writer(), Timeframe.S1);
    assertEquals(150000, s1.close());
    assertTrue(s1.isFinal());
    TestProbe<InstrumentEntity.FormingBar> forming = testKit.createTestProbe();
    f.entity().tell(new InstrumentEntity.GetForming(Timeframe.S1, forming.ref()));
    assertEquals(null, forming.receiveMessage().bar());
    f.entity().tell(new InstrumentEntity.GetForming(Timeframe.D1, forming.ref()));
    Bar day = forming.receiveMessage().bar();
    assertFalse(day.isFinal());
    assertEquals(150000, day.open());
  }

  @Test
  void anInstrumentWhoseTicksAreOnTheirWayIsNotSilent() {
    long token = TOKEN + 13;
    Fixture f = spawn(token);
    long now = System.currentTimeMillis() * 1_000_000L;
    TestProbe<InstrumentEntity.IngestAck> reply = testKit.createTestProbe();
    // the lane holds more of this instrument's ticks (a backlog sent batch by batch): the idle clock waits for them
    f.entity().tell(new InstrumentEntity.Ingest(++batchIds, List.of(tick(token, now, 150000, 1, Feed.PRIMARY)), reply.ref(), true));
    reply.receiveMessage();
    TestProbe<InstrumentEntity.FormingBar> forming = testKit.createTestProbe();
    forming.expectNoMessage(Duration.ofMillis(2_500)); // past the 1s bar's end + 1 s grace at wall-clock pace
    f.entity().tell(new InstrumentEntity.GetForming(Timeframe.S1, forming.ref()));
    Bar held = forming.receiveMessage().bar();
    assertTrue(held != null && !held.isFinal(), "the 1s bar is still forming: " + held);
    // the backlog's last batch (nothing more behind it): the clock moves again and the bar finalizes
    f.entity().tell(new InstrumentEntity.Ingest(++batchIds, List.of(tick(token, now + 1_000_000, 150050, 2, Feed.PRIMARY)), reply.ref(), false));
    reply.receiveMessage();
    Bar s1 = expectBar(f.writer(), Timeframe.S1);
    assertTrue(s1.isFinal());
    assertEquals(150050, s1.close());
  }

  /** A tick batch with its lane's flag round-trips the cluster's serializer. */
  @Test
  void tickBatchesSurviveTheClusterSerializer() throws Exception {
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(testKit.system().classicSystem());
    TestProbe<InstrumentEntity.IngestAck> probe = testKit.createTestProbe();
    var batch = new InstrumentEntity.Ingest(9, List.of(tick(TOKEN, 1_700_000_000_000_000_000L, 150000, 1, Feed.PRIMARY)), probe.ref(), true);
    org.apache.pekko.serialization.Serializer ser = serialization.findSerializerFor(batch);
    Object back = serialization.deserialize(serialization.serialize(batch).get(), ser.identifier(),
        org.apache.pekko.serialization.Serializers.manifestFor(ser, batch)).get();
    assertEquals(batch, back);
  }

  private static Gap expectGap(TestProbe<StoreWriter.Command> writer) {
    List<Gap> gaps = new ArrayList<>();
    writer.fishForMessage(Duration.ofSeconds(5), m -> {
      if (m instanceof StoreWriter.Write w && !w.gaps().isEmpty()) {
        gaps.addAll(w.gaps());
        return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete();
      }
      return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
    });
    return gaps.get(0);
  }

  private static Bar expectBar(TestProbe<StoreWriter.Command> writer, Timeframe tf) {
    List<Bar> found = new ArrayList<>();
    writer.fishForMessage(Duration.ofSeconds(5), m -> {
      if (m instanceof StoreWriter.Write w) {
        for (Bar b : w.bars()) if (b.tf() == tf) found.add(b);
        if (!found.isEmpty()) return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete();
      }
      return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
    });
    return found.get(0);
  }
}
