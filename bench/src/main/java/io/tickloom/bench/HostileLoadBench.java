package io.tickloom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.tickloom.deploy.NodeConfig;
import io.tickloom.deploy.TickloomNode;
import io.tickloom.protocol.Timestamps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A well-behaved client's service with and without a hostile one (issue 14), on one node (embedded PostgreSQL, the
 * simulated feed at {@code ticks}/s, the default limits):
 * <ul>
 *   <li>the <b>well-behaved client</b> (its own API key) reads {@code GET /api/v1/candles} at a fixed 20 requests/s,
 *       each timed from its scheduled start (no coordinated omission), and holds a WebSocket subscribed to the ticks of
 *       every instrument, timing each tick from the node's receive stamp to its arrival (same clock);</li>
 *   <li>the <b>hostile client</b> (no key, so limited by its address): a subscription storm (one connection subscribing
 *       and unsubscribing every instrument's ticks and 1m bars in a tight loop), a request flood ({@code flooders} threads
 *       sending {@code GET /api/v1/instruments} back to back), and 500 idle WebSocket connections (attempted: the
 *       per-client connection limit refuses most of them).</li>
 * </ul>
 * Each phase lasts {@code seconds}: a warm-up (not reported), quiet, hostile, quiet again. Prints the well-behaved client's REST and tick
 * percentiles per phase, the ingest rate (stored ticks per second) per phase, and the ratios hostile / quiet.
 *
 * <p>Usage: {@code java -cp ... io.tickloom.bench.HostileLoadBench [seconds=30] [ticks=1000] [flooders=4]}.
 */
