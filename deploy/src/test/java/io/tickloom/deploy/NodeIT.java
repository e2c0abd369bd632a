package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole node as the demo runs it (simulated NSE feed with faults, sharded entities, PostgreSQL, HTTP),
 * exercised from outside with a real HTTP client and a real WebSocket client.
 */
class NodeIT {
  static TickloomNode node;
  static HttpClient http = HttpClient.newHttpClient();
  static ObjectMapper json = new ObjectMapper();
  static ActorTestKit probes;
  static final long NIFTY = 256265;

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.demo(TestNodes.overrides(
        "tickloom.node.feeds = sim",
        "tickloom.cluster.simulator.ticks-per-second = 2000",
        "tickloom.cluster.simulator.gap-rate = 0.01")));
    probes = ActorTestKit.create("probes");
  }

  @AfterAll
  static void stop() throws Exception {
    probes.shutdownTestKit();
    node.close();
  }

  static JsonNode get(String path, int expectStatus) throws Exception {
    return TestNodes.get(node, path, expectStatus);
  }

  @Test
  void readyAndServesTheSimulatedUniverse() throws Exception {
    TestProbe<Object> p = probes.createTestProbe();
    p.awaitAssert(Duration.ofSeconds(20), () -> {
      try {
        get("/health/ready", 200);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    JsonNode rel = get("/api/v1/instruments?query=RELI&limit=5", 200);
    assertEquals("RELIANCE", rel.get("items").get(0).get("symbol").asText());
    JsonNode nifty = get("/api/v1/instruments/" + NIFTY, 200);
    assertEquals("IDX", nifty.get("kind").asText());
    JsonNode bad = get("/api/v1/candles?token=" + NIFTY + "&tf=7m", 400);
    assertEquals("tf", bad.get("errors").get(0).get("field").asText());
  }

  @Test
  void liveTicksBecomeStoredTicksAndFinalBars() throws Exception {
    TestProbe<Object> p = probes.createTestProbe();
    p.awaitAssert(Duration.ofSeconds(30), () -> {
      try {
        JsonNode candles = get("/api/v1/candles?token=" + NIFTY + "&tf=1s&limit=50", 200).get("items");
        assertTrue(candles.size() >= 2, "final 1s bars and the forming one: " + candles);
        assertTrue(candles.get(0).get("final").asBoolean());
        JsonNode ticks = get("/api/v1/ticks?token=" + NIFTY + "&limit=5", 200);
        assertEquals(5, ticks.get("items").size());
        assertTrue(ticks.get("nextCursor").isTextual());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  @Test
  void webSocketBackfillsThenStreamsLiveTicks() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws"), new WebSocket.Listener() {
      final StringBuilder partial = new StringBuilder();
      @Override
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(partial.toString());
          partial.setLength(0);
        }
        w.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
    ws.sendText("{\"action\":\"subscribe\",\"channels\":[\"ticks\",\"bars:1s\"],\"tokens\":[" + NIFTY + "]}", true).get(5, TimeUnit.SECONDS);
    TestProbe<Object> p = probes.createTestProbe();
    p.awaitAssert(Duration.ofSeconds(20), () -> {
      assertTrue(frames.stream().anyMatch(f -> f.contains("\"type\":\"backfill\"")), "backfill: " + frames);
      assertTrue(frames.stream().anyMatch(f -> f.contains("\"type\":\"tick\"")), "live tick");
      assertTrue(frames.stream().anyMatch(f -> f.contains("\"type\":\"bar\"")), "live bar");
      return null;
    });
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  @Test
  void dashboardDrawsLiveBarsOfTheSimulatedMarketInARealBrowser() throws Exception {
    io.tickloom.http.HeadlessChromium.assumeInstalled();
    try (var chromium = io.tickloom.http.HeadlessChromium.start()) {
      var driver = chromium.driver();
      driver.get("http://127.0.0.1:" + node.httpPort() + "/#token=" + NIFTY + "&tf=1s");
      var wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
      wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#instrument-list li")).size() >= 60);
      wait.until(d -> "open".equals(d.findElement(org.openqa.selenium.By.id("conn-status")).getAttribute("data-state")));
      wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#ticks tbody tr")).size() >= 5);
      int first = barCount(driver);
      // New 1s bars keep arriving from the simulated feed through the node into the page.
      wait.until(d -> barCount(d) >= first + 3);
      String ticks = driver.findElement(org.openqa.selenium.By.cssSelector("#ticks tbody")).getText();
      assertTrue(ticks.contains("LIVE") || ticks.contains("STALE"), ticks);
      var shot = driver.getScreenshotAs(org.openqa.selenium.OutputType.FILE);
      Files.copy(shot.toPath(), Path.of(System.getProperty("java.io.tmpdir"), "tickloom-demo-dashboard.png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The chart's bar count as the page shows it ("121 bars · last 18:45 (forming)"), 0 before the first. */
  static int barCount(org.openqa.selenium.WebDriver d) {
    String info = d.findElement(org.openqa.selenium.By.id("chart-info")).getText().trim();
    return info.matches("\\d+ bars.*") ? Integer.parseInt(info.substring(0, info.indexOf(' '))) : 0;
  }
}
