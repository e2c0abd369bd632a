package io.tickloom.http;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver (no Selenium Manager, no browser download), for the
 * dashboard tests of this module and of the runnable node (deploy, through this module's test-jar).
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private HeadlessChromium() throws Exception {
    Path profile = Files.createTempDirectory("tickloom-chromium");
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1440,900", "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
  }

  /** Skips the calling test (JUnit assumption) with a clear message when Chromium is not installed. */
  public static void assumeInstalled() {
    io.tickloom.protocol.testing.Prerequisites.browser(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
  }

  public static HeadlessChromium start() throws Exception {
    return new HeadlessChromium();
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
  }

  /** Runs {@code js} in the page and returns its result (the dashboard tests read the page's state this way). */
  public static Object script(WebDriver d, String js) {
    return ((JavascriptExecutor) d).executeScript(js);
  }
}