public final class HostileLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD = "good-client";

  record Phase(String name, Histogram rest, Histogram ticks, double ingestPerSecond, long restErrors, String hostile) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int tickRate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int flooders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path dir = Files.createTempDirectory("tickloom-hostile-bench");
    TickloomNode node = TickloomNode.start(NodeConfig.load(ConfigFactory.parseString(String.join("\n",
        "tickloom.persistence.data-dir = \"" + dir.resolve("data") + "\"",
        "tickloom.http.port = 0",
        "tickloom.http.interface = \"127.0.0.1\"",
        "tickloom.http.api-keys = \"" + GOOD + ":GOOD:trader\"",
        "tickloom.node.feeds = sim",
        "tickloom.cluster.around-the-clock = on",
        "tickloom.cluster.simulator.ticks-per-second = " + tickRate,
        "pekko.loglevel = WARNING",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI base = URI.create("http://127.0.0.1:" + node.httpPort());
    try {
      awaitReady(http, base);
      List<Long> tokens = new ArrayList<>();
      for (JsonNode i : JSON.readTree(get(http, base, "/api/v1/instruments?limit=1000", GOOD).body()).get("items")) tokens.add(i.get("token").asLong());
      long candleToken = tokens.get(0);
      System.out.printf("HostileLoadBench: %d cores, %d instruments, feed %d ticks/s, %d s per phase, %d flooders%n",
          Runtime.getRuntime().availableProcessors(), tokens.size(), tickRate, seconds, flooders);

      Recorder tickLatency = new Recorder(3);
      WebSocket watcher = watch(http, base, tokens, tickLatency);
      Thread.sleep(5_000); // the subscription's backfill and the JIT settle before the first phase: not a synchronisation
      phase("warm-up (not reported)", seconds, http, base, candleToken, tickLatency, node, null); // the JIT compiles the read path
      List<Phase> phases = new ArrayList<>();
      phases.add(phase("quiet", seconds, http, base, candleToken, tickLatency, node, null));
      phases.add(phase("hostile", seconds, http, base, candleToken, tickLatency, node, () -> hostile(http, base, tokens, flooders)));
      phases.add(phase("quiet again", seconds, http, base, candleToken, tickLatency, node, null));
      watcher.sendClose(WebSocket.NORMAL_CLOSURE, "done");

      System.out.println();
      System.out.println("| phase | REST p50 | REST p99 | REST max | tick p50 | tick p99 | tick p99.9 | tick max | ingest ticks/s | hostile |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      for (Phase p : phases) {
        System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %,.0f | %s |%n", p.name(), ms(p.rest(), 50),
            ms(p.rest(), 99), p.rest().getMaxValue() / 1e3, ms(p.ticks(), 50), ms(p.ticks(), 99), ms(p.ticks(), 99.9), p.ticks().getMaxValue() / 1e3,
            p.ingestPerSecond(), p.hostile() == null ? "" : p.hostile());
      }
      Phase quiet = phases.get(0);
      Phase hostile = phases.get(1);
      System.out.printf("%nhostile / quiet: REST p99 %.2fx, tick p99 %.2fx, ingest %.2fx (targets: p99 within 2x, ingest within 10%%)%n",
          ms(hostile.rest(), 99) / ms(quiet.rest(), 99), ms(hostile.ticks(), 99) / ms(quiet.ticks(), 99),
          hostile.ingestPerSecond() / quiet.ingestPerSecond());
    } finally {
      node.close();
    }
  }

  static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e3;
  }

  /** One phase: the well-behaved client's REST reads at 20/s and its ticks, with {@code hostile} running meanwhile if given. */
  static Phase phase(String name, int seconds, HttpClient http, URI base, long token, Recorder ticks, TickloomNode node,
      java.util.function.Supplier<Hostile> hostile) throws Exception {
    Hostile h = hostile == null ? null : hostile.get();
    double stored0 = node.market().metrics().storedCount();
    ticks.reset();
    Histogram rest = new Histogram(3);
    AtomicLong errors = new AtomicLong();
    long interval = 50_000_000L; // 20 requests/s
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (long scheduled = start; scheduled < end; scheduled += interval) {
      LockSupport.parkNanos(scheduled - System.nanoTime());
      long s = scheduled;
      pending.add(CompletableFuture.runAsync(() -> {
        try {
          HttpResponse<String> r = get(http, base, "/api/v1/candles?token=" + token + "&tf=1m&limit=100", GOOD);
          if (r.statusCode() != 200) errors.incrementAndGet();
        } catch (Exception e) {
          errors.incrementAndGet();
        }
        synchronized (rest) {
          rest.recordValue(Math.max(1, (System.nanoTime() - s) / 1_000));
        }
      }, pool));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    pool.shutdown();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double ingest = (node.market().metrics().storedCount() - stored0) / elapsed;
    Histogram t = ticks.getIntervalHistogram();
    String summary = h == null ? null : h.stop();
    System.out.printf("%s: REST %d requests (%d errors), %d ticks received%s%n", name, rest.getTotalCount(), errors.get(), t.getTotalCount(),
        summary == null ? "" : "; hostile: " + summary);
    return new Phase(name, rest, t, ingest, errors.get(), summary);
  }

  /** The hostile client's load, running until {@link #stop}. */
  static final class Hostile {
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final AtomicLong stormMessages = new AtomicLong();
    final AtomicLong stormRefused = new AtomicLong();
    final AtomicLong stormConnections = new AtomicLong();
    final AtomicLong stormFailures = new AtomicLong();
    final AtomicLong floodRequests = new AtomicLong();
    final AtomicLong flood429 = new AtomicLong();
    final AtomicLong idleOpen = new AtomicLong();
    final AtomicLong idleRefused = new AtomicLong();
    final List<WebSocket> idle = new ArrayList<>();

    String stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) t.join(10_000);
      for (WebSocket w : idle) w.abort();
      return String.format("storm %,d messages over %d connections (%,d rate_limited frames, %,d refused connects or closes), "
              + "flood %,d requests (%,d x 429), idle connections %d open / %d refused", stormMessages.get(), stormConnections.get(),
          stormRefused.get(), stormFailures.get(), floodRequests.get(), flood429.get(), idleOpen.get(), idleRefused.get());
    }
  }

  static Hostile hostile(HttpClient http, URI base, List<Long> tokens, int flooders) {
    Hostile h = new Hostile();
    URI ws = URI.create("ws://" + base.getAuthority() + "/ws");
    // the storm: one connection at a time, opened again at once whenever the node closes it (the idle connections below
    // take every other connection the per-client limit leaves; a refused reconnect is tried again)
    String list = tokens.toString();
    Thread storm = new Thread(() -> {
      WebSocket s = null;
      while (h.running.get()) {
        try {
          if (s == null || s.isOutputClosed() || s.isInputClosed()) {
            s = http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                if (data.toString().contains("rate_limited")) h.stormRefused.incrementAndGet();
                webSocket.request(1);
                return null;
              }
            }).get(10, TimeUnit.SECONDS);
            h.stormConnections.incrementAndGet();
          }
          s.sendText("{\"action\":\"subscribe\",\"channels\":[\"ticks\",\"bars:1m\"],\"tokens\":" + list + "}", true).get(10, TimeUnit.SECONDS);
          s.sendText("{\"action\":\"unsubscribe\",\"channels\":[\"ticks\",\"bars:1m\"],\"tokens\":" + list + "}", true).get(10, TimeUnit.SECONDS);
          h.stormMessages.addAndGet(2);
        } catch (Exception e) {
          h.stormFailures.incrementAndGet(); // refused reconnect, or closed while sending
          if (s != null) s.abort();
          s = null;
        }
      }
      if (s != null) s.abort();
    }, "storm");
    h.threads.add(storm);
    storm.start();
    // 500 idle connections, no key: the per-client limit lets a few in
    for (int i = 0; i < 500; i++) {
      try {
        h.idle.add(http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {}).get(5, TimeUnit.SECONDS));
        h.idleOpen.incrementAndGet();
      } catch (Exception refused) {
        h.idleRefused.incrementAndGet();
      }
    }
    for (int i = 0; i < flooders; i++) {
      Thread flood = new Thread(() -> {
        while (h.running.get()) {
          try {
            HttpResponse<String> r = get(http, base, "/api/v1/instruments?limit=100", null);
            h.floodRequests.incrementAndGet();
            if (r.statusCode() == 429) h.flood429.incrementAndGet();
          } catch (Exception e) {
            h.floodRequests.incrementAndGet();
          }
        }
      }, "flood-" + i);
      h.threads.add(flood);
    }
    h.threads.stream().filter(t -> t != storm).forEach(Thread::start);
    return h;
  }

  /** A WebSocket with the good key subscribed to every instrument's ticks, recording receive-to-arrival latencies. */
  static WebSocket watch(HttpClient http, URI base, List<Long> tokens, Recorder latency) throws Exception {
    URI ws = URI.create("ws://" + base.getAuthority() + "/ws?key=" + GOOD);
    StringBuilder partial = new StringBuilder();
    WebSocket s = http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.currentTimeMillis() * 1_000_000L; // the node stamps receiveTs from the same wall clock, in ms
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          if (text.startsWith("{\"type\":\"tick\"")) {
            try {
              JsonNode n = JSON.readTree(text);
              long received = Timestamps.parseQuery(n.get("receiveTs").asText());
              latency.recordValue(Math.max(1, (now - received) / 1_000));
            } catch (Exception ignored) {
              // not a tick after all
            }
          }
        }
        webSocket.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
    s.sendText("{\"action\":\"subscribe\",\"channels\":[\"ticks\"],\"tokens\":" + tokens + "}", true).get(10, TimeUnit.SECONDS);
    return s;
  }

  static HttpResponse<String> get(HttpClient http, URI base, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("X-API-Key", key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void awaitReady(HttpClient http, URI base) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (get(http, base, "/health/ready", null).statusCode() == 200) return;
      LockSupport.parkNanos(100_000_000L);
    }
    throw new IllegalStateException("the node did not become ready");
  }
}
