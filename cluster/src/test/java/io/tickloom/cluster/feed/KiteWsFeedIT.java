package io.tickloom.cluster.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.TestConfig;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.kite.KiteTick;
import io.tickloom.protocol.format.kite.KiteTicker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kite ticker client against a scripted WebSocket server, through a real node and PostgreSQL: full-mode
 * snapshots of INFY built from Zerodha's captured packet (oracle §4a) with rising volume, heartbeats, a text
 * message and a garbage frame among them, and a connection that drops mid-script.
 */
class KiteWsFeedIT {
  static final long INFY = 408065;
  static final String NAME = "kite-ws:1";
  static final WebSocketFeed.Settings FAST = new WebSocketFeed.Settings(Duration.ofMillis(100), Duration.ofMillis(500), 0.1, Duration.ofSeconds(5));
  static final Duration PATIENCE = Duration.ofSeconds(30);

  ActorTestKit kit;
  Database db;
  MarketNode node;
  ScriptedWsServer server;
  Pair<UniqueKillSwitch, CompletionStage<Done>> running;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("kite-ws", TestConfig.node("tickloom.cluster.around-the-clock = on"));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
    node.registerInstruments(List.of(Instrument.cash(INFY, Exchange.NSE, "INFY", InstrumentKind.EQ, 5, 1, 2, 0)));
  }

  @AfterEach
  void stop() throws Exception {
    if (running != null) running.first().shutdown();
    if (server != null) server.close();
    kit.shutdownTestKit();
    db.close();
  }

  private IngestMetrics.Source metrics() {
    return node.metrics().source(NAME);
  }

  @Test
  void snapshotsBecomeTradesOfTheVolumeIncreaseAcrossADropAndEveryConnectionSubscribes() throws Exception {
    Path packet = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle"), "nse", "kite_mocks", "ticker_full.packet");
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(packet), "oracle packet absent at " + packet.toAbsolutePath());
    KiteTick base = KiteTicker.decodePacket(ByteBuffer.wrap(Base64.getMimeDecoder().decode(Files.readString(packet, StandardCharsets.US_ASCII).trim())));
    assertEquals(INFY, base.token());
    assertEquals(1_192_471, base.volume());

    // Seven snapshots, volume rising by 3, 5, 7, ... and the price by 5 paise each.
    List<KiteTick> snaps = new ArrayList<>();
    long volume = base.volume();
    for (int i = 0; i < 7; i++) {
      long growth = 1 + 2L * i;
      if (i > 0) volume += growth;
      snaps.add(snapshot(base, volume, base.lastPrice() + 5L * i, i == 0 ? base.lastQty() : growth, base.lastTradeTime() + i));
    }
    Message heartbeat = ScriptedWsServer.binary(new byte[] {0});
    Message garbage = ScriptedWsServer.binary(new byte[] {0, 1, 0, 50, 1, 2, 3}); // one packet of 50 bytes announced, 3 sent
    List<Message> firstConnection = List.of(heartbeat, frame(snaps.get(0)), frame(snaps.get(1)), garbage,
        TextMessage.create("{\"type\":\"error\",\"data\":\"a message from the ticker\"}"), frame(snaps.get(2)), heartbeat, frame(snaps.get(3)));
    // Kite sends the current snapshot again after a (re)subscribe: it shows no new volume, so no trade.
    List<Message> secondConnection = List.of(frame(snaps.get(3)), frame(snaps.get(4)), heartbeat, frame(snaps.get(5), snaps.get(6)));
    server = ScriptedWsServer.start(kit.system(), List.of(
        ScriptedWsServer.Script.thenDrop(firstConnection).afterClientSent(2),
        ScriptedWsServer.Script.thenStay(secondConnection).afterClientSent(2)));
    running = node.ingest(NAME, KiteWsFeed.source(kit.system(), NAME, server.url(), Feed.PRIMARY, new long[] {INFY}, KiteTick.Mode.FULL,
        node.instruments(), metrics(), FAST));

    kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      assertEquals(7, node.ticks().count(INFY));
      return null;
    });
    List<Tick> stored = new ArrayList<>();
    node.ticks().scan(INFY, 0, Long.MAX_VALUE, stored::add);
    List<Long> qtys = stored.stream().map(Tick::qty).toList();
    assertEquals(List.of(base.lastQty(), 3L, 5L, 7L, 9L, 11L, 13L), qtys, "first snapshot: its last trade; then the volume increases");
    for (int i = 0; i < 7; i++) {
      Tick t = stored.get(i);
      assertEquals(snaps.get(i).lastPrice(), t.price(), "price of trade " + i + " (paise, the instrument's scale 2)");
      assertEquals(snaps.get(i).lastTradeTime() * 1_000_000_000L, t.exchangeTs(), "exchange time of trade " + i);
      assertEquals(Tick.NO_SEQ, t.seq(), "Kite numbers nothing");
      assertEquals(base.bids().get(0).price(), t.bid());
      assertEquals(base.asks().get(0).price(), t.ask());
    }

    List<String> subscribe = List.of(KiteTicker.subscribeMessage(INFY), KiteTicker.modeMessage(KiteTick.Mode.FULL, INFY));
    assertEquals(subscribe, server.received(0), "subscribed on connect");
    assertEquals(subscribe, server.received(1), "subscribed again after the reconnect");
    assertEquals(1.0, metrics().rejectCount(), "the garbage frame, and nothing else (heartbeats and text are not refused)");
    assertTrue(metrics().disconnectCount() >= 1, "disconnects " + metrics().disconnectCount());
    assertTrue(metrics().reconnectCount() >= 1, "reconnects " + metrics().reconnectCount());
    assertEquals(7.0, metrics().tickCount(), "ticks counted once each for the source");
  }

  private static Message frame(KiteTick... ticks) {
    List<byte[]> packets = new ArrayList<>();
    for (KiteTick t : ticks) packets.add(KiteTicker.encodePacket(t));
    return ScriptedWsServer.binary(KiteTicker.encodeMessage(packets));
  }

  /** {@code base} with another cumulative volume, last price, last quantity and last trade time. */
  private static KiteTick snapshot(KiteTick base, long volume, long lastPrice, long lastQty, long lastTradeTime) {
    return new KiteTick(base.token(), base.mode(), base.tradable(), base.priceScale(), lastPrice, lastQty, base.avgPrice(), volume,
        base.buyQty(), base.sellQty(), base.open(), Math.max(base.high(), lastPrice), base.low(), base.close(), lastTradeTime, base.oi(),
        base.oiDayHigh(), base.oiDayLow(), lastTradeTime, base.bids(), base.asks());
  }
}
