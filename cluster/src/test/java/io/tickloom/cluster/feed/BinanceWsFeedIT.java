package io.tickloom.cluster.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.TestConfig;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Binance trade-stream client against a scripted WebSocket server, through a real node and PostgreSQL: the
 * captured combined streams of five Binance venues (oracle §3) played over a connection that drops half-way, and
 * raw trade events with a hole in their ids and malformed messages among them.
 */
class BinanceWsFeedIT {
  static final WebSocketFeed.Settings FAST = new WebSocketFeed.Settings(Duration.ofMillis(100), Duration.ofMillis(500), 0.1, Duration.ofSeconds(5));
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final String NAME = "binance-ws:1";
  /** A trade of this symbol ends every capture script: once it is stored, everything before it went through the feed. */
  static final String END = "ZZENDMARK";
  static final ObjectMapper JSON = new ObjectMapper();

  ActorTestKit kit;
  Database db;
  MarketNode node;
  ScriptedWsServer server;
  Pair<UniqueKillSwitch, CompletionStage<Done>> running;

  private void startNode(String extraConfig) {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("binance-ws", TestConfig.node("tickloom.cluster.around-the-clock = on\n" + extraConfig));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() throws Exception {
    if (running != null) running.first().shutdown();
    if (server != null) server.close();
    if (kit != null) kit.shutdownTestKit();
    if (db != null) db.close();
  }

  private void ingest(List<ScriptedWsServer.Script> scripts) throws Exception {
    server = ScriptedWsServer.start(kit.system(), scripts);
    running = node.ingest(NAME, BinanceWsFeed.source(kit.system(), NAME, server.url(), Feed.PRIMARY, node.resolver(), metrics(), FAST));
  }

  private IngestMetrics.Source metrics() {
    return node.metrics().source(NAME);
  }

  /** A captured aggTrade: its symbol, aggregate id, and price and quantity as sent. */
  record Captured(String symbol, long id, String price, String qty) {}

  @ParameterizedTest
  @ValueSource(strings = {"BINANCE_US.ws.1.0", "BINANCE.ws.1.0", "BINANCE_TR.ws.1.0", "BINANCE_FUTURES.ws.1.0", "BINANCE_DELIVERY.ws.1.0"})
  void capturedStreamsDroppedHalfWayStoreEveryAggTradeOnceAndIgnoreTheRest(String capture) throws Exception {
    Path file = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle"), "binance_ws_capture", capture);
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isRegularFile(file), "oracle capture absent at " + file.toAbsolutePath());
    List<String> messages = new ArrayList<>();
    Map<String, List<Captured>> trades = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) { // line 1: the stream URL and when it was opened
      if (line.isBlank()) continue;
      String json = line.substring(line.indexOf(": ") + 2); // "<receive time>: <combined-stream JSON>"
      messages.add(json);
      JsonNode data = JSON.readTree(json).get("data");
      if ("aggTrade".equals(data.path("e").asText())) {
        String symbol = data.get("s").asText();
        trades.computeIfAbsent(symbol, s -> new ArrayList<>())
            .add(new Captured(symbol, data.get("a").asLong(), data.get("p").asText(), data.get("q").asText()));
      }
    }
    int aggTrades = trades.values().stream().mapToInt(List::size).sum();
    List<String> first = messages.subList(0, messages.size() / 2);
    List<String> rest = new ArrayList<>(messages.subList(messages.size() / 2, messages.size()));
    rest.add(trade(END, 1, "1.00000000", "1.00000000", 1_633_998_300_000L));

    startNode("");
    ingest(List.of(
        ScriptedWsServer.Script.thenDrop(ScriptedWsServer.texts(first)),
        ScriptedWsServer.Script.thenStay(ScriptedWsServer.texts(rest))));

