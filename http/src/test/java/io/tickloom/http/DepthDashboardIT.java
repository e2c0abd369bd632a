package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Timestamps;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's depth ladder in a real headless Chromium: the selected instrument's book from the {@code depth}
 * backfill (asks above, best ask and best bid in the middle, bids below; spread shown), then a live book replacing
 * it. Screenshot {@code /tmp/dashboard-depth.png}. Skipped when Chromium is not installed.
 */
class DepthDashboardIT {
  static TestNode node;
  static final BookTestService books = new BookTestService();

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    node = new TestNode(s -> s, ApiKeys.none(), ctx -> ctx.withBooks(books));
    long now = Timestamps.of(java.time.Instant.now());
    books.set(new BookView(RELIANCE.token(), now, "L2", false, 5, 0, BookTestService.book(250_000, 5, 5, 10)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static List<String> rows(WebDriver d) {
    return d.findElements(By.cssSelector("#depth tbody tr")).stream().map(WebElement::getText).toList();
  }

  @Test
  void depthLadderShowsTheSelectedInstrumentsBookAndFollowsIt() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      driver.get(node.base + "/#token=" + RELIANCE.token() + "&tf=1m");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);
      wait.until(d -> rows(d).size() == 10);
      List<String> ladder = rows(driver);
      // asks from the 5th best down to the best, then the bids from the best
      assertTrue(ladder.get(0).contains("2500.25"), ladder.toString());
      assertTrue(ladder.get(4).contains("2500.05"), ladder.toString());
      assertTrue(ladder.get(5).contains("2500.00"), ladder.toString());
      assertTrue(ladder.get(9).contains("2499.80"), ladder.toString());
      assertEquals(1, driver.findElements(By.cssSelector("#depth tbody tr.ask.best")).size());
      assertEquals(1, driver.findElements(By.cssSelector("#depth tbody tr.bid.best")).size());
      wait.until(d -> d.findElement(By.id("depth-info")).getText().contains("spread 0.05"));

      node.live.awaitSubscribers(RELIANCE.token(), 1);
      long ts = Timestamps.of(java.time.Instant.now());
      node.live.publish(new MarketEvent.Depth(RELIANCE.token(), ts, "L2", true, BookTestService.book(251_000, 10, 5, 7)));
      wait.until(d -> rows(d).size() == 10 && rows(d).get(5).contains("2510.00"));
      assertTrue(rows(driver).get(4).contains("2510.10"), rows(driver).toString());
      wait.until(d -> d.findElement(By.id("depth-info")).getText().contains("STALE"));

      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), Path.of("/tmp/dashboard-depth.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      chromium.close();
    }
  }
}
