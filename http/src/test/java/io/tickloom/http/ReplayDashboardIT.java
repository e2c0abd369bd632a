package io.tickloom.http;

import static io.tickloom.http.HeadlessChromium.script;
import static io.tickloom.http.Fixtures.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.replay.ReplaySessions;
import io.tickloom.cluster.replay.ReplaySettings;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's replay controls (replay.js) in a real headless Chromium against the real server, replay sessions and
 * PostgreSQL: BTCUSDT has 30 live 1m bars around 25,000 (the last half hour) and stored ticks around 30,000 from 50 to
 * 40 minutes ago. A replay of the default range (the last hour) shows the replay's bars, not the live ones, under the
 * REPLAY badge, and the chart returns to the live bars when it ends or is cancelled. Writes a screenshot of a running
 * replay to {@code /tmp/dashboard-replay.png}. Skipped without Chromium.
 */
class ReplayDashboardIT {
  static TestNode node;
  /** A replay belongs to the key that creates it: the dashboard sends the order ticket's key. */
  static final String KEY = "replay-ui-key";
  static long now;
  /** The replay's expected 1m bars: start (epoch ms) to close (as the browser's number). */
  static final Map<Long, Double> expected = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    node = new TestNode(s -> s, ApiKeys.parse(KEY + ":R:trader"), ctx -> {
      ReplaySessions replays = new ReplaySessions(ctx.system(), ctx.ticks(), ctx.instruments(),
          ClusterSettings.fromConfig(ctx.system().settings().config()), ctx.blocking(), ReplaySettings.DEFAULTS);
      return ctx.withReplays(replays).withStream(new ReplayStreams(replays, ctx.instruments()));
    });
    now = Timestamps.of(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    node.bars.write(Fixtures.bars(BTC, Timeframe.M1, 30, now - 30 * Fixtures.MINUTE, 2_500_000));
    // ~600 ticks, one a second from 50 minutes ago: ten or eleven 1m bars, all final by the end of the range.
    List<Tick> ticks = Fixtures.ticks(BTC, 600, now - 50 * Fixtures.MINUTE, 3_000_000);
    node.ticks.write(ticks);
    for (Tick t : ticks) expected.put(t.exchangeTs() / Fixtures.MINUTE * Fixtures.MINUTE / 1_000_000, t.price() / 100.0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static boolean badgeShown(WebDriver d) {
    return d.findElement(By.id("replay-badge")).isDisplayed();
  }

  static WebDriverWait open(WebDriver driver) {
    driver.get(node.base + "/#token=" + BTC.token() + "&tf=1m");
    script(driver, "document.getElementById('ot-key').value = '" + KEY + "';");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(d -> "open".equals(d.findElement(By.id("conn-status")).getAttribute("data-state")));
    wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("30 bars"));
    assertTrue(!badgeShown(driver), "live: no badge");
    return wait;
  }

  @Test
  void aMaxSpeedReplayShowsItsBarsUnderTheBadgeThenTheChartReturnsToLive() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      WebDriverWait wait = open(driver);
      // Record what the chart shows and whether the badge is up at every change (a max replay may end within a frame).
      script(driver, """
          window.__seen = [];
          const badge = document.getElementById('replay-badge');
          new MutationObserver(() => window.__seen.push({ badge: !badge.classList.contains('hidden'),
            replay: window.tickloom.state.replay })).observe(badge, { attributes: true });
          """);
      new Select(driver.findElement(By.id("replay-speed"))).selectByValue("max");
      driver.findElement(By.id("replay-start")).click();

      wait.until(d -> script(d, "const l = window.tickloomReplay.state.last; return l && l.state;") != null);
      assertEquals("ENDED", script(driver, "return window.tickloomReplay.state.last.state;"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> bars = (List<Map<String, Object>>) script(driver,
          "return window.tickloomReplay.state.last.bars.map(b => ({ start: Date.parse(b.start), close: b.close, volume: b.volume, final: b.final }));");
      Map<Long, Double> shown = new TreeMap<>();
      long lastTraded = ((TreeMap<Long, Double>) expected).lastKey();
      double lastClose = expected.get(lastTraded);
      for (Map<String, Object> b : bars) {
        long start = ((Number) b.get("start")).longValue();
        double close = ((Number) b.get("close")).doubleValue();
        assertEquals(Boolean.TRUE, b.get("final"));
        if (start <= lastTraded) {
          shown.put(start, close);
        } else { // BINANCE carries flat bars over minutes without trades, up to the end of the range
          assertEquals(lastClose, close, 1e-9);
          assertEquals(0, ((Number) b.get("volume")).doubleValue(), 1e-12);
        }
      }
      assertEquals(expected, shown, "the chart showed the replay's bars (starts and closes of the stored ticks), not the live ones");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> seen = (List<Map<String, Object>>) script(driver, "return window.__seen;");
      assertTrue(seen.size() >= 2 && Boolean.TRUE.equals(seen.get(0).get("badge")) && seen.get(0).get("replay") != null, seen.toString());
      assertEquals(Boolean.FALSE, seen.get(seen.size() - 1).get("badge"), seen.toString());

      // Back to live: the live bars again, no badge, live bar frames drawn again.
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("30 bars"));
      assertNull(script(driver, "return window.tickloom.state.replay;"));
      assertTrue(!badgeShown(driver));
      assertEquals(2_500_000 / 100.0, ((Number) script(driver, "return window.tickloom.state.bars[0].open;")).doubleValue(), 1e-9);
      assertTrue(driver.findElement(By.id("replay-status")).getText().contains("ended"), driver.findElement(By.id("replay-status")).getText());
    } finally {
      chromium.close();
    }
  }

