package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a node from outside while an abuse scenario runs: a thread of its own asks {@code GET /health/ready} every
 * {@value #INTERVAL_MILLIS} ms on a connection of its own (each must answer 200 within {@link #READY_WITHIN}), and the
 * Prometheus counter {@value #STORED} (ticks durably stored) is read at the start. {@link #assertHealthy()} stops the
 * thread and asserts that every probe passed and that the counter grew beyond its start value (awaited for at most
 * {@link #INGEST_WITHIN}: a scenario shorter than one store batch still sees the feed's next one).
 */
final class NodeWatch implements AutoCloseable {
  static final Duration READY_WITHIN = Duration.ofSeconds(1);
  static final Duration INGEST_WITHIN = Duration.ofSeconds(15);
  static final String STORED = "tickloom_ingest_stored_total";
  private static final long INTERVAL_MILLIS = 100;

  private final String scenario;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(READY_WITHIN).build();
  private final double storedAtStart;
  private final long startedNanos = System.nanoTime();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicLong slowestMillis = new AtomicLong();
  private final Paced probing;

  private NodeWatch(String scenario, int port) throws Exception {
    this.scenario = scenario;
    this.base = URI.create("http://127.0.0.1:" + port);
    this.storedAtStart = counter(STORED);
    this.probing = Paced.every(Duration.ofMillis(INTERVAL_MILLIS), "node-watch-" + scenario, this::probe);
  }

  /** Starts watching the node listening on {@code port}. */
  static NodeWatch start(String scenario, int port) throws Exception {
    return new NodeWatch(scenario, port);
  }

  private void probe() {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(READY_WITHIN).build(),
          HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      slowestMillis.accumulateAndGet(ms, Math::max);
      if (r.statusCode() != 200) failures.add(at(t0) + "GET /health/ready -> " + r.statusCode() + " " + r.body());
      else if (ms > READY_WITHIN.toMillis()) failures.add(at(t0) + "GET /health/ready took " + ms + " ms");
    } catch (java.net.http.HttpTimeoutException e) {
      failures.add(at(t0) + "GET /health/ready: no answer within " + READY_WITHIN.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      failures.add(at(t0) + "GET /health/ready failed: " + e);
    }
    probes.incrementAndGet();
  }

  private String at(long nanos) {
    return String.format("+%.1fs ", (nanos - startedNanos) / 1e9);
  }

  /** Reads one un-labelled counter or gauge of {@code GET /metrics}. */
  double counter(String name) throws Exception {
    return metric(http, base, name);
  }

  static double metric(HttpClient http, URI base, String name) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("GET /metrics -> " + r.statusCode());
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return 0;
  }

  /**
   * Stops the probes; asserts they all answered 200 within {@link #READY_WITHIN} and that the node stored ticks after
   * the watch began. Returns a one-line summary for the test's output.
   */
  String assertHealthy() throws Exception {
    close();
    try {
      org.awaitility.Awaitility.await().atMost(INGEST_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> counter(STORED) > storedAtStart);
    } catch (org.awaitility.core.ConditionTimeoutException notYet) {
      // asserted below, with the figures
    }
    double stored = counter(STORED);
    String summary = String.format("[%s] %d readiness probes, slowest %d ms, %d failed; %s %.0f -> %.0f", scenario, probes.get(),
        slowestMillis.get(), failures.size(), STORED, storedAtStart, stored);
    System.out.println(summary);
    assertTrue(probes.get() > 0, "[" + scenario + "] no readiness probe ran");
    assertTrue(failures.isEmpty(), "[" + scenario + "] the node was not ready every time: " + failures.subList(0, Math.min(20, failures.size())));
    assertTrue(stored > storedAtStart, "[" + scenario + "] the node stored no tick within " + INGEST_WITHIN.toSeconds()
        + " s of the scenario's start (" + STORED + " stayed " + storedAtStart + ")");
    return summary;
  }

  @Override
  public void close() throws InterruptedException {
    probing.close();
  }
}
