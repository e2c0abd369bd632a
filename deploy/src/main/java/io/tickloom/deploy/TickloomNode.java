package io.tickloom.deploy;

import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.oms.OmsConfig;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.feed.BinanceWsFeed;
import io.tickloom.cluster.feed.KafkaFeed;
import io.tickloom.cluster.feed.KafkaOutbound;
import io.tickloom.cluster.feed.KafkaSettings;
import io.tickloom.cluster.feed.KiteWsFeed;
import io.tickloom.cluster.feed.SimulatorFeed;
import io.tickloom.cluster.feed.WebSocketFeed;
import io.tickloom.http.ApiKeys;
import io.tickloom.http.OutboundJson;
import io.tickloom.protocol.format.kite.KiteTick;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.kafka.ProducerSettings;
import io.tickloom.http.HttpContext;
import io.tickloom.http.HttpServer;
import io.tickloom.http.HttpSettings;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.protocol.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Tickloom node: database (embedded or external), actor system joined to its cluster, the market side
 * ({@link MarketNode}), the order management ({@link OrderService}, journal on the same database), the configured
 * feeds, and the HTTP server. Stops in reverse order through Pekko's
 * CoordinatedShutdown.
 */
public final class TickloomNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TickloomNode.class);


  private final Database db;
  private final ActorSystem<Void> system;
  private final MarketNode market;
  private final OrderService orders;
  private final PrometheusMeterRegistry meters;
  private final ServerBinding binding;
  private final List<Pair<UniqueKillSwitch, CompletionStage<Done>>> feeds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicBoolean dbUp = new AtomicBoolean(true);
  private final AtomicBoolean feedFailed = new AtomicBoolean(false);
  private final KafkaSettings kafka;
  private final ApiKeys keys;
  private volatile Producer<String, byte[]> producer;
  private volatile KafkaFeed.Running kafkaIn;

  private TickloomNode(Config config) throws Exception {
    List<FeedSpec> feedSpecs = new ArrayList<>(FeedSpec.parse(config.getString("tickloom.node.feeds")));
    this.kafka = KafkaSettings.fromConfig(config);
    boolean kafkaListed = feedSpecs.removeIf(f -> f.kind().equals("kafka"));
    if (kafkaListed && !kafka.enabled()) throw new IllegalArgumentException("TICKLOOM_FEEDS lists kafka but TICKLOOM_KAFKA_BOOTSTRAP is not set");
    this.keys = ApiKeys.parse(config.getString("tickloom.http.api-keys"));
    Config p = config.getConfig("tickloom.persistence");
    this.db = Database.open(new DatabaseSettings(
        p.hasPath("url") ? p.getString("url") : null, p.getString("user"), p.getString("password"),
        Path.of(p.getString("data-dir")), p.getInt("pool-size")));
    ActorSystem<Void> sys = null;
    try {
      // The OMS journal (Pekko Persistence JDBC) on the node's PostgreSQL, in its own small pool.
      sys = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM_NAME, OmsConfig.withJournal(config, db));
      this.system = sys;
      this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
      this.market = MarketNode.start(system, db, meters);
      // With the venue tickloom.oms.broker names (paper by default) and the read side (order projections) on this database.
      this.orders = OrderService.start(system, market.live(), market.instruments()).startReadSide(db.dataSource());
      if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
        Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      }
      if (kafka.enabled()) {
        producer = ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
            .withBootstrapServers(kafka.bootstrap()).createKafkaProducer();
        market.outbound(new KafkaOutbound(producer, kafka.ticksOutTopic(), kafka.barsOutTopic(), market.instruments(), OutboundJson::tick,
            OutboundJson::bar));
      }
      // Feeds start once this node is an Up member: before that, sharding cannot place the entities.
      List<Pair<String, Source<Tick, ?>>> sources = new ArrayList<>();
      for (FeedSpec feed : feedSpecs) sources.add(Pair.create(feed.name(), feed(feed, config)));
      // Depth (order-book) feeds: the simulator's L2 depth when it runs.
      List<Source<io.tickloom.protocol.book.DepthMessage, ?>> depthSources = new ArrayList<>();
      if (feedSpecs.stream().anyMatch(f -> f.kind().equals("sim"))) {
        SimulatorFeed simDepth = SimulatorFeed.demo(market.settings().simulator());
        if (simDepth.hasDepth()) depthSources.add(simDepth.depthSource());
      }
      org.apache.pekko.cluster.Cluster.get(system.classicSystem()).registerOnMemberUp(() -> {
        for (Pair<String, Source<Tick, ?>> source : sources) startFeed(source.first(), source.second());
        for (Source<io.tickloom.protocol.book.DepthMessage, ?> depth : depthSources) feeds.add(market.ingestDepth(depth));
        if (kafka.enabled()) {
          kafkaIn = new KafkaFeed(system, kafka, market.pipeline(), market.resolver(), market.metrics().source("kafka"), producer).start();
          kafkaIn.completion().whenComplete((d, e) -> {
            if (e != null) {
              feedFailed.set(true);
              log.error("the Kafka ingest stream stopped with a failure; this node reports not ready: {}", e.toString());
            }
          });
        }
      });
      system.scheduler().scheduleWithFixedDelay(Duration.ZERO, Duration.ofSeconds(2), () -> dbUp.set(db.ping()), market.blocking());
      // Client reads on a pool and threads of their own: a flood of them never starves the ingest path's writes.
      javax.sql.DataSource reads = db.readDataSource();
      java.util.concurrent.Executor readThreads = system.dispatchers().lookup(
          org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("tickloom.http.read-dispatcher"));
      HttpContext ctx = new HttpContext(system, market.instruments(), new io.tickloom.persistence.TickStore(reads),
          new io.tickloom.persistence.BarStore(reads), new io.tickloom.persistence.GapStore(reads), new io.tickloom.persistence.IndicatorStore(reads),
          market.live(), readThreads, meters, this::ready, HttpSettings.fromConfig(config), market.gate(), orders, keys);
      ctx = ctx.withBooks(market.books()).withDatabaseHealth(dbUp::get);
      // Replay sessions (issue 7): stored ticks through the entities' kernels in session-owned state; output on /ws replay:<id>.
      io.tickloom.cluster.replay.ReplaySessions replays = new io.tickloom.cluster.replay.ReplaySessions(system, market.ticks(),
          market.instruments(), market.settings(), market.blocking(), io.tickloom.cluster.replay.ReplaySettings.fromConfig(config),
          producer == null ? null : new io.tickloom.cluster.replay.KafkaReplayPublisher(producer,
              config.hasPath("tickloom.kafka.replay-topic") ? config.getString("tickloom.kafka.replay-topic")
                  : io.tickloom.cluster.replay.KafkaReplayPublisher.DEFAULT_TOPIC, market.instruments()));
      replays.withOrderEvents(orders::accountEvents); // "account": the account's order events interleaved (docs/replay.md)
      ctx = ctx.withReplays(replays).withStream(new io.tickloom.http.ReplayStreams(replays, market.instruments()));
      // The orders channel of /ws: each account's journaled order events, live (OrderStreams, docs/oms.md).
      ctx = ctx.withStream(new io.tickloom.http.OrderStreams(orders, market.instruments()));
      this.binding = HttpServer.start(ctx).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      // Nothing half-started stays behind: no actor system, no embedded PostgreSQL.
      if (producer != null) producer.close(Duration.ofSeconds(5));
      if (sys != null) {
        sys.terminate();
        sys.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      db.close();
      throw e;
    }
    // Stop taking ticks and let what is in flight reach the entities and the tick store.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-feeds", () -> {
      feeds.forEach(f -> f.first().shutdown());
      List<CompletableFuture<?>> done = new ArrayList<>();
      feeds.forEach(f -> done.add(f.second().toCompletableFuture().exceptionally(e -> null)));
      // Kafka: in-flight batches finish and commit their offsets.
      if (kafkaIn != null) done.add(kafkaIn.stop().toCompletableFuture().exceptionally(e -> null));
      return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
    });
    // Last bar and gap writes, then the database (an embedded server stops here, not in a JVM hook of its own).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "flush-and-close-database",
        () -> market.flushWriter()
            .exceptionally(e -> {
              log.warn("final bar/gap writes did not complete: {}", e.toString());
              return null;
            })
            .thenApplyAsync(d -> {
              if (producer != null) producer.close(Duration.ofSeconds(5));
              db.close();
              return Done.getInstance();
            }, market.blocking()));
    system.getWhenTerminated().thenRun(db::close);
  }

  private void startFeed(String name, Source<Tick, ?> source) {
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = market.ingest(name, source);
    running.second().whenComplete((done, failure) -> {
      if (failure != null) {
        feedFailed.set(true);
        log.error("a feed stopped with a failure; this node reports not ready: {}", failure.toString());
      }
    });
    feeds.add(running);
  }

  public static TickloomNode start(Config config) throws Exception {
    return new TickloomNode(config);
  }

  /** The source of a configured feed, its instruments registered (blocking: start-up only). */
  private Source<Tick, ?> feed(FeedSpec feed, Config config) {
    Config ws = config.getConfig("tickloom.feeds.websocket");
    WebSocketFeed.Settings wsSettings = new WebSocketFeed.Settings(ws.getDuration("min-backoff"), ws.getDuration("max-backoff"),
        ws.getDouble("random-factor"), ws.getDuration("idle-timeout"));
    switch (feed.kind()) {
      case "sim" -> {
        SimulatorFeed sim = SimulatorFeed.demo(market.settings().simulator());
        market.registerInstruments(sim.instruments());
        log.info("simulated NSE feed: {} instruments, {} ticks/s", sim.instruments().size(), market.settings().simulator().ticksPerSecond());
        return sim.source();
      }
      case "binance-ws" -> {
        log.info("{}: Binance trade stream {} as the {} feed", feed.name(), feed.url(), feed.feed().wire());
        return BinanceWsFeed.source(system, feed.name(), feed.url(), feed.feed(), market.resolver(), market.metrics().source(feed.name()), wsSettings);
      }
      case "kite-ws" -> {
        Config k = config.getConfig("tickloom.feeds.kite");
        long[] tokens = NodeConfig.csv(k.getString("tokens")).stream().mapToLong(t -> {
          try {
            return Long.parseLong(t);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TICKLOOM_KITE_TOKENS: not a token: '" + t + "'");
          }
        }).toArray();
        if (tokens.length == 0) throw new IllegalArgumentException("feed kite-ws needs instrument tokens: set TICKLOOM_KITE_TOKENS (comma list)");
        String url = feed.url();
        if (!k.getString("api-key").isEmpty()) {
          url += (url.contains("?") ? "&" : "?") + "api_key=" + k.getString("api-key") + "&access_token=" + k.getString("access-token");
        }
        KiteTick.Mode mode = KiteTick.Mode.valueOf(k.getString("mode").trim().toUpperCase(java.util.Locale.ROOT));
        log.info("{}: Kite ticker {} as the {} feed, {} tokens in {} mode", feed.name(), feed.url(), feed.feed().wire(), tokens.length, mode);
        return KiteWsFeed.source(system, feed.name(), url, feed.feed(), tokens, mode, market.instruments(), market.metrics().source(feed.name()),
            wsSettings);
      }
      default -> throw new IllegalArgumentException("unknown feed '" + feed.kind() + "'");
    }
  }

  /** Ready: this node is an Up cluster member, the database answered its last ping, and no feed has failed. */
  public boolean ready() {
    return Cluster.get(system).selfMember().status() == MemberStatus.up() && dbUp.get() && !feedFailed.get();
  }

  public ActorSystem<Void> system() { return system; }
  public MarketNode market() { return market; }
  public OrderService orders() { return orders; }
  public Database database() { return db; }
  public int httpPort() { return binding.localAddress().getPort(); }
  public ApiKeys keys() { return keys; }

  @Override
  public void close() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    db.close();
  }
}
