package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver, no downloads): it loads, lists the
 * instruments, draws the chart from the backfill and shows a live tick published through the live market.
 * Writes a screenshot to {@code /tmp/dashboard.png}. Skipped when Chromium is not installed.
 */
class DashboardIT {
  static TestNode node;
  static long now;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    node = new TestNode(s -> s);
    now = Timestamps.of(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    long first = now - 120 * Fixtures.MINUTE;
    List<Bar> bars = Fixtures.bars(RELIANCE, Timeframe.M1, 120, first, 250_000);
    node.bars.write(bars);
    Bar last = bars.get(bars.size() - 1);
    node.live.setForming(new Bar(RELIANCE.token(), Timeframe.M1, now, now + Fixtures.MINUTE, last.close(), last.close() + 80,
        last.close() - 40, last.close() + 35, 900, 21, last.close() + 10, false, 0));
    node.ticks.write(Fixtures.ticks(RELIANCE, 40, now - 60 * Timestamps.NANOS_PER_SECOND, last.close()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static Object script(WebDriver d, String js) {
    return ((JavascriptExecutor) d).executeScript(js);
  }

  @Test
  void dashboardShowsInstrumentsChartAndLiveTicks() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      driver.get(node.base + "/#token=" + RELIANCE.token() + "&tf=1m");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class); // the page re-renders tables and lists as data arrives
      wait.until(d -> d.findElements(By.cssSelector("#instrument-list li")).size() == Fixtures.ALL.size());
      wait.until(d -> "open".equals(d.findElement(By.id("conn-status")).getAttribute("data-state")));
      wait.until(d -> d.findElement(By.cssSelector("#instrument-list li.selected")).getText().contains("RELIANCE"));
      assertTrue(driver.findElement(By.cssSelector("#chart canvas")).isDisplayed());
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("121 bars"));
      wait.until(d -> d.findElements(By.cssSelector("#ticks tbody tr")).size() == 30);

      node.live.awaitSubscribers(RELIANCE.token(), 1);
      long ts = now + 5 * Timestamps.NANOS_PER_SECOND + 123_000_000;
      Tick live = new Tick(RELIANCE.token(), ts, ts + 1_000_000, 261_234, 75, 99_001, 41, Feed.PRIMARY, Side.BUY, 261_230, 261_240,
          TickStatus.STALE);
      node.live.publish(new MarketEvent.Ticks(RELIANCE.token(), List.of(live)));
      wait.until(d -> d.findElement(By.cssSelector("#ticks tbody tr")).getText().contains("2612.34"));
      String row = String.valueOf(script(driver, "return document.querySelector('#ticks tbody tr').innerText;"));
      assertTrue(row.contains("STALE") && row.contains("BUY"), row);
      assertEquals(30, driver.findElements(By.cssSelector("#ticks tbody tr")).size());
      assertEquals("2612.34", driver.findElement(By.id("q-last")).getText());

      // the forming bar updates in place; a final bar then a new forming one extend the chart
      node.live.publish(new MarketEvent.BarUpdate(RELIANCE.token(), new Bar(RELIANCE.token(), Timeframe.M1, now, now + Fixtures.MINUTE,
          250_500, 261_234, 250_400, 261_234, 975, 22, 251_000, false, 0)));
      wait.until(d -> "2612.34".equals(String.valueOf(script(d, "const b = window.tickloom.state.bars; return b[b.length - 1].close;"))));
      assertEquals(121L, script(driver, "return window.tickloom.state.bars.length;"));
      node.live.publish(new MarketEvent.BarUpdate(RELIANCE.token(), new Bar(RELIANCE.token(), Timeframe.M1, now + Fixtures.MINUTE,
          now + 2 * Fixtures.MINUTE, 261_234, 261_300, 261_200, 261_250, 10, 2, 261_240, false, 0)));
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("122 bars"));
      assertTrue(driver.findElement(By.id("chart-info")).getText().endsWith("(forming)"));

      // timeframe switch re-subscribes and shows that timeframe's (empty) history
      driver.findElement(By.cssSelector("#tf-switch button[data-tf='5m']")).click();
      wait.until(d -> d.findElement(By.cssSelector("#tf-switch button.active")).getText().equals("5m"));
      wait.until(d -> d.findElement(By.id("chart-empty")).isDisplayed());
      driver.findElement(By.cssSelector("#tf-switch button[data-tf='1m']")).click();
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("121 bars"));
      assertTrue(driver.findElement(By.cssSelector("#ticks tbody tr")).getText().contains("2612.34"), "ticks kept across a timeframe switch");

      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), Path.of("/tmp/dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      chromium.close();
    }
  }
}
