package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderService.AccountEvent;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A replay session with an account: its order events come out among the batches at their time, through the session's stream. */
class ReplaySessionsOrdersTest {
  static final long SEC = 1_000_000_000L;
  static final long T0 = 1_767_225_600L * SEC;
  static final long A = 9_000_000_201L;
  static final long B = 9_000_000_202L;
  static ActorTestKit kit;
  static ClusterSettings settings;
  static InstrumentRegistry instruments;
  static List<Tick> ticks = new ArrayList<>();

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("replay-orders", ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    settings = ClusterSettings.fromConfig(kit.system().settings().config());
    instruments = new InstrumentRegistry(List.of(Instrument.cash(A, Exchange.BINANCE, "RA", InstrumentKind.SPOT, 1, 1, 2, 0),
        Instrument.cash(B, Exchange.BINANCE, "RB", InstrumentKind.SPOT, 1, 1, 2, 0)));
    for (int seq = 1; seq <= 600; seq++) { // a tick per instrument every 100 ms over 60 s
      long ts = T0 + seq * SEC / 10;
      ticks.add(new Tick(A, ts, ts, 10_000 + seq, 1, Tick.NO_TRADE_ID, seq, Feed.PRIMARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE));
      ticks.add(new Tick(B, ts, ts, 20_000 + seq, 1, Tick.NO_TRADE_ID, seq, Feed.PRIMARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE));
    }
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static AccountEvent event(long ts, int n) {
    return new AccountEvent(OrderId.of("ACC", "c" + n), 1, A, n + 1, new OrderEvent.OrderAccepted(ts));
  }

  ReplaySessions sessions(List<AccountEvent> journal) {
    // Small pages and batches: many cuts, some between ticks of one timestamp.
    ReplaySettings small = new ReplaySettings(37, 400_000, 45, 4, 100, Duration.ofMinutes(1), Duration.ofMinutes(1), 4);
    return new ReplaySessions(kit.system(), new InMemoryTicks(ticks), instruments, settings, kit.system().executionContext(), small)
        .withOrderEvents((account, from, to) -> CompletableFuture.completedFuture(journal));
  }

  static List<Object> flatten(ReplaySessions s, String id) throws Exception {
    List<ReplayOutput> out = s.subscribe(id).orElseThrow().runWith(Sink.seq(), kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(ReplayStatus.State.ENDED, assertInstanceOf(ReplayOutput.End.class, out.get(out.size() - 1)).status().state());
    List<Object> flat = new ArrayList<>();
    for (ReplayOutput o : out) {
      if (o instanceof ReplayOutput.Batch b) b.ticks().forEach(t -> flat.add(t.withFeed(Feed.PRIMARY)));
      else if (o instanceof ReplayOutput.Orders e) flat.addAll(e.events());
    }
    return flat;
  }

  static long ts(Object o) {
    return o instanceof Tick t ? t.exchangeTs() : ((AccountEvent) o).tsEvent();
  }

  @Test
  void theAccountsOrderEventsComeOutInTimeAmongTheTicksTicksFirstOnATie() throws Exception {
    List<AccountEvent> journal = List.of(event(T0 + 30 * SEC + SEC / 20, 0), event(T0 + 5 * SEC, 1), // a tie with two ticks
        event(T0 - SEC, 2), event(T0 + 59 * SEC + SEC / 2, 3), event(T0 + 61 * SEC, 4), event(T0 + 5 * SEC, 5), event(T0 + 90 * SEC, 6));
    ReplaySessions s = sessions(journal);
    for (double speed : new double[] {ReplayRequest.MAX, 200}) {
      String id = s.start(new ReplayRequest(List.of(B, A), T0, T0 + 70 * SEC, speed, List.of(Timeframe.M1), false, false, "ACC")).id();
      List<Object> expected = new ArrayList<>();
      ticks.stream().sorted(Comparator.comparingLong(Tick::exchangeTs).thenComparingLong(Tick::token)).forEach(expected::add);
      journal.stream().filter(e -> e.tsEvent() >= T0 && e.tsEvent() < T0 + 70 * SEC).forEach(expected::add);
      expected.sort(Comparator.comparingLong(ReplaySessionsOrdersTest::ts).thenComparingInt(o -> o instanceof Tick ? 0 : 1));
      assertEquals(expected, flatten(s, id), "speed " + speed);
    }
  }

  @Test
  void anAccountNeedsAnOrderJournalAndAWellFormedName() {
    ReplaySessions none = new ReplaySessions(kit.system(), new InMemoryTicks(ticks), instruments, settings, kit.system().executionContext(),
        ReplaySettings.DEFAULTS);
    ReplayRequest r = new ReplayRequest(List.of(A), T0, T0 + SEC, 1, List.of(Timeframe.M1), false, false, "ACC");
    assertEquals("account", assertThrows(ReplayService.InvalidReplay.class, () -> none.start(r)).field());
    ReplayRequest bad = new ReplayRequest(List.of(A), T0, T0 + SEC, 1, List.of(Timeframe.M1), false, false, "no such!");
    assertEquals("account", assertThrows(ReplayService.InvalidReplay.class, () -> sessions(List.of()).start(bad)).field());
  }
}
