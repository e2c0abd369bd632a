package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.bars.BarAggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replay sessions over an in-memory tick store: order, bars, waiting for a subscriber, pause, seek, cancel, limits. */
class ReplaySessionsTest {
  static final long SEC = 1_000_000_000L;
  static final long T0 = 1_767_225_600L * SEC; // 2026-01-01T00:00:00Z
  static final long[] TOKENS = {9_000_000_101L, 9_000_000_102L, 9_000_000_103L};
  static ActorTestKit kit;
  static ClusterSettings settings;
  static InstrumentRegistry instruments;
  static List<Tick> ticks;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("replay", ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    settings = ClusterSettings.fromConfig(kit.system().settings().config());
    List<Instrument> list = new ArrayList<>();
    for (long t : TOKENS) list.add(Instrument.cash(t, Exchange.BINANCE, "R" + t, InstrumentKind.SPOT, 1, 1, 2, 0));
    instruments = new InstrumentRegistry(list);
    Random rnd = new Random(3);
    ticks = new ArrayList<>();
    for (long token : TOKENS) {
      long ts = T0;
      long price = 10_000;
      for (int seq = 1; seq <= 900; seq++) {
        ts += rnd.nextInt(3) * 100_000_000L; // every 0, 100 or 200 ms: many shared timestamps
        price += rnd.nextInt(21) - 10;
        ticks.add(new Tick(token, ts, ts, price, 1 + rnd.nextInt(5), Tick.NO_TRADE_ID, seq, Feed.PRIMARY, null, Tick.NO_PRICE,
            Tick.NO_PRICE, io.tickloom.protocol.TickStatus.LIVE));
      }
    }
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  ReplaySessions sessions(InMemoryTicks store, ReplaySettings s) {
    return new ReplaySessions(kit.system(), store, instruments, settings, kit.system().executionContext(), s);
  }

  static ReplayRequest request(double speed, boolean paused, Timeframe... tfs) {
    return new ReplayRequest(List.of(TOKENS[2], TOKENS[0], TOKENS[1]), T0, T0 + 600 * SEC, speed, List.of(tfs), paused);
  }

  static List<ReplayOutput> collect(ReplaySessions s, String id) throws Exception {
    return s.subscribe(id).orElseThrow().runWith(Sink.seq(), kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void maxSpeedReplayStreamsEveryTickInExchangeTimeOrderAndTheBarsOfTheRequestedTimeframe() throws Exception {
    // Small pages: many page boundaries inside runs of equal timestamps.
    ReplaySettings small = new ReplaySettings(37, 400_000, 50, 4, 100, Duration.ofMinutes(1), Duration.ofMinutes(1), 4);
    InMemoryTicks store = new InMemoryTicks(ticks);
    ReplaySessions s = sessions(store, small);
    ReplayStatus created = s.start(request(ReplayRequest.MAX, false, Timeframe.M1));
    assertEquals(ReplayStatus.State.WAITING, created.state());
    List<ReplayOutput> out = collect(s, created.id());

    List<Tick> sent = new ArrayList<>();
    List<Bar> bars = new ArrayList<>();
    for (ReplayOutput o : out.subList(0, out.size() - 1)) {
      ReplayOutput.Batch b = assertInstanceOf(ReplayOutput.Batch.class, o);
      sent.addAll(b.ticks());
      bars.addAll(b.bars());
    }
    List<Tick> expected = new ArrayList<>(ticks.stream().map(t -> t.withFeed(Feed.REPLAY)).toList());
    expected.sort(Comparator.comparingLong(Tick::exchangeTs).thenComparingLong(Tick::token).thenComparingLong(Tick::seq));
    assertEquals(expected, sent, "every tick once, in (exchangeTs, token, seq) order, as feed replay");

    for (long token : TOKENS) {
      List<Bar> rebuilt = new ArrayList<>();
      BarAggregator agg = new BarAggregator(token, Exchange.BINANCE.hours(), Exchange.BINANCE.emptyBars(), settings.timeframeArray(),
          settings.barGrace().toNanos(), settings.revisionHistory(), rebuilt::add);
      for (Tick t : ticks) if (t.token() == token) agg.onTick(t.exchangeTs(), t.price(), t.qty(), t.seq());
      agg.advanceClock(T0 + 600 * SEC + settings.barGrace().toNanos());
      List<Bar> expectedBars = rebuilt.stream().filter(b -> b.tf() == Timeframe.M1).toList();
      List<Bar> replayed = bars.stream().filter(b -> b.token() == token).toList();
      assertTrue(expectedBars.size() >= 3, "the ticks span several minutes");
      assertEquals(expectedBars, replayed, "1m bars of " + token);
    }
    assertTrue(bars.stream().allMatch(b -> b.tf() == Timeframe.M1), "only the requested timeframe is streamed");

    ReplayOutput.End end = assertInstanceOf(ReplayOutput.End.class, out.get(out.size() - 1));
    assertEquals(ReplayStatus.State.ENDED, end.status().state());
    assertEquals(ticks.size(), end.status().ticksSent());
    assertEquals(bars.size(), end.status().barsSent());
    assertEquals(ReplayStatus.State.ENDED, s.status(created.id()).orElseThrow().state());
    assertEquals(T0 + 600 * SEC, s.status(created.id()).orElseThrow().position());
  }

  @Test
  void theSameReplayTwiceGivesTheSameOutput() throws Exception {
    ReplaySessions s = sessions(new InMemoryTicks(ticks), ReplaySettings.DEFAULTS);
    List<ReplayOutput> a = collect(s, s.start(request(ReplayRequest.MAX, false, Timeframe.S1, Timeframe.M1)).id());
    List<ReplayOutput> b = collect(s, s.start(request(ReplayRequest.MAX, false, Timeframe.S1, Timeframe.M1)).id());
    assertEquals(flatten(a), flatten(b));
  }

  static List<String> flatten(List<ReplayOutput> out) {
    List<String> lines = new ArrayList<>();
    for (ReplayOutput o : out) {
      if (!(o instanceof ReplayOutput.Batch b)) continue;
      for (Tick t : b.ticks()) lines.add(t.toString());
      for (Bar bar : b.bars()) lines.add(bar.toString());
      for (var v : b.values()) lines.add(v.token() + " " + v.tf() + " " + v.start() + " " + java.util.Arrays.toString(v.values()));
    }
    return lines;
  }

  @Test
  void aSessionProducesNothingBeforeItsFirstSubscriberAndNothingWhilePaused() throws Exception {
    InMemoryTicks store = new InMemoryTicks(ticks);
    ReplaySessions s = sessions(store, new ReplaySettings(100, 400_000, 100, 4, 100, Duration.ofMinutes(1), Duration.ofMinutes(1), 2));
    // Paced (the ticks span ~90 s: ~4.5 s at 20x), so the run cannot end between its first batch and the pause; at max
    // speed a warm JVM sometimes finished all of it first.
    String id = s.start(request(20, true, Timeframe.M1)).id();
    TestSubscriber.Probe<ReplayOutput> probe = s.subscribe(id).orElseThrow().runWith(TestSink.create(kit.system()), kit.system());
    probe.request(1_000);
    probe.expectNoMessage(Duration.ofMillis(300));
    ReplayStatus waiting = s.status(id).orElseThrow();
    assertEquals(ReplayStatus.State.PAUSED, waiting.state(), "created paused: a subscriber does not start it");
    assertEquals(0, waiting.ticksSent());

    s.resume(id);
    ReplayOutput first = probe.expectNext(Duration.ofSeconds(10));
    assertInstanceOf(ReplayOutput.Batch.class, first);
    s.pause(id);
    // What was admitted before the pause drains; then nothing more comes.
    probe.receiveWithin(scala.concurrent.duration.Duration.create(500, TimeUnit.MILLISECONDS), 1_000);
    long sent = s.status(id).orElseThrow().ticksSent();
    probe.expectNoMessage(Duration.ofMillis(300));
    assertEquals(sent, s.status(id).orElseThrow().ticksSent(), "a paused session makes no progress");
    assertTrue(sent < ticks.size());
    assertEquals(ReplayStatus.State.PAUSED, s.status(id).orElseThrow().state());

    s.resume(id);
    List<ReplayOutput> rest = new ArrayList<>();
    while (true) {
      ReplayOutput o = probe.expectNext(Duration.ofSeconds(10));
      rest.add(o);
      if (o instanceof ReplayOutput.End) break;
    }
    probe.expectComplete();
    assertEquals(ReplayStatus.State.ENDED, s.status(id).orElseThrow().state());
    assertEquals(ticks.size(), s.status(id).orElseThrow().ticksSent());
  }

  @Test
  void seekRestartsAtTheGivenTimeWithFreshState() throws Exception {
    ReplaySessions s = sessions(new InMemoryTicks(ticks), ReplaySettings.DEFAULTS);
    String id = s.start(request(ReplayRequest.MAX, true, Timeframe.M1)).id();
    long at = T0 + 30 * SEC;
    assertEquals(at, s.seek(id, at).orElseThrow().position());
    assertEquals("ts", assertThrows(ReplayService.InvalidReplay.class, () -> s.seek(id, T0 - 1)).field());
    s.resume(id);
    List<ReplayOutput> out = collect(s, id);
    List<Tick> sent = new ArrayList<>();
    for (ReplayOutput o : out) if (o instanceof ReplayOutput.Batch b) sent.addAll(b.ticks());
    long expected = ticks.stream().filter(t -> t.exchangeTs() >= at).count();
    assertEquals(expected, sent.size());
    assertTrue(sent.stream().allMatch(t -> t.exchangeTs() >= at));
  }

  @Test
  void cancelEndsTheSubscribersStreamAndRefusesFurtherCommands() throws Exception {
    ReplaySessions s = sessions(new InMemoryTicks(ticks), ReplaySettings.DEFAULTS);
    String id = s.start(request(1, false, Timeframe.M1)).id(); // real time: 10 minutes of ticks, never done in this test
    TestSubscriber.Probe<ReplayOutput> probe = s.subscribe(id).orElseThrow().runWith(TestSink.create(kit.system()), kit.system());
    probe.request(10_000);
    probe.expectNext(Duration.ofSeconds(10));
    assertEquals(ReplayStatus.State.RUNNING, s.status(id).orElseThrow().state());
    s.cancel(id);
    ReplayOutput last;
    do {
      last = probe.expectNext(Duration.ofSeconds(10));
    } while (!(last instanceof ReplayOutput.End));
    assertEquals(ReplayStatus.State.CANCELLED, ((ReplayOutput.End) last).status().state());
    probe.expectComplete();
    assertThrows(ReplayService.Conflict.class, () -> s.pause(id));
    assertEquals(ReplayStatus.State.CANCELLED, s.cancel(id).orElseThrow().state(), "cancel is idempotent");
  }

  @Test
  void badRequestsNameTheirFieldAndTheSessionLimitHolds() {
    ReplaySessions s = sessions(new InMemoryTicks(ticks), new ReplaySettings(100, 1000, 100, 2, 100, Duration.ofMinutes(1), Duration.ofMinutes(1), 2));
    assertEquals("tokens", assertThrows(ReplayService.InvalidReplay.class,
        () -> s.start(new ReplayRequest(List.of(42L), T0, T0 + SEC, 1, List.of(Timeframe.M1), false))).field());
    assertEquals("tokens", assertThrows(ReplayService.InvalidReplay.class,
        () -> s.start(new ReplayRequest(List.of(), T0, T0 + SEC, 1, List.of(Timeframe.M1), false))).field());
    assertEquals("to", assertThrows(ReplayService.InvalidReplay.class,
        () -> s.start(new ReplayRequest(List.of(TOKENS[0]), T0, T0, 1, List.of(Timeframe.M1), false))).field());
    assertEquals("speed", assertThrows(ReplayService.InvalidReplay.class,
        () -> s.start(new ReplayRequest(List.of(TOKENS[0]), T0, T0 + SEC, 0, List.of(Timeframe.M1), false))).field());
    s.start(request(1, true, Timeframe.M1));
    s.start(request(1, true, Timeframe.M1));
    assertThrows(ReplayService.TooManyReplays.class, () -> s.start(request(1, true, Timeframe.M1)));
    assertTrue(s.subscribe("rp-nope").isEmpty());
    assertEquals(2, s.list().size());
  }

  @Test
  void aSessionLeftWithoutSubscribersIsCancelledAfterTheIdleTimeout() {
    ReplaySessions s = sessions(new InMemoryTicks(ticks), new ReplaySettings(100, 400_000, 100, 4, 100, Duration.ofMinutes(1),
        Duration.ofMillis(300), 2));
    String never = s.start(request(1, false, Timeframe.M1)).id();
    String left = s.start(request(1, false, Timeframe.M1)).id();
    TestSubscriber.Probe<ReplayOutput> probe = s.subscribe(left).orElseThrow().runWith(TestSink.create(kit.system()), kit.system());
    probe.request(1);
    probe.expectNext(Duration.ofSeconds(10));
    probe.expectNoMessage(Duration.ofMillis(800)); // longer than the idle timeout, while subscribed
    assertEquals(ReplayStatus.State.RUNNING, s.status(left).orElseThrow().state(), "a watched session is kept");
    probe.cancel();
    var watcher = kit.<String>createTestProbe();
    watcher.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(ReplayStatus.State.CANCELLED, s.status(never).orElseThrow().state(), "never subscribed");
      assertEquals(ReplayStatus.State.CANCELLED, s.status(left).orElseThrow().state(), "its only subscriber left");
      return null;
    });
  }

  @Test
  void tenTimesRealTimeTakesATenthOfTheReplayedPeriod() throws Exception {
    List<Tick> twoSeconds = ticks.stream().filter(t -> t.token() == TOKENS[0] && t.exchangeTs() < T0 + 20 * SEC).toList();
    ReplaySessions s = sessions(new InMemoryTicks(twoSeconds), ReplaySettings.DEFAULTS);
    long span = twoSeconds.get(twoSeconds.size() - 1).exchangeTs() - twoSeconds.get(0).exchangeTs();
    String id = s.start(new ReplayRequest(List.of(TOKENS[0]), T0, T0 + 20 * SEC, 10, List.of(Timeframe.S1), false)).id();
    long t0 = System.nanoTime();
    collect(s, id);
    long took = System.nanoTime() - t0;
    assertTrue(took >= span / 10 - 50_000_000L, "took " + took / 1_000_000 + " ms for " + span / 1_000_000 + " ms of ticks at 10x");
    assertTrue(took < span / 10 + 3 * SEC, "took " + took / 1_000_000 + " ms");
  }
}
