package io.tickloom.http;

import static io.tickloom.http.Fixtures.BTC;
import static io.tickloom.http.Fixtures.MINUTE;
import static io.tickloom.http.Fixtures.NIFTY;
import static io.tickloom.http.Fixtures.NIFTY_CE;
import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static io.tickloom.http.Fixtures.TCS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.persistence.IndicatorQueries;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.indicators.IndicatorSet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket (SPEC §6) through the real server, real stores and a real Topic-based live market. */
class WebSocketIT {
  static TestNode node;
  static List<Tick> stored;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s.withWebSocket(new HttpSettings.WebSocket(1024, 6, 4096, 200, 500, Duration.ofSeconds(15))));
    stored = Fixtures.ticks(RELIANCE, 25, T0, 250_005);
    node.ticks.write(stored);
    node.bars.write(Fixtures.bars(RELIANCE, Timeframe.M1, 5, T0, 250_000));
    node.live.setForming(Fixtures.bar(RELIANCE, Timeframe.M1, T0 + 5 * MINUTE, 250_100, false));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static String subscribe(List<String> channels, List<Long> tokens) {
    return Json.write(Map.of("action", "subscribe", "channels", channels, "tokens", tokens));
  }

  /** The backfill frames of one subscribe, by channel (they come in whatever order the reads finish). */
  static Map<String, JsonNode> backfills(WsClient c, int n) throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    for (int k = 0; k < n; k++) {
      JsonNode b = c.next("backfill");
      out.put(b.get("channel").asText() + "/" + b.get("token").asLong(), b);
    }
    return out;
  }

  @Test
  void subscribeGetsBackfillThenLiveTicksAndBars() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send("{\"action\":\"subscribe\",\"channels\":[\"ticks\",\"bars:1m\"],\"tokens\":[738561],\"id\":7}");
      JsonNode ack = c.next("subscribed");
      assertEquals(7, ack.get("id").asInt());
      assertEquals("[\"ticks\",\"bars:1m\"]", ack.get("channels").toString());
      assertEquals("[738561]", ack.get("tokens").toString());
      assertEquals(2, ack.get("subscriptions").asInt());

      Map<String, JsonNode> b = backfills(c, 2);
      JsonNode ticks = b.get("ticks/738561").get("items");
      assertEquals(25, ticks.size());
      assertEquals(1, ticks.get(0).get("seq").asLong());
      assertEquals(25, ticks.get(24).get("seq").asLong());
      assertEquals(0, new BigDecimal("2500.06").compareTo(ticks.get(0).get("price").decimalValue()));
      JsonNode bars = b.get("bars:1m/738561").get("items");
      assertEquals(6, bars.size());
      assertTrue(bars.get(4).get("final").asBoolean());
      assertFalse(bars.get(5).get("final").asBoolean());
      assertEquals(Timestamps.format(T0 + 5 * MINUTE), bars.get(5).get("start").asText());

      node.live.awaitSubscribers(RELIANCE.token(), 1);
      Tick live = Fixtures.tick(RELIANCE, 26, T0 + 30 * 1_000_000_000L, 250_055);
      node.live.publish(new MarketEvent.Ticks(RELIANCE.token(), List.of(live)));
      String raw = c.nextRaw();
      assertTrue(raw.startsWith("{\"type\":\"tick\",\"token\":738561,"), raw);
      assertTrue(raw.contains("\"price\":2500.55,"), raw);
      JsonNode tick = WsClient.JSON.readTree(raw);
      assertEquals(26, tick.get("seq").asLong());
      assertEquals("LIVE", tick.get("status").asText());

      node.live.publish(new MarketEvent.BarUpdate(RELIANCE.token(), Fixtures.bar(RELIANCE, Timeframe.M1, T0 + 5 * MINUTE, 250_100, false)));
      String bar = c.nextRaw();
      assertTrue(bar.startsWith("{\"type\":\"bar\",\"token\":738561,\"tf\":\"1m\","), bar);
      assertTrue(bar.contains("\"open\":2501.00,") && bar.contains("\"final\":false,"), bar);
    }
    node.live.awaitSubscribers(RELIANCE.token(), 0);
  }

  @Test
  void barsOnlyForTheSubscribedTimeframe() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe(List.of("bars:1m"), List.of(NIFTY.token())));
      c.next("subscribed");
      assertEquals(0, c.next("backfill").get("items").size());
      node.live.awaitSubscribers(NIFTY.token(), 1);
      node.live.publish(new MarketEvent.BarUpdate(NIFTY.token(), Fixtures.bar(NIFTY, Timeframe.M5, T0, 2_400_000, false)));
      node.live.publish(new MarketEvent.BarUpdate(NIFTY.token(), Fixtures.bar(NIFTY, Timeframe.M1, T0, 2_400_000, false)));
      node.live.publish(new MarketEvent.BarUpdate(NIFTY.token(), Fixtures.bar(NIFTY, Timeframe.M1, T0, 2_400_000, true)));
      JsonNode forming = c.next("bar");
      assertEquals("1m", forming.get("tf").asText());
      assertFalse(forming.get("final").asBoolean());
      JsonNode fin = c.next("bar");
      assertEquals("1m", fin.get("tf").asText());
      assertTrue(fin.get("final").asBoolean());
    }
    node.live.awaitSubscribers(NIFTY.token(), 0);
  }

  @Test
  void gapsArriveWithTheTicksChannel() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe(List.of("ticks"), List.of(TCS.token())));
      c.next("subscribed");
      c.next("backfill");
      node.live.awaitSubscribers(TCS.token(), 1);
      node.live.publish(new MarketEvent.GapUpdate(TCS.token(), Fixtures.gap(TCS, 5, 7, T0, Gap.State.OPEN)));
      JsonNode gap = c.next("gap");
      assertEquals(5, gap.get("fromSeq").asLong());
      assertEquals(3, gap.get("missing").asLong());
      assertEquals("OPEN", gap.get("state").asText());
      assertFalse(gap.has("closedAt"));
    }
  }

  @Test
  void unsubscribeStopsOnlyThatChannel() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe(List.of("ticks", "bars:1m"), List.of(BTC.token())));
      c.next("subscribed");
      backfills(c, 2);
      node.live.awaitSubscribers(BTC.token(), 1);
      c.send("{\"action\":\"unsubscribe\",\"channels\":[\"ticks\"],\"tokens\":[" + BTC.token() + "]}");
      JsonNode ack = c.next("unsubscribed");
      assertEquals(1, ack.get("subscriptions").asInt());
      // same topic, same publisher: the session sees the ticks before the bar, so a tick frame would come first
      node.live.publish(new MarketEvent.Ticks(BTC.token(), List.of(Fixtures.tick(BTC, 1, T0, 9_700_000))));
      node.live.publish(new MarketEvent.BarUpdate(BTC.token(), Fixtures.bar(BTC, Timeframe.M1, T0, 9_700_000, false)));
      assertEquals("1m", c.next("bar").get("tf").asText());
      c.send("{\"action\":\"unsubscribe\",\"channels\":[\"bars:1m\"],\"tokens\":[" + BTC.token() + "]}");
      assertEquals(0, c.next("unsubscribed").get("subscriptions").asInt());
      node.live.awaitSubscribers(BTC.token(), 0);
    }
  }

  /** The default indicator set over 30 NIFTY_CE 1m bars, as the entities would have stored them. */
  static List<IndicatorQueries.IndicatorRow> storeOptionIndicators() {
    IndicatorSet set = IndicatorSet.defaults();
    double[] v = new double[set.outputCount()];
    List<IndicatorQueries.IndicatorRow> rows = new ArrayList<>();
    for (var bar : Fixtures.bars(NIFTY_CE, Timeframe.M1, 30, T0, 12_000)) {
      set.update(bar, NIFTY_CE.priceScale(), NIFTY_CE.qtyScale(), rows.isEmpty());
      set.values(v);
      rows.add(new IndicatorQueries.IndicatorRow(NIFTY_CE.token(), Timeframe.M1, bar.start(), set.outputNames(), v.clone()));
    }
    node.indicators.write(rows);
    return rows;
  }

  @Test
  void indicatorChannelBackfillsStoredAndFormingValuesThenSendsLiveValuesOfItsTimeframe() throws Exception {
    List<IndicatorQueries.IndicatorRow> rows = storeOptionIndicators();
    List<String> outputs = IndicatorSet.defaults().outputNames();
    double[] forming = rows.get(29).values().clone();
    forming[outputs.indexOf("SMA_9")] = 121.1234567849; // sent rounded to 8 decimals
    node.live.setFormingIndicators(new MarketEvent.IndicatorUpdate(NIFTY_CE.token(), Timeframe.M1, T0 + 30 * MINUTE, false, outputs, forming));
    try (WsClient one = WsClient.connect(node.ws(), true); WsClient five = WsClient.connect(node.ws(), true)) {
      one.send(subscribe(List.of("indicators:1m", "bars:1m"), List.of(NIFTY_CE.token())));
      assertEquals("[\"indicators:1m\",\"bars:1m\"]", one.next("subscribed").get("channels").toString());
      JsonNode backfill = backfills(one, 2).get("indicators:1m/" + NIFTY_CE.token());
      JsonNode items = backfill.get("items");
      assertEquals(31, items.size());
      assertFalse(items.get(30).get("final").asBoolean());
      assertEquals(0, new BigDecimal("121.12345678").compareTo(items.get(30).get("values").get("SMA_9").decimalValue()), items.get(30).toString());
      // what the store holds, as GET /api/v1/indicators answers it for the node's indicators
      JsonNode rest = WsClient.JSON.readTree(node.get("/api/v1/indicators?token=" + NIFTY_CE.token() + "&tf=1m").body()).get("items");
      assertEquals(rest.toString(), items.toString());
      assertFalse(items.get(7).get("values").has("SMA_9"), "no SMA_9 before its 9th bar");
      assertTrue(items.get(8).get("values").has("SMA_9"));
      assertFalse(items.get(29).get("values").has("SMA_200"));

      five.send(subscribe(List.of("indicators:5m"), List.of(NIFTY_CE.token())));
      five.next("subscribed");
      assertEquals(0, five.next("backfill").get("items").size());
      node.live.awaitSubscribers(NIFTY_CE.token(), 2);

      double[] live = new double[outputs.size()];
      java.util.Arrays.fill(live, Double.NaN);
      live[outputs.indexOf("RSI_14")] = 55.5;
      node.live.publish(new MarketEvent.IndicatorUpdate(NIFTY_CE.token(), Timeframe.M1, T0 + 30 * MINUTE, true, outputs, live));
      node.live.publish(new MarketEvent.IndicatorUpdate(NIFTY_CE.token(), Timeframe.M5, T0 + 25 * MINUTE, false, outputs, live));
      assertEquals("{\"type\":\"indicator\",\"token\":12345678,\"tf\":\"1m\",\"start\":\"" + Timestamps.format(T0 + 30 * MINUTE)
          + "\",\"final\":true,\"values\":{\"RSI_14\":55.5}}", one.nextRaw());
      JsonNode five1 = five.next("indicator");
      assertEquals("5m", five1.get("tf").asText());
      assertFalse(five1.get("final").asBoolean());
      // the 1m client got nothing of 5m: its next frame is the next 1m update
      node.live.publish(new MarketEvent.BarUpdate(NIFTY_CE.token(), Fixtures.bar(NIFTY_CE, Timeframe.M1, T0 + 31 * MINUTE, 12_100, false)));
      assertEquals("bar", one.next().get("type").asText());
    }
    node.live.awaitSubscribers(NIFTY_CE.token(), 0);
  }

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send("{\"action\":\"ping\",\"id\":\"abc\"}");
      assertEquals("{\"type\":\"pong\",\"id\":\"abc\"}", c.nextRaw());
      c.send("{\"action\":\"ping\"}");
      assertEquals("{\"type\":\"pong\"}", c.nextRaw());
    }
  }

  @Test
  void badMessagesGetErrorFramesAndTheConnectionStaysOpen() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send("this is not json");
      assertEquals("bad_json", c.next("error").get("code").asText());
      c.send("[1,2,3]");
      assertEquals("bad_request", c.next("error").get("code").asText());
      c.send("{\"action\":\"dance\",\"id\":1}");
      JsonNode e = c.next("error");
      assertEquals("unknown_action", e.get("code").asText());
      assertEquals(1, e.get("id").asInt());
      assertTrue(e.get("message").asText().contains("dance"));
      c.send(subscribe(List.of("trades"), List.of(RELIANCE.token())));
      e = c.next("error");
      assertEquals("unknown_channel", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("'trades'"), e.toString());
      c.send(subscribe(List.of("bars:7m"), List.of(RELIANCE.token())));
      assertEquals("unknown_channel", c.next("error").get("code").asText());
      c.send(subscribe(List.of("indicators:7m"), List.of(RELIANCE.token())));
      e = c.next("error");
      assertEquals("unknown_channel", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("'indicators:7m'"), e.toString());
      c.send(subscribe(List.of("ticks"), List.of(4242L)));
      e = c.next("error");
      assertEquals("unknown_token", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("4242"));
      c.send("{\"action\":\"subscribe\",\"channels\":[\"ticks\"]}");
      assertEquals("bad_request", c.next("error").get("code").asText());
      c.send("{\"action\":\"ping\"}");
      c.next("pong");
    }
  }

  @Test
  void knownTokensAreSubscribedWhenOthersAreUnknown() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe(List.of("ticks"), List.of(4242L, RELIANCE.token())));
      JsonNode e = c.next("error");
      assertEquals("unknown_token", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("subscribed the rest"));
      assertEquals("[738561]", c.next("subscribed").get("tokens").toString());
      assertEquals(25, c.next("backfill").get("items").size());
    }
  }

  @Test
  void subscriptionLimitRefusesTheWholeRequest() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe(List.of("ticks", "gaps", "bars:1m", "bars:5m"), List.of(NIFTY.token(), TCS.token())));
      JsonNode e = c.next("error");
      assertEquals("too_many_subscriptions", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("at most 6"), e.toString());
      c.send("{\"action\":\"ping\"}");
      c.next("pong");
    }
  }

  @Test
  void tooBigMessageGetsAnErrorAndTheConnectionIsClosed() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send("{\"action\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}");
      JsonNode e = c.next("error");
      assertEquals("frame_too_big", e.get("code").asText());
      assertTrue(e.get("message").asText().contains("4096"));
      assertEquals(1000, c.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void plainHttpRequestToWsIsAProblem() throws Exception {
    RestApiIT.assertProblem(node.get("/ws"), 400, Problem.HTTP_ERROR);
  }
}
