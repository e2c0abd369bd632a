package io.tickloom.http;

import static io.tickloom.http.HeadlessChromium.script;
import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.MarketEvent;
import io.tickloom.persistence.IndicatorQueries;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.indicators.IndicatorSet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver, no downloads): it loads, lists the
 * instruments, draws the chart from the backfill and shows a live tick published through the live market; it draws the
 * selected indicators (overlays, RSI/MACD panels) from the {@code indicators:<tf>} backfill and live values.
 * Writes screenshots to {@code /tmp/dashboard.png} and {@code /tmp/dashboard-indicators.png}. Skipped when Chromium
 * is not installed.
 */
class DashboardIT {
  static TestNode node;
  static long now;
  /** The default indicators' stored values of the 120 final bars, then the forming bar's. */
  static List<IndicatorQueries.IndicatorRow> rows;
  static MarketEvent.IndicatorUpdate forming;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    node = new TestNode(s -> s);
    now = Timestamps.of(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    long first = now - 120 * Fixtures.MINUTE;
    List<Bar> bars = Fixtures.bars(RELIANCE, Timeframe.M1, 120, first, 250_000);
    node.bars.write(bars);
    Bar last = bars.get(bars.size() - 1);
    Bar formingBar = new Bar(RELIANCE.token(), Timeframe.M1, now, now + Fixtures.MINUTE, last.close(), last.close() + 80,
        last.close() - 40, last.close() + 35, 900, 21, last.close() + 10, false, 0);
    node.live.setForming(formingBar);
    IndicatorSet set = IndicatorSet.defaults();
    double[] v = new double[set.outputCount()];
    rows = new ArrayList<>();
    for (Bar b : bars) {
      set.update(b, RELIANCE.priceScale(), RELIANCE.qtyScale(), rows.isEmpty());
      set.values(v);
      rows.add(new IndicatorQueries.IndicatorRow(RELIANCE.token(), Timeframe.M1, b.start(), set.outputNames(), v.clone()));
    }
    node.indicators.write(rows);
    set.peek(formingBar, RELIANCE.priceScale(), RELIANCE.qtyScale(), false, v);
    forming = new MarketEvent.IndicatorUpdate(RELIANCE.token(), Timeframe.M1, now, false, set.outputNames(), v.clone());
    node.live.setFormingIndicators(forming);
    node.ticks.write(Fixtures.ticks(RELIANCE, 40, now - 60 * Timestamps.NANOS_PER_SECOND, last.close()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
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

  /** The drawn series of that name ({name, type, grid, points, last, guides}), or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> series(WebDriver d, String name) {
    List<Map<String, Object>> all = (List<Map<String, Object>>) ((Map<String, Object>) script(d, "return window.tickloom.drawn();")).get("series");
    return all.stream().filter(m -> name.equals(m.get("name"))).findFirst().orElse(null);
  }

  static long grids(WebDriver d) {
    return (Long) script(d, "return window.tickloom.drawn().grids;");
  }

  /** Bars with a value of {@code output}: the stored rows', plus one when the forming values have it. */
  static long points(String output) {
    long n = rows.stream().filter(r -> !Double.isNaN(r.value(output))).count();
    return Double.isNaN(forming.values()[forming.names().indexOf(output)]) ? n : n + 1;
  }

  /** The value as the wire carries it (rounded to 8 decimals), as the browser's number. */
  static double wire(double v) {
    return Double.parseDouble(io.tickloom.protocol.indicators.OfflineIndicators.format(v));
  }

  /** NaN for a value not drawn (yet): a wait polls on until it is. */
  static double number(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }

  static MarketEvent.IndicatorUpdate update(long start, boolean isFinal, String output, double value) {
    List<String> outputs = IndicatorSet.defaults().outputNames();
    double[] v = forming.values().clone();
    v[outputs.indexOf(output)] = value;
    return new MarketEvent.IndicatorUpdate(RELIANCE.token(), Timeframe.M1, start, isFinal, outputs, v);
  }

  @Test
  void dashboardDrawsSelectedIndicatorsFromTheIndicatorChannel() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      driver.get(node.base + "/#token=" + RELIANCE.token() + "&tf=1m");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);
      wait.until(d -> d.findElement(By.id("chart-info")).getText().startsWith("121 bars"));

      // the default selection: SMA_20 and the Bollinger bands over the candles, RSI and MACD in two panels
      wait.until(d -> series(d, "SMA_20") != null && number(series(d, "SMA_20").get("points")) == points("SMA_20"));
      Map<String, Object> sma = series(driver, "SMA_20");
      assertEquals(0L, sma.get("grid"));
      assertEquals(wire(forming.values()[forming.names().indexOf("SMA_20")]), number(sma.get("last")), 1e-9);
      for (String band : List.of("BB_20_2.upper", "BB_20_2.middle", "BB_20_2.lower")) {
        Map<String, Object> bb = series(driver, band);
        assertEquals(0L, bb.get("grid"), band);
        assertEquals(points(band), number(bb.get("points")), band);
      }
      Map<String, Object> rsi = series(driver, "RSI_14");
      assertEquals(2L, rsi.get("grid"));
      assertEquals(points("RSI_14"), number(rsi.get("points")));
      assertEquals(List.of(30L, 70L), rsi.get("guides"));
      for (String part : List.of("MACD_12_26_9.macd", "MACD_12_26_9.signal", "MACD_12_26_9.hist")) {
        Map<String, Object> macd = series(driver, part);
        assertEquals(3L, macd.get("grid"), part);
        assertEquals(points(part), number(macd.get("points")), part);
      }
      assertEquals("bar", series(driver, "MACD_12_26_9.hist").get("type"));
      assertEquals(4, grids(driver));
      assertNull(series(driver, "EMA_9"), "not selected");
      // the selector offers the drawable indicators with values (no SMA_200 yet, no ATR), overlays first
      List<String> offered = driver.findElements(By.cssSelector("#indicator-select label")).stream().map(e -> e.getAttribute("data-name")).toList();
      assertEquals(List.of("SMA_9", "SMA_20", "SMA_50", "EMA_9", "EMA_21", "BB_20_2", "VWAP", "RSI_14", "MACD_12_26_9"), offered);
      // the chart follows its box when the selector above it takes room, so the lowest panel is not cut off
      wait.until(d -> Boolean.TRUE.equals(script(d, "return window.tickloom.chart.getHeight() === document.getElementById('chart').clientHeight;")));

      node.live.awaitSubscribers(RELIANCE.token(), 1);
      // forming values replace the forming bar's point; confirmed values then replace it for good
      node.live.publish(update(now, false, "SMA_20", 2512.5));
      wait.until(d -> number(series(d, "SMA_20").get("last")) == 2512.5);
      assertEquals(points("SMA_20"), number(series(driver, "SMA_20").get("points")));
      node.live.publish(update(now, true, "SMA_20", 2513.123456789));
      wait.until(d -> number(series(d, "SMA_20").get("last")) == 2513.12345679);
      node.live.publish(update(now, false, "SMA_20", 2400)); // late forming values of a confirmed bar: ignored
      // a new bar and its forming values extend every selected series by one point
      long next = now + Fixtures.MINUTE;
      node.live.publish(new MarketEvent.BarUpdate(RELIANCE.token(), new Bar(RELIANCE.token(), Timeframe.M1, next, next + Fixtures.MINUTE,
          261_234, 261_300, 261_200, 261_250, 10, 2, 261_240, false, 0)));
      node.live.publish(update(next, false, "RSI_14", 61.25));
      wait.until(d -> number(series(d, "RSI_14").get("last")) == 61.25);
      assertEquals(points("RSI_14") + 1, number(series(driver, "RSI_14").get("points")));
      assertEquals(2513.12345679, number(script(driver,
          "return window.tickloom.state.indicators.get('" + Timestamps.format(now) + "').values['SMA_20'];")), 0);

      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), Path.of("/tmp/dashboard-indicators.png"), StandardCopyOption.REPLACE_EXISTING);

      // the checkboxes choose what is drawn; panels close up when one is unchecked
      driver.findElement(By.cssSelector("#indicator-select label[data-name='RSI_14'] input")).click();
      wait.until(d -> series(d, "RSI_14") == null);
      assertEquals(3, grids(driver));
      assertEquals(2L, series(driver, "MACD_12_26_9.macd").get("grid"));
      driver.findElement(By.cssSelector("#indicator-select label[data-name='EMA_9'] input")).click();
      wait.until(d -> series(d, "EMA_9") != null);
      assertEquals(points("EMA_9") + 1, number(series(driver, "EMA_9").get("points")));
      driver.findElement(By.cssSelector("#indicator-select label[data-name='SMA_20'] input")).click();
      wait.until(d -> series(d, "SMA_20") == null);
    } finally {
      chromium.close();
    }
  }
}
