package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static io.tickloom.http.Fixtures.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.persistence.BarQueries;
import io.tickloom.persistence.GapQueries;
import io.tickloom.persistence.IndicatorQueries;
import io.tickloom.persistence.Page;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The connection actor alone, driven message by message: the stream sides are probes, so queueing, dropping and
 * backfill ordering are checked deterministically.
 */
class WsSessionTest {
  static final ActorTestKit kit = ActorTestKit.create("ws-session-test", TestNode.CONFIG);
  static final ExecutorService blocking = Executors.newCachedThreadPool();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    blocking.shutdownNow();
  }

  /** Records (un)subscriptions; no events of its own (the test hands them to the session). */
  static final class RecordingLiveMarket implements LiveMarket {
    final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
    volatile MarketEvent.IndicatorUpdate formingIndicators;

    @Override
    public CompletionStage<Optional<Bar>> formingBar(long token, Timeframe tf) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(long token, Timeframe tf) {
      return CompletableFuture.completedFuture(Optional.ofNullable(formingIndicators));
    }

    @Override
    public CompletionStage<java.util.OptionalLong> lastPrice(long token) {
      return CompletableFuture.completedFuture(java.util.OptionalLong.empty());
    }

    @Override
    public void subscribe(long token, ActorRef<MarketEvent> subscriber) {
      calls.add("subscribe " + token);
    }

    @Override
    public void unsubscribe(long token, ActorRef<MarketEvent> subscriber) {
      calls.add("unsubscribe " + token);
    }
  }

  /** Recent ticks released when the test says so, to hold a backfill open. */
  static final class GatedTicks implements TickQueries {
    final CompletableFuture<List<Tick>> latest = new CompletableFuture<>();

    @Override
    public Page<Tick> page(long token, long from, long to, int limit, String cursor) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Tick> latest(long token, int n) {
      return latest.join();
    }

    @Override
    public void scan(long token, long from, long to, Consumer<Tick> sink) {
      throw new UnsupportedOperationException();
    }
  }

  /** Stored indicator values released when the test says so. */
  static final class GatedIndicators implements IndicatorQueries {
    final CompletableFuture<List<IndicatorRow>> rows = new CompletableFuture<>();

    @Override
    public List<IndicatorRow> indicators(long token, Timeframe tf, long from, long to, int limit) {
      return rows.join();
    }
  }

  final RecordingLiveMarket live = new RecordingLiveMarket();
  final GatedTicks ticks = new GatedTicks();
  final GatedIndicators indicators = new GatedIndicators();
  final TestProbe<WsSession.Out> out = kit.createTestProbe();
  final TestProbe<WsSession.InAck> inAck = kit.createTestProbe();

  ActorRef<WsSession.Command> session(int queue, int backfillTicks) {
    return session(queue, backfillTicks, 0);
  }

  ActorRef<WsSession.Command> session(int queue, int backfillTicks, int backfillBars) {
    BarQueries noBars = (token, tf, from, to, limit) -> List.of();
    GapQueries noGaps = (token, from, to, limit) -> List.of();
    HttpSettings settings = HttpSettings.fromConfig(kit.system().settings().config())
        .withWebSocket(new HttpSettings.WebSocket(queue, 10, 1000, backfillTicks, backfillBars, Duration.ofSeconds(15)))
        .withNodeIndicators(List.of("SMA_3", "MACD_3_5_2"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpContext ctx = new HttpContext(kit.system(), new InstrumentRegistry(Fixtures.ALL), ticks, noBars, noGaps, indicators, live,
        blocking, registry, () -> true, settings, null, ApiKeys.none());
    ActorRef<WsSession.Command> s = kit.spawn(WsSession.create(ctx, new HttpMetrics(registry)));
    s.tell(new WsSession.OutboundReady(out.ref()));
    s.tell(new WsSession.InboundInit(inAck.ref()));
    inAck.expectMessage(WsSession.InAck.INSTANCE);
    return s;
  }

  void send(ActorRef<WsSession.Command> s, String text) {
    s.tell(new WsSession.Inbound(inAck.ref(), new WsSession.In.Text(text)));
    inAck.expectMessage(WsSession.InAck.INSTANCE);
  }

  /** The next frame handed to the socket, acked so the next one may follow. */
  JsonNode frame(ActorRef<WsSession.Command> s) throws Exception {
    WsSession.Out o = out.receiveMessage();
    assertInstanceOf(WsSession.Out.Frame.class, o);
    s.tell(WsSession.OutAck.INSTANCE);
    return WsClient.JSON.readTree(((WsSession.Out.Frame) o).json());
  }

  static MarketEvent.Ticks ticks(long fromSeq, long toSeq) {
    List<Tick> list = new ArrayList<>();
    for (long q = fromSeq; q <= toSeq; q++) list.add(Fixtures.tick(RELIANCE, q, T0 + q * 1000, 250_000 + q));
    return new MarketEvent.Ticks(RELIANCE.token(), list);
  }

  static final String SUBSCRIBE_TICKS = "{\"action\":\"subscribe\",\"channels\":[\"ticks\"],\"tokens\":[738561]}";

  @Test
  void fullQueueDropsTheOldestAndReportsTheCountBeforeTheNextFrame() throws Exception {
    ActorRef<WsSession.Command> s = session(4, 0);
    send(s, SUBSCRIBE_TICKS);
    assertEquals("subscribed", frame(s).get("type").asText());
    assertEquals("backfill", frame(s).get("type").asText());
    out.expectNoMessage(Duration.ofMillis(50));

    s.tell(new WsSession.Live(ticks(1, 10))); // t1 goes to the socket at once; t2..t10 queue, 4 fit
    assertEquals(1, frame(s).get("seq").asLong());
    JsonNode notice = frame(s);
    assertEquals("{\"type\":\"dropped\",\"dropped\":5}", notice.toString());
    List<Long> seqs = new ArrayList<>();
    for (int k = 0; k < 4; k++) seqs.add(frame(s).get("seq").asLong());
    assertEquals(List.of(7L, 8L, 9L, 10L), seqs);
    out.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void liveTicksDuringTheBackfillFollowItWithoutDuplicates() throws Exception {
    ActorRef<WsSession.Command> s = session(100, 50);
    send(s, SUBSCRIBE_TICKS);
    assertEquals("subscribed", frame(s).get("type").asText());
    s.tell(new WsSession.Live(ticks(4, 6))); // held: the backfill read has not finished
    out.expectNoMessage(Duration.ofMillis(50));
    ticks.latest.complete(ticks(1, 5).ticks()); // the store already had 1..5
    JsonNode backfill = frame(s);
    assertEquals("backfill", backfill.get("type").asText());
    assertEquals(5, backfill.get("items").size());
    assertEquals(6, frame(s).get("seq").asLong());
    s.tell(new WsSession.Live(ticks(7, 7)));
    assertEquals(7, frame(s).get("seq").asLong());
  }

  @Test
  void tooBigMessageSendsAnErrorThenCompletesTheStream() throws Exception {
    ActorRef<WsSession.Command> s = session(8, 0);
    send(s, SUBSCRIBE_TICKS);
    frame(s);
    frame(s);
    s.tell(new WsSession.Inbound(inAck.ref(), new WsSession.In.TooBig(1000)));
    inAck.expectMessage(WsSession.InAck.INSTANCE);
    JsonNode error = frame(s);
    assertEquals("frame_too_big", error.get("code").asText());
    assertEquals(WsSession.Out.Complete.INSTANCE, out.receiveMessage());
    assertTrue(live.calls.contains("unsubscribe " + RELIANCE.token()), live.calls.toString());
  }

  @Test
  void closingTheSocketReleasesTheLiveSubscriptions() throws Exception {
    ActorRef<WsSession.Command> s = session(8, 0);
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"ticks\",\"bars:1m\"],\"tokens\":[738561,256265]}");
    frame(s);
    TestProbe<Object> watcher = kit.createTestProbe();
    s.tell(WsSession.InboundClosed.INSTANCE);
    watcher.expectTerminated(s, Duration.ofSeconds(3));
    assertEquals(4, live.calls.size(), live.calls.toString());
    assertEquals(java.util.Set.of("subscribe 738561", "subscribe 256265", "unsubscribe 738561", "unsubscribe 256265"),
        new java.util.HashSet<>(live.calls));
  }

  // ---- indicators:<tf> ----

  static final List<String> OUTPUTS = List.of("SMA_3", "MACD_3_5_2.macd", "MACD_3_5_2.signal", "MACD_3_5_2.hist");
  static final String SUBSCRIBE_INDICATORS = "{\"action\":\"subscribe\",\"channels\":[\"indicators:1m\"],\"tokens\":[738561]}";

  static MarketEvent.IndicatorUpdate values(int bar, boolean isFinal, double sma, double macd) {
    return new MarketEvent.IndicatorUpdate(RELIANCE.token(), Timeframe.M1, T0 + bar * MINUTE, isFinal, OUTPUTS,
        new double[] {sma, macd, Double.NaN, Double.NaN});
  }

  static IndicatorQueries.IndicatorRow row(int bar, double sma) {
    return new IndicatorQueries.IndicatorRow(RELIANCE.token(), Timeframe.M1, T0 + bar * MINUTE, List.of("SMA_3"), new double[] {sma});
  }

  @Test
  void indicatorSubscribeBackfillsStoredThenFormingValuesThenSendsLiveFrames() throws Exception {
    ActorRef<WsSession.Command> s = session(100, 0, 10);
    live.formingIndicators = values(2, false, 2500.123456789, -0.5);
    send(s, SUBSCRIBE_INDICATORS);
    JsonNode ack = frame(s);
    assertEquals("[\"indicators:1m\"]", ack.get("channels").toString());
    out.expectNoMessage(Duration.ofMillis(50)); // the store has not answered yet
    indicators.rows.complete(List.of(row(0, 2500.1), row(1, 2500.2)));
    JsonNode backfill = frame(s);
    assertEquals("backfill", backfill.get("type").asText());
    assertEquals("indicators:1m", backfill.get("channel").asText());
    JsonNode items = backfill.get("items");
    assertEquals(3, items.size(), items.toString());
    assertEquals(Timestamps.format(T0), items.get(0).get("start").asText());
    assertTrue(items.get(1).get("final").asBoolean());
    assertEquals("{\"SMA_3\":2500.2}", items.get(1).get("values").toString());
    assertFalse(items.get(2).get("final").asBoolean());
    assertEquals("{\"SMA_3\":2500.12345679,\"MACD_3_5_2.macd\":-0.5}", items.get(2).get("values").toString());

    s.tell(new WsSession.Live(values(2, true, 2500.25, 1.0 / 3)));
    WsSession.Out o = out.receiveMessage();
    assertEquals(new WsSession.Out.Frame("{\"type\":\"indicator\",\"token\":738561,\"tf\":\"1m\",\"start\":\""
        + Timestamps.format(T0 + 2 * MINUTE) + "\",\"final\":true,\"values\":{\"SMA_3\":2500.25,\"MACD_3_5_2.macd\":0.33333333}}"), o);
    s.tell(WsSession.OutAck.INSTANCE);
    // values of another timeframe are not sent on indicators:1m
    s.tell(new WsSession.Live(new MarketEvent.IndicatorUpdate(RELIANCE.token(), Timeframe.M5, T0, false, OUTPUTS, new double[4])));
    out.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void liveIndicatorValuesDuringTheBackfillFollowItWithoutRepeatsOrStaleFormingValues() throws Exception {
    ActorRef<WsSession.Command> s = session(100, 0, 10);
    live.formingIndicators = values(2, false, 2500.3, 0.1);
    send(s, SUBSCRIBE_INDICATORS);
    assertEquals("subscribed", frame(s).get("type").asText());
    s.tell(new WsSession.Live(values(1, false, 2500.15, 0.0)));  // forming values of a bar the backfill has as final: stale
    s.tell(new WsSession.Live(values(1, true, 2500.2, Double.NaN))); // the stored row exactly: a repeat
    s.tell(new WsSession.Live(values(2, false, 2500.28, 0.05)));  // older than the forming values the backfill holds
    s.tell(new WsSession.Live(values(2, false, 2500.3, 0.1)));    // the backfill's forming values: a repeat
    s.tell(new WsSession.Live(values(2, false, 2500.31, 0.2)));   // newer: sent
    s.tell(new WsSession.Live(values(0, true, 2500.05, Double.NaN))); // a revision recomputed bar 0 after the read: sent
    out.expectNoMessage(Duration.ofMillis(50));
    indicators.rows.complete(List.of(row(0, 2500.1), row(1, 2500.2)));
    assertEquals(3, frame(s).get("items").size());
    JsonNode newer = frame(s);
    assertEquals("indicator", newer.get("type").asText());
    assertEquals("{\"SMA_3\":2500.31,\"MACD_3_5_2.macd\":0.2}", newer.get("values").toString());
    JsonNode revised = frame(s);
    assertEquals(Timestamps.format(T0), revised.get("start").asText());
    assertEquals("{\"SMA_3\":2500.05}", revised.get("values").toString());
    out.expectNoMessage(Duration.ofMillis(50));
    s.tell(new WsSession.Live(values(3, false, 2500.4, 0.3)));
    assertEquals(Timestamps.format(T0 + 3 * MINUTE), frame(s).get("start").asText());
  }

  @Test
  void unknownChannelsNameTheIndicatorChannel() throws Exception {
    ActorRef<WsSession.Command> s = session(100, 0);
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"trades\"],\"tokens\":[738561]}");
    JsonNode e = frame(s);
    assertEquals("unknown_channel", e.get("code").asText());
    assertTrue(e.get("message").asText().contains("indicators:<tf>"), e.toString());
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"indicators:7m\"],\"tokens\":[738561]}");
    e = frame(s);
    assertEquals("unknown_channel", e.get("code").asText());
    assertTrue(e.get("message").asText().startsWith("unknown channel 'indicators:7m': "), e.toString());
    assertTrue(live.calls.isEmpty(), live.calls.toString());
  }

  @Test
  void aTokenOfNineteenDigitsBeyondLongIsAProblemAndTheSessionLives() throws Exception {
    // found while writing WsCommandFuzzTest (its seed regression-token-text-beyond-long.json): "9999999999999999999"
    // passed the digit check, Long.parseLong threw, and the session actor died with the command
    ActorRef<WsSession.Command> s = session(100, 0);
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"ticks\"],\"tokens\":[\"9999999999999999999\"],\"id\":1}");
    JsonNode e = frame(s);
    assertEquals("bad_request", e.get("code").asText(), e.toString());
    assertTrue(e.get("message").asText().contains("token must be an integer"), e.toString());
    send(s, "{\"action\":\"ping\",\"id\":2}");
    assertEquals("pong", frame(s).get("type").asText());
    assertTrue(live.calls.isEmpty(), live.calls.toString());
  }

  @Test
  void aNumberWhoseExponentIsBeyondIntIsBadJsonAndTheSessionLives() throws Exception {
    // found by BodyFieldsFuzzTest (regression-exponent-beyond-int.json): Jackson's NumberFormatException escaped
    // JsonBodies.object(String), and the session actor died with the command
    ActorRef<WsSession.Command> s = session(100, 0);
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"ticks\"],\"tokens\":[1e405615738561]}");
    assertEquals("bad_json", frame(s).get("code").asText());
    send(s, "{\"action\":\"ping\",\"id\":2}");
    assertEquals("pong", frame(s).get("type").asText());
  }

  // ---- resync ----

  @Test
  void aResyncIsToldThenMissedTicksFollowWithoutWhatTheBackfillSentThenBarsAreBackfilledAgain() throws Exception {
    ActorRef<WsSession.Command> s = session(100, 50, 10);
    ticks.latest.complete(ticks(1, 3).ticks());
    send(s, "{\"action\":\"subscribe\",\"channels\":[\"ticks\",\"bars:1m\"],\"tokens\":[738561]}");
    assertEquals("subscribed", frame(s).get("type").asText());
    java.util.Set<String> backfills = new java.util.HashSet<>();
    backfills.add(frame(s).get("channel").asText());
    backfills.add(frame(s).get("channel").asText());
    assertEquals(java.util.Set.of("ticks", "bars:1m"), backfills);
    s.tell(new WsSession.Live(ticks(4, 4)));
    assertEquals(4, frame(s).get("seq").asLong());

    s.tell(new WsSession.Live(new MarketEvent.Resync(RELIANCE.token(), T0 + 3000, "the entity of instrument 738561 restarted or moved")));
    JsonNode resync = frame(s);
    assertEquals("resync", resync.get("type").asText());
    assertEquals("[\"ticks\",\"bars:1m\"]", resync.get("channels").toString());
    assertEquals(Timestamps.format(T0 + 3000), resync.get("from").asText());
    JsonNode bars = frame(s);
    assertEquals("backfill", bars.get("type").asText());
    assertEquals("bars:1m", bars.get("channel").asText());
    // the hub's catch-up (it never delivered 3: this connection's backfill read it from the store), 5 and 6 were missed
    List<Tick> catchUp = new ArrayList<>(ticks(3, 3).ticks());
    catchUp.addAll(ticks(5, 6).ticks());
    s.tell(new WsSession.Live(new MarketEvent.Ticks(RELIANCE.token(), catchUp)));
    assertEquals(5, frame(s).get("seq").asLong());
    assertEquals(6, frame(s).get("seq").asLong());
    s.tell(new WsSession.Live(new MarketEvent.ResyncDone(RELIANCE.token(), 2, true)));
    JsonNode done = frame(s);
    assertEquals("{\"type\":\"resync_done\",\"token\":738561,\"recovered\":2,\"complete\":true}", done.toString());
    out.expectNoMessage(Duration.ofMillis(50));
  }
}
