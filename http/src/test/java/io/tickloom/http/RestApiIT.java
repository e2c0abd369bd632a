package io.tickloom.http;

import static io.tickloom.http.Fixtures.BTC;
import static io.tickloom.http.Fixtures.MINUTE;
import static io.tickloom.http.Fixtures.NIFTY;
import static io.tickloom.http.Fixtures.NIFTY_CE;
import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API (SPEC §5) through the real server, on real stores in embedded PostgreSQL. */
class RestApiIT {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static TestNode node;
  static List<Tick> relianceTicks;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s);
    relianceTicks = Fixtures.ticks(RELIANCE, 25, T0, 250_005);
    node.ticks.write(relianceTicks);
    node.ticks.write(List.of(new Tick(BTC.token(), T0 + 123_456_789, T0 + 200_000_000, 9_712_345, 1_000, Tick.NO_TRADE_ID, 1,
        Feed.SECONDARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.STALE)));
    node.bars.write(Fixtures.bars(RELIANCE, Timeframe.M1, 5, T0, 250_000));
    node.gaps.upsert(List.of(
        Fixtures.gap(RELIANCE, 10, 12, T0 + MINUTE, Gap.State.LOST),
        Fixtures.gap(RELIANCE, 20, 20, T0 + 2 * MINUTE, Gap.State.OPEN)));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- health and metrics ----

  @Test
  void liveIsAlwaysUp() throws Exception {
    HttpResponse<String> r = node.get("/health/live");
    assertEquals(200, r.statusCode());
    assertEquals("UP", json(r).get("status").asText());
  }

  @Test
  void readyFollowsTheReadinessCheck() throws Exception {
    assertEquals(200, node.get("/health/ready").statusCode());
    node.ready.set(false);
    try {
      HttpResponse<String> r = node.get("/health/ready");
      assertEquals(503, r.statusCode());
      assertEquals("DOWN", json(r).get("status").asText());
    } finally {
      node.ready.set(true);
    }
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    node.get("/health/live");
    HttpResponse<String> r = node.get("/metrics");
    assertEquals(200, r.statusCode());
    String ct = r.headers().firstValue("content-type").orElseThrow();
    assertTrue(ct.startsWith("text/plain") && ct.contains("version=0.0.4"), ct);
    assertTrue(r.body().contains("# TYPE tickloom_ws_connections gauge"), r.body());
    assertTrue(r.body().contains("tickloom_http_requests_seconds_count{method=\"GET\",status=\"200\"}"), r.body());
  }

  // ---- instruments ----

  @Test
  void instrumentSearchMatchesPrefixThenSubstring() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/instruments?query=nifty&limit=20");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    JsonNode body = json(r);
    assertTrue(body.has("nextCursor") && body.get("nextCursor").isNull());
    List<String> symbols = new ArrayList<>();
    body.get("items").forEach(i -> symbols.add(i.get("symbol").asText()));
    assertEquals(List.of("NIFTY 50", "NIFTY26JAN24000CE"), symbols);
  }

  @Test
  void instrumentByTokenHasExactDecimalsAndOmitsAbsentFields() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/instruments/" + RELIANCE.token());
    assertEquals(200, r.statusCode());
    assertEquals("{\"token\":738561,\"exchange\":\"NSE\",\"symbol\":\"RELIANCE\",\"kind\":\"EQ\",\"tickSize\":0.05,"
        + "\"lotSize\":1,\"priceScale\":2,\"qtyScale\":0}", r.body());
  }

  @Test
  void optionCarriesItsDerivativeFields() throws Exception {
    JsonNode o = json(node.get("/api/v1/instruments/" + NIFTY_CE.token()));
    assertEquals("NIFTY", o.get("underlying").asText());
    assertEquals("2026-01-29", o.get("expiry").asText());
    assertTrue(node.get("/api/v1/instruments/" + NIFTY_CE.token()).body().contains("\"strike\":24000.00,"));
    assertEquals("CE", o.get("optionType").asText());
    assertEquals(75, o.get("lotSize").asInt());
  }

  @Test
  void unknownInstrumentIs404Problem() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/instruments/42");
    assertProblem(r, 404, Problem.UNKNOWN_INSTRUMENT);
    assertEquals("/api/v1/instruments/42", json(r).get("instance").asText());
  }

  // ---- ticks ----

  @Test
  void ticksRenderExactDecimalsAndSourcePrecisionTimes() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/ticks?token=" + RELIANCE.token() + "&limit=1");
    assertEquals(200, r.statusCode());
    Tick t = relianceTicks.get(0);
    JsonNode item = json(r).get("items").get(0);
    assertEquals(Timestamps.format(t.exchangeTs()), item.get("exchangeTs").asText());
    assertEquals("2026-01-15T03:45:01.000123Z", item.get("exchangeTs").asText());
    assertTrue(r.body().contains("\"price\":2500.06,"), r.body());
    assertTrue(r.body().contains("\"bid\":2500.01,\"ask\":2500.11,"), r.body());
    assertEquals(70_001, item.get("tradeId").asLong());
    assertEquals("primary", item.get("feed").asText());
    assertEquals("SELL", item.get("side").asText());
    assertEquals("LIVE", item.get("status").asText());
  }

  @Test
  void tickOptionalFieldsAreOmittedAndTinyDecimalsStayPlain() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/ticks?token=" + BTC.token());
    JsonNode item = json(r).get("items").get(0);
    assertTrue(r.body().contains("\"price\":97123.45,\"qty\":0.00001000,"), r.body());
    assertFalse(item.has("tradeId") || item.has("side") || item.has("bid") || item.has("ask"), r.body());
    assertEquals("secondary", item.get("feed").asText());
    assertEquals("STALE", item.get("status").asText());
    assertEquals("2026-01-15T03:45:00.123456789Z", item.get("exchangeTs").asText());
  }

  @Test
  void ticksPageWithKeysetCursors() throws Exception {
    List<Long> seqs = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String q = "/api/v1/ticks?token=" + RELIANCE.token() + "&limit=10" + (cursor == null ? "" : "&cursor=" + enc(cursor));
      JsonNode body = json(node.get(q));
      body.get("items").forEach(i -> seqs.add(i.get("seq").asLong()));
      cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(relianceTicks.stream().map(Tick::seq).toList(), seqs);
    assertTrue(pages >= 3, "25 ticks in pages of 10");
  }

  @Test
  void ticksTimeRangeAcceptsIsoAndEpochMillis() throws Exception {
    Tick from = relianceTicks.get(5);
    Tick to = relianceTicks.get(8);
    String iso = Timestamps.format(from.exchangeTs());
    long toMillis = Timestamps.toMillis(to.exchangeTs()) + 1;
    JsonNode body = json(node.get("/api/v1/ticks?token=" + RELIANCE.token() + "&from=" + enc(iso) + "&to=" + toMillis));
    List<Long> seqs = new ArrayList<>();
    body.get("items").forEach(i -> seqs.add(i.get("seq").asLong()));
    assertEquals(List.of(6L, 7L, 8L, 9L), seqs);
  }

  // ---- indicators ----

  @Test
  void indicatorsAreTheKernelsOverTheStoredBarsThenTheFormingBar() throws Exception {
    List<io.tickloom.protocol.Bar> bars = Fixtures.bars(Fixtures.TCS, Timeframe.M5, 40, T0, 350_000);
    node.bars.write(bars);
    var expected = io.tickloom.protocol.indicators.IndicatorSet.of(List.of("SMA_3", "RSI_3", "MACD_3_5_2"));
    double[] v = new double[expected.outputCount()];
    JsonNode items = json(node.get("/api/v1/indicators?token=" + Fixtures.TCS.token() + "&tf=5m&names=SMA_3,RSI_3,MACD_3_5_2&to="
        + enc(Timestamps.format(T0 + 400 * MINUTE)))).get("items");
    assertEquals(40, items.size());
    List<String> fields = new ArrayList<>();
    items.get(0).fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("token", "tf", "start", "final", "values"), fields);
    for (int k = 0; k < 40; k++) {
      expected.update(bars.get(k), 2, 0, k == 0);
      expected.values(v);
      JsonNode item = items.get(k);
      assertEquals(Timestamps.format(bars.get(k).start()), item.get("start").asText());
      assertTrue(item.get("final").asBoolean());
      JsonNode values = item.get("values");
      assertEquals(k >= 2, values.has("SMA_3"), "SMA_3 from its first output on, bar " + k);
      for (int o = 0; o < v.length; o++) {
        String name = expected.outputNames().get(o);
        if (Double.isNaN(v[o])) continue;
        assertEquals(0, new java.math.BigDecimal(io.tickloom.protocol.indicators.OfflineIndicators.format(v[o])).compareTo(values.get(name).decimalValue()),
            name + " at bar " + k);
      }
    }
    // SMA_3 of the last bar by hand, at the price scale: the mean of the last three closes.
    double sma = (bars.get(37).close() + bars.get(38).close() + bars.get(39).close()) / 3.0 / 100.0;
    assertEquals(sma, items.get(39).get("values").get("SMA_3").asDouble(), 1e-8);

    // Open-ended: the forming bar's values last, computed without changing the state.
    node.live.setForming(Fixtures.bar(Fixtures.TCS, Timeframe.M5, T0 + 200 * MINUTE, 351_000, false));
    JsonNode open = json(node.get("/api/v1/indicators?token=" + Fixtures.TCS.token() + "&tf=5m&names=SMA_3&from=" + enc(Timestamps.format(T0 + 190 * MINUTE))))
        .get("items");
    assertEquals(3, open.size(), open.toString());
    assertFalse(open.get(2).get("final").asBoolean());
  }

  /** Stored rows for BTC 15m: 10 bars from T0 with every default output; no bars stored, so the kernels find nothing. */
  static List<io.tickloom.persistence.IndicatorQueries.IndicatorRow> storeBtcIndicatorRows() {
    List<String> outputs = io.tickloom.protocol.indicators.IndicatorSet.defaults().outputNames();
    List<io.tickloom.persistence.IndicatorQueries.IndicatorRow> rows = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      double[] v = new double[outputs.size()];
      java.util.Arrays.fill(v, Double.NaN);
      v[outputs.indexOf("SMA_20")] = 97_000.123456789 + k;
      if (k >= 5) v[outputs.indexOf("MACD_12_26_9.signal")] = -1.5 * k;
      v[outputs.indexOf("BB_20_2.upper")] = 98_000 + k;
      rows.add(new io.tickloom.persistence.IndicatorQueries.IndicatorRow(BTC.token(), Timeframe.M15, T0 + k * 15 * MINUTE, outputs, v));
    }
    node.indicators.write(rows);
    return rows;
  }

  @Test
  void indicatorsTheNodeComputesAreTheStoredValuesThenTheFormingValues() throws Exception {
    storeBtcIndicatorRows();
    List<String> outputs = io.tickloom.protocol.indicators.IndicatorSet.defaults().outputNames();
    double[] forming = new double[outputs.size()];
    java.util.Arrays.fill(forming, Double.NaN);
    forming[outputs.indexOf("SMA_20")] = 97_010.5;
    forming[outputs.indexOf("MACD_12_26_9.signal")] = -15.25;
    node.live.setFormingIndicators(new io.tickloom.cluster.MarketEvent.IndicatorUpdate(BTC.token(), Timeframe.M15, T0 + 10 * 15 * MINUTE,
        false, outputs, forming));
    String base = "/api/v1/indicators?token=" + BTC.token() + "&tf=15m&names=SMA_20,MACD_12_26_9";

    JsonNode items = json(node.get(base)).get("items");
    assertEquals(11, items.size(), items.toString());
    for (int k = 0; k < 10; k++) {
      JsonNode item = items.get(k);
      assertEquals(Timestamps.format(T0 + k * 15 * MINUTE), item.get("start").asText());
      assertTrue(item.get("final").asBoolean());
      List<String> fields = new ArrayList<>();
      item.get("values").fieldNames().forEachRemaining(fields::add);
      // only the requested outputs, in the indicators' output order, those without a value yet absent
      assertEquals(k >= 5 ? List.of("SMA_20", "MACD_12_26_9.signal") : List.of("SMA_20"), fields, item.toString());
      assertEquals(0, new java.math.BigDecimal("97000.12345679").add(java.math.BigDecimal.valueOf(k)).compareTo(item.get("values").get("SMA_20").decimalValue()));
    }
    assertEquals("{\"token\":900001,\"tf\":\"15m\",\"start\":\"" + Timestamps.format(T0 + 150 * MINUTE)
        + "\",\"final\":false,\"values\":{\"SMA_20\":97010.5,\"MACD_12_26_9.signal\":-15.25}}", items.get(10).toString());

    // [from, to): the stored rows in range, no forming values when to is given
    JsonNode closed = json(node.get(base + "&from=" + enc(Timestamps.format(T0 + 30 * MINUTE)) + "&to=" + enc(Timestamps.format(T0 + 90 * MINUTE))))
        .get("items");
    List<String> starts = new ArrayList<>();
    closed.forEach(i -> starts.add(i.get("start").asText()));
    assertEquals(List.of(Timestamps.format(T0 + 30 * MINUTE), Timestamps.format(T0 + 45 * MINUTE), Timestamps.format(T0 + 60 * MINUTE),
        Timestamps.format(T0 + 75 * MINUTE)), starts);

    // limit keeps the newest, the forming values among them
    JsonNode newest = json(node.get(base + "&limit=3")).get("items");
    assertEquals(3, newest.size());
    assertEquals(Timestamps.format(T0 + 120 * MINUTE), newest.get(0).get("start").asText());
    assertFalse(newest.get(2).get("final").asBoolean());

    // forming values starting before from are not in [from, ...)
    JsonNode late = json(node.get(base + "&from=" + enc(Timestamps.format(T0 + 200 * MINUTE)))).get("items");
    assertEquals(0, late.size(), late.toString());
  }

  @Test
  void indicatorsTheNodeDoesNotComputeRunTheKernelsOverTheStoredBars() throws Exception {
    storeBtcIndicatorRows();
    // SMA_3 is not among the node's indicators: the whole request is computed, and BTC has no stored 15m bars
    JsonNode items = json(node.get("/api/v1/indicators?token=" + BTC.token() + "&tf=15m&names=SMA_20,SMA_3&to="
        + enc(Timestamps.format(T0 + 400 * MINUTE)))).get("items");
    assertEquals(0, items.size(), items.toString());
    JsonNode stored = json(node.get("/api/v1/indicators?token=" + BTC.token() + "&tf=15m&names=SMA_20&to="
        + enc(Timestamps.format(T0 + 400 * MINUTE)))).get("items");
    assertEquals(10, stored.size(), stored.toString());
  }

  @Test
  void indicatorsRefuseANameGivenTwice() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/indicators?token=" + Fixtures.TCS.token() + "&names=SMA_20,SMA_020");
    assertEquals(400, r.statusCode());
    JsonNode error = json(r).get("errors").get(0);
    assertEquals("names", error.get("field").asText());
    assertTrue(error.get("reason").asText().contains("SMA_20 given twice"), error.toString());
  }

  @Test
  void indicatorsRefuseUnknownNamesNamingTheParameter() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/indicators?token=" + Fixtures.TCS.token() + "&names=SMA_20,FOO_3");
    assertEquals(400, r.statusCode());
    assertEquals("names", json(r).get("errors").get(0).get("field").asText());
  }

  // ---- candles ----

  @Test
  void candlesAreFinalBarsThenTheFormingBar() throws Exception {
    long formingStart = T0 + 5 * MINUTE;
    node.live.setForming(Fixtures.bar(RELIANCE, Timeframe.M1, formingStart, 250_100, false));
    HttpResponse<String> r = node.get("/api/v1/candles?token=" + RELIANCE.token() + "&tf=1m");
    assertEquals(200, r.statusCode());
    JsonNode items = json(r).get("items");
    assertEquals(6, items.size());
    for (int k = 0; k < 5; k++) assertTrue(items.get(k).get("final").asBoolean());
    JsonNode forming = items.get(5);
    assertFalse(forming.get("final").asBoolean());
    assertEquals(Timestamps.format(formingStart), forming.get("start").asText());
    assertEquals("2026-01-15T03:51:00Z", forming.get("end").asText());
    assertTrue(r.body().endsWith("\"open\":2501.00,\"high\":2502.50,\"low\":2500.00,\"close\":2501.50,\"volume\":1200,"
        + "\"trades\":37,\"vwap\":2501.20,\"final\":false,\"revision\":0}],\"nextCursor\":null}"), r.body());
    assertEquals("1m", forming.get("tf").asText());
    assertEquals(0, forming.get("revision").asInt());
    List<String> names = new ArrayList<>();
    forming.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("token", "tf", "start", "end", "open", "high", "low", "close", "volume", "trades", "vwap", "final", "revision"), names);
  }

  @Test
  void candlesWithClosedRangeHaveNoFormingBar() throws Exception {
    node.live.setForming(Fixtures.bar(RELIANCE, Timeframe.M1, T0 + 5 * MINUTE, 250_100, false));
    JsonNode items = json(node.get("/api/v1/candles?token=" + RELIANCE.token() + "&tf=1m&from=" + enc(Timestamps.format(T0 + MINUTE))
        + "&to=" + enc(Timestamps.format(T0 + 4 * MINUTE)))).get("items");
    assertEquals(3, items.size());
    items.forEach(i -> assertTrue(i.get("final").asBoolean()));
  }

  @Test
  void formingBarAlreadyCoveredByAFinalBarIsNotRepeated() throws Exception {
    node.live.setForming(Fixtures.bar(RELIANCE, Timeframe.M1, T0 + 4 * MINUTE, 250_100, false));
    JsonNode items = json(node.get("/api/v1/candles?token=" + RELIANCE.token() + "&tf=1m")).get("items");
    assertEquals(5, items.size());
    items.forEach(i -> assertTrue(i.get("final").asBoolean()));
  }

  @Test
  void candlesLimitKeepsTheNewest() throws Exception {
    node.live.setForming(Fixtures.bar(RELIANCE, Timeframe.M1, T0 + 5 * MINUTE, 250_100, false));
    JsonNode items = json(node.get("/api/v1/candles?token=" + RELIANCE.token() + "&tf=1m&limit=2")).get("items");
    assertEquals(2, items.size());
    assertEquals(Timestamps.format(T0 + 4 * MINUTE), items.get(0).get("start").asText());
    assertFalse(items.get(1).get("final").asBoolean());
  }

  // ---- gaps ----

  @Test
  void gapsAreListedOldestFirst() throws Exception {
    JsonNode items = json(node.get("/api/v1/gaps?token=" + RELIANCE.token())).get("items");
    assertEquals(2, items.size());
    JsonNode lost = items.get(0);
    assertEquals(10, lost.get("fromSeq").asLong());
    assertEquals(12, lost.get("toSeq").asLong());
    assertEquals(3, lost.get("missing").asLong());
    assertEquals("LOST", lost.get("state").asText());
    assertEquals("2026-01-15T03:46:00Z", lost.get("openedAt").asText());
    assertEquals("2026-01-15T03:46:02Z", lost.get("closedAt").asText());
    assertEquals("OPEN", items.get(1).get("state").asText());
    assertFalse(items.get(1).has("closedAt"));
  }

  // ---- errors ----

  static Stream<Arguments> badParameters() {
    long rel = RELIANCE.token();
    return Stream.of(
        Arguments.of("/api/v1/candles?token=" + rel + "&tf=7m", "tf", "unknown timeframe '7m'"),
        Arguments.of("/api/v1/candles?token=abc", "token", "must be an integer"),
        Arguments.of("/api/v1/candles?tf=1m", "token", "required"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&from=yesterday", "from", "expected ISO-8601"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&to=2026-13-01T00:00:00Z", "to", "expected ISO-8601"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&from=2026-01-16T00:00:00Z&to=2026-01-15T00:00:00Z", "to", "before from"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&limit=0", "limit", "between 1 and 10000"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&limit=10001", "limit", "between 1 and 10000"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&limit=ten", "limit", "must be an integer"),
        Arguments.of("/api/v1/ticks?token=" + rel + "&cursor=not-a-cursor", "cursor", ""),
        Arguments.of("/api/v1/gaps?token=" + rel + "&from=1e9", "from", "expected ISO-8601"),
        Arguments.of("/api/v1/instruments?limit=5000", "limit", "between 1 and 1000"),
        Arguments.of("/api/v1/instruments/RELIANCE", "token", "must be an integer"));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void badParameterIsA400ProblemNamingIt(String url, String field, String reasonPart) throws Exception {
    HttpResponse<String> r = node.get(url);
    JsonNode p = assertProblem(r, 400, Problem.INVALID_PARAMETERS);
    JsonNode errors = p.get("errors");
    assertEquals(1, errors.size(), r.body());
    assertEquals(field, errors.get(0).get("field").asText(), r.body());
    assertTrue(errors.get(0).get("reason").asText().contains(reasonPart), r.body());
    assertTrue(p.get("detail").asText().contains(field), r.body());
    assertEquals(url, p.get("instance").asText());
  }

  @Test
  void everyBadParameterIsNamedAtOnce() throws Exception {
    JsonNode p = assertProblem(node.get("/api/v1/candles?token=x&tf=2h&limit=-1"), 400, Problem.INVALID_PARAMETERS);
    List<String> fields = new ArrayList<>();
    p.get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertEquals(List.of("token", "tf", "limit"), fields);
  }

  @Test
  void unknownTokenInAQueryIs404Problem() throws Exception {
    for (String path : List.of("ticks", "candles", "gaps")) {
      assertProblem(node.get("/api/v1/" + path + "?token=4242"), 404, Problem.UNKNOWN_INSTRUMENT);
    }
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/nothing-here");
    JsonNode p = assertProblem(r, 404, Problem.NOT_FOUND);
    assertEquals("/api/v1/nothing-here", p.get("instance").asText());
  }

  @Test
  void wrongMethodIs405Problem() throws Exception {
    HttpResponse<String> r = node.client.send(HttpRequest.newBuilder(node.base.resolve("/api/v1/ticks?token=1"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(r, 405, Problem.HTTP_ERROR);
  }

  @Test
  void failureIs500ProblemWithoutInternals() throws Exception {
    HttpResponse<String> r = node.get("/api/v1/gaps?token=" + TestNode.FAILING_TOKEN);
    JsonNode p = assertProblem(r, 500, Problem.INTERNAL_ERROR);
    assertFalse(r.body().contains("secret-internal-detail"), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    assertNotNull(p.get("detail"));
  }

  static JsonNode assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("content-type").orElseThrow(), r.body());
    JsonNode p = json(r);
    assertEquals(type, p.get("type").asText(), r.body());
    assertEquals(status, p.get("status").asInt());
    assertTrue(p.hasNonNull("title") && p.hasNonNull("detail") && p.hasNonNull("instance"), r.body());
    return p;
  }

  @Test
  void niftyHasNoStoredTicksYet() throws Exception {
    JsonNode body = json(node.get("/api/v1/ticks?token=" + NIFTY.token()));
    assertEquals(0, body.get("items").size());
    assertTrue(body.get("nextCursor").isNull());
  }
}