  @Test
  void aPacedReplayCanBePausedResumedAndCancelledAndCancellingReturnsToLive() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      WebDriverWait wait = open(driver);
      new Select(driver.findElement(By.id("replay-speed"))).selectByValue("10"); // ten minutes of ticks in about a minute
      driver.findElement(By.id("replay-start")).click();
      wait.until(ReplayDashboardIT::badgeShown);
      String id = String.valueOf(script(driver, "return window.tickloomReplay.state.id;"));
      // The replay's first bars replace the live ones.
      wait.until(d -> ((Number) script(d, "return window.tickloom.state.bars.length;")).intValue() >= 1);
      double close = ((Number) script(driver, "return window.tickloom.state.bars[0].close;")).doubleValue();
      assertTrue(close >= 30_000, "a replay bar (around 30,000), not a live one (around 25,000): " + close);

      java.io.File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.FILE);
      java.nio.file.Files.copy(shot.toPath(), java.nio.file.Path.of("/tmp/dashboard-replay.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      driver.findElement(By.id("replay-pause")).click();
      wait.until(d -> d.findElement(By.id("replay-pause")).getText().equals("Resume"));
      assertEquals("PAUSED", WsClient.JSON.readTree(node.get("/api/v1/replays/" + id, KEY).body()).get("state").asText());
      driver.findElement(By.id("replay-pause")).click();
      wait.until(d -> d.findElement(By.id("replay-pause")).getText().equals("Pause"));
      assertEquals("RUNNING", WsClient.JSON.readTree(node.get("/api/v1/replays/" + id, KEY).body()).get("state").asText());

      driver.findElement(By.id("replay-cancel")).click();
      wait.until(d -> !badgeShown(d));
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("30 bars"));
      assertEquals("CANCELLED", WsClient.JSON.readTree(node.get("/api/v1/replays/" + id, KEY).body()).get("state").asText());
      assertNull(script(driver, "return window.tickloom.state.replay;"));
      assertTrue(driver.findElement(By.id("replay-start")).isEnabled());
    } finally {
      chromium.close();
    }
  }
}