    long endToken = InstrumentResolver.tokenFor(Exchange.BINANCE, END);
    awaitStored(endToken, 1);
    for (var e : trades.entrySet()) awaitStored(InstrumentResolver.tokenFor(Exchange.BINANCE, e.getKey()), e.getValue().size());
    node.flushWriter().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertTrue(server.connections() >= 2, "the drop made the client connect again: " + server.connections() + " connection(s)");
    assertTrue(metrics().disconnectCount() >= 1, "disconnects " + metrics().disconnectCount());
    assertTrue(metrics().reconnectCount() >= 1, "reconnects " + metrics().reconnectCount());
    assertEquals(0.0, metrics().rejectCount(), "depth, bookTicker and kline messages are ignored, not refused");
    assertEquals(aggTrades + 1.0, metrics().tickCount(), "ticks counted once each for the source");
    for (var e : trades.entrySet()) {
      String symbol = e.getKey();
      Instrument i = node.instruments().get("BINANCE:" + symbol);
      assertNotNull(i, "instrument BINANCE:" + symbol + " created on sight");
      assertEquals(InstrumentResolver.tokenFor(Exchange.BINANCE, symbol), i.token());
      assertTrue(i.priceScale() >= 8 && i.qtyScale() >= 8, "scales of " + i.key() + ": " + i.priceScale() + "/" + i.qtyScale());

      List<String> expected = e.getValue().stream()
          .map(c -> c.id() + " " + Fixed.parse(c.price(), i.priceScale()) + " " + Fixed.parse(c.qty(), i.qtyScale())).toList();
      List<String> stored = new ArrayList<>();
      node.ticks().scan(i.token(), 0, Long.MAX_VALUE, t -> stored.add(t.seq() + " " + t.price() + " " + t.qty()));
      stored.sort(Comparator.comparingLong(s -> Long.parseLong(s.substring(0, s.indexOf(' ')))));
      assertEquals(expected, stored, "aggTrades of " + symbol + " stored exactly once each (seq price qty)");
      assertEquals(List.of(), node.gaps().gaps(i.token(), 0, Long.MAX_VALUE, 10), "consecutive aggregate ids of " + symbol + " leave no gap");
    }
  }

  @Test
  void aHoleInTheTradeIdsIsRecordedAsAGapAndLostAfterTheTimeoutWhileMalformedMessagesAreCounted() throws Exception {
    startNode("tickloom.cluster.gap-timeout = 300ms");
    long t0 = 1_763_900_000_000L;
    List<String> messages = new ArrayList<>();
    for (long id = 1; id <= 10; id++) messages.add(trade("BTCUSDT", id, "97000.1" + id, "0.0010", t0 + id));
    messages.add("{not json");
    messages.add("{\"e\":\"trade\",\"E\":1763900000011,\"s\":\"BTCUSDT\",\"t\":11,\"q\":\"0.001\",\"T\":1763900000011,\"m\":true}"); // no price
    messages.add("{\"result\":null,\"id\":1}"); // a subscription reply: ignored, not refused
    for (long id = 15; id <= 20; id++) messages.add(trade("BTCUSDT", id, "97001.2" + id, "0.0020", t0 + id));
    ingest(List.of(ScriptedWsServer.Script.thenStay(ScriptedWsServer.texts(messages))));

    long token = InstrumentResolver.tokenFor(Exchange.BINANCE, "BTCUSDT");
    awaitStored(token, 16);
    Gap lost = kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      node.flushWriter().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<Gap> gaps = node.gaps().gaps(token, 0, Long.MAX_VALUE, 10);
      assertEquals(1, gaps.size(), "gaps " + gaps);
      assertEquals(Gap.State.LOST, gaps.get(0).state(), "gap " + gaps.get(0));
      return gaps.get(0);
    });
    assertEquals(11, lost.fromSeq());
    assertEquals(14, lost.toSeq());
    assertEquals(0, lost.filled());
    assertEquals(2.0, metrics().rejectCount(), "the unparseable message and the trade without a price");
    List<Long> seqs = new ArrayList<>();
    node.ticks().scan(token, 0, Long.MAX_VALUE, t -> seqs.add(t.seq()));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 15L, 16L, 17L, 18L, 19L, 20L), seqs);
    Tick last = node.ticks().latest(token, 1).get(0);
    assertEquals(Fixed.parse("97001.220", node.instruments().get(token).priceScale()), last.price());
  }

  /** A raw (unwrapped) spot trade event. */
  static String trade(String symbol, long id, String price, String qty, long timeMs) {
    return "{\"e\":\"trade\",\"E\":" + timeMs + ",\"s\":\"" + symbol + "\",\"t\":" + id + ",\"p\":\"" + price + "\",\"q\":\"" + qty
        + "\",\"T\":" + timeMs + ",\"m\":" + (id % 2 == 0) + ",\"M\":true}";
  }

  private void awaitStored(long token, long n) {
    kit.createTestProbe().awaitAssert(PATIENCE, () -> {
      assertEquals(n, node.ticks().count(token), "ticks of " + token + " stored");
      return null;
    });
  }
}
