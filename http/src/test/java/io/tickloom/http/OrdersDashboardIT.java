package io.tickloom.http;

import static io.tickloom.http.HeadlessChromium.script;
import static io.tickloom.http.Fixtures.RELIANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderRequest;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.oms.RiskCheck;
import io.tickloom.cluster.oms.TimeInForce;
import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's orders section in a real headless Chromium against the real server, OMS and journal: the ticket
 * places an order over REST with the key typed in, the blotter follows the order through the WebSocket {@code orders}
 * channel (venue reports given to the OMS as an adapter would), and its Cancel button cancels it. Skipped when Chromium
 * is not installed.
 */
class OrdersDashboardIT {
  static Database db;
  static ActorTestKit kit;
  static OrderService orders;
  static ServerBinding binding;
  static String base;
  static final ExecutorService blocking = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    db = TestDatabase.fresh();
    Config config = OmsTestConfig.on(db);
    kit = ActorTestKit.create("orders-dashboard", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    orders = OrderService.start(kit.system());
    TopicLiveMarket live = new TopicLiveMarket(kit.system());
    long now = System.currentTimeMillis() * 1_000_000L;
    live.setForming(new Bar(RELIANCE.token(), Timeframe.S1, now, now + 1_000_000_000L, 250_000, 250_000, 250_000, 250_000, 10, 1, 250_000,
        false, 0));
    InstrumentRegistry instruments = new InstrumentRegistry(Fixtures.ALL);
    HttpContext ctx = new HttpContext(kit.system(), instruments, new TickStore(db), new BarStore(db), new GapStore(db),
        new IndicatorStore(db), live, blocking, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true,
        HttpSettings.fromConfig(config), null, orders, ApiKeys.parse("demo:DEMO:trader"))
        .withStream(new OrderStreams(orders, instruments));
    binding = HttpServer.start(ctx).toCompletableFuture().get(20, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (binding != null) binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (kit != null) kit.shutdownTestKit();
    blocking.shutdownNow();
    if (db != null) db.close();
  }

  static String status(WebDriver d, String orderId) {
    Object s = script(d, "const r = document.querySelector('#blotter tr[data-order-id=\"" + orderId + "\"]'); return r ? r.dataset.status : null;");
    return s == null ? null : s.toString();
  }

  @Test
  void ticketPlacesAndTheBlotterFollowsTheOrderLiveAndCancelsIt() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.start();
    WebDriver driver = chromium.driver();
    try {
      driver.get(base + "/#token=" + RELIANCE.token() + "&tf=1m");
      script(driver, "localStorage.setItem('tickloom.orders.key', 'demo'); localStorage.setItem('tickloom.orders.account', 'DEMO');");
      driver.navigate().refresh();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);
      wait.until(d -> "open".equals(d.findElement(By.id("orders-conn")).getAttribute("data-state")));
      wait.until(d -> script(d, "return window.tickloom.state.instrument && window.tickloom.state.instrument.token") != null);

      // The channel goes live asynchronously: orders placed elsewhere (REST, by the test) show up once it is.
      wait.until(d -> {
        OrderRequest warm = OrderRequest.limit("warm-" + System.nanoTime(), "DEMO", RELIANCE.token(), Side.BUY, 1, 249_000, TimeInForce.DAY);
        orders.place(warm, new RiskCheck.Market(250_000, 2, 0)).toCompletableFuture().join();
        return status(d, warm.orderId().value()) != null || ((Number) script(d, "return window.tickloomOrders.rows.size;")).longValue() > 0;
      });
      long before = ((Number) script(driver, "return window.tickloomOrders.rows.size;")).longValue();

      driver.findElement(By.id("ot-side")).sendKeys("SELL");
      driver.findElement(By.id("ot-qty")).clear();
      driver.findElement(By.id("ot-qty")).sendKeys("3");
      driver.findElement(By.id("ot-price")).sendKeys("2510.00");
      driver.findElement(By.id("ot-place")).click();
      wait.until(d -> ((Number) script(d, "return window.tickloomOrders.rows.size;")).longValue() > before
          && d.findElement(By.id("ot-message")).getText().startsWith("placed SELL 3"));
      String orderId = String.valueOf(script(driver,
          "return Array.from(window.tickloomOrders.rows.values()).find(o => o.side === 'SELL' && o.qty === 3).orderId;"));
      assertEquals("PENDING_NEW", status(driver, orderId));
      String row = driver.findElement(By.cssSelector("#blotter tr[data-order-id='" + orderId + "']")).getText();
      assertTrue(row.contains("0/3") && row.contains("2510.00") && row.contains("DAY"), row);

      // The venue accepts: only the orders channel can tell the page.
      OrderId id = OrderId.parse(orderId);
      orders.reports().accepted(id).toCompletableFuture().get(20, TimeUnit.SECONDS);
      wait.until(d -> "ACCEPTED".equals(status(d, orderId)));

      driver.findElement(By.cssSelector("#blotter tr[data-order-id='" + orderId + "'] button.cancel")).click();
      wait.until(d -> "PENDING_CANCEL".equals(status(d, orderId)));
      orders.reports().cancelled(id).toCompletableFuture().get(20, TimeUnit.SECONDS);
      wait.until(d -> "CANCELLED".equals(status(d, orderId)));
      assertEquals(0, driver.findElements(By.cssSelector("#blotter tr[data-order-id='" + orderId + "'] button.cancel")).size());
      assertEquals("CANCELLED", orders.get(id).toCompletableFuture().get(20, TimeUnit.SECONDS).status().name());
    } finally {
      chromium.close();
    }
  }
}
