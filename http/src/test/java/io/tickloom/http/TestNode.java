package io.tickloom.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapQueries;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.persistence.TickStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A node's HTTP side for integration tests: a real ActorSystem, a fresh embedded PostgreSQL database with the real
 * stores, the real instrument registry, a Topic-backed live market, and the real server bound on a free port.
 */
final class TestNode implements AutoCloseable {
  static final Config CONFIG = ConfigFactory.parseString("""
      pekko.actor.provider = local
      pekko.loglevel = WARNING
      pekko.coordinated-shutdown.exit-jvm = off
      tickloom.http.interface = "127.0.0.1"
      tickloom.http.port = 0
      """).withFallback(ConfigFactory.load());

  /** Token whose gap query fails, to check the 500 answer. */
  static final long FAILING_TOKEN = Fixtures.TCS.token();

  final ActorTestKit kit;
  final Database db;
  final TickStore ticks;
  final BarStore bars;
  final GapStore gaps;
  final IndicatorStore indicators;
  final InstrumentRegistry instruments;
  final TopicLiveMarket live;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final ExecutorService blocking = Executors.newFixedThreadPool(4);
  final AtomicBoolean ready = new AtomicBoolean(true);
  final HttpContext ctx;
  final ServerBinding binding;
  final URI base;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestNode(UnaryOperator<HttpSettings> tweak) throws Exception {
    this(tweak, ApiKeys.none(), UnaryOperator.identity());
  }

  /** With API keys and {@code extend} applied to the context before the server starts (stream channels, books...). */
  TestNode(UnaryOperator<HttpSettings> tweak, ApiKeys keys, UnaryOperator<HttpContext> extend) throws Exception {
    kit = ActorTestKit.create("http-test", CONFIG);
    db = TestDatabase.fresh();
    ticks = new TickStore(db);
    bars = new BarStore(db);
    gaps = new GapStore(db);
    indicators = new IndicatorStore(db);
    instruments = new InstrumentRegistry(Fixtures.ALL);
    live = new TopicLiveMarket(kit.system());
    GapQueries failingGaps = (token, from, to, limit) -> {
      if (token == FAILING_TOKEN) throw new IllegalStateException("secret-internal-detail: connection refused");
      return gaps.gaps(token, from, to, limit);
    };
    HttpSettings settings = tweak.apply(HttpSettings.fromConfig(kit.system().settings().config()));
    ctx = extend.apply(new HttpContext(kit.system(), instruments, ticks, bars, failingGaps, indicators, live, blocking, registry, ready::get,
        settings, null, keys));
    binding = HttpServer.start(ctx).toCompletableFuture().get(20, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET} with an API key. */
  HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).header("X-API-Key", key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws");
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    kit.shutdownTestKit();
    blocking.shutdownNow();
    db.close();
  }
}
