package io.tickloom.deploy;

import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.feed.SimulatorFeed;
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
 * ({@link MarketNode}), the configured feeds, and the HTTP server. Stops in reverse order through Pekko's
 * CoordinatedShutdown.
 */
public final class TickloomNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TickloomNode.class);

  private static final List<String> KNOWN_FEEDS = List.of("sim");

  private final Database db;
  private final ActorSystem<Void> system;
  private final MarketNode market;
  private final PrometheusMeterRegistry meters;
  private final ServerBinding binding;
  private final List<Pair<UniqueKillSwitch, CompletionStage<Done>>> feeds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicBoolean dbUp = new AtomicBoolean(true);
  private final AtomicBoolean feedFailed = new AtomicBoolean(false);

  private TickloomNode(Config config) throws Exception {
    List<String> feedNames = NodeConfig.csv(config.getString("tickloom.node.feeds"));
    for (String f : feedNames) {
      if (!KNOWN_FEEDS.contains(f)) throw new IllegalArgumentException("unknown feed '" + f + "' in TICKLOOM_FEEDS (known: " + KNOWN_FEEDS + ")");
    }
    Config p = config.getConfig("tickloom.persistence");
    this.db = Database.open(new DatabaseSettings(
        p.hasPath("url") ? p.getString("url") : null, p.getString("user"), p.getString("password"),
        Path.of(p.getString("data-dir")), p.getInt("pool-size")));
    ActorSystem<Void> sys = null;
    try {
      sys = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM_NAME, config);
      this.system = sys;
      this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
      this.market = MarketNode.start(system, db, meters);
      if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
        Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      }
      // Feeds start once this node is an Up member: before that, sharding cannot place the entities.
      List<Source<Tick, ?>> sources = new ArrayList<>();
      for (String feed : feedNames) sources.add(feed(feed));
      org.apache.pekko.cluster.Cluster.get(system.classicSystem()).registerOnMemberUp(() -> {
        for (Source<Tick, ?> source : sources) startFeed(source);
      });
      system.scheduler().scheduleWithFixedDelay(Duration.ZERO, Duration.ofSeconds(2), () -> dbUp.set(db.ping()), market.blocking());
      HttpContext ctx = new HttpContext(system, market.instruments(), market.ticks(), market.bars(), market.gaps(), market.live(),
          market.blocking(), meters, this::ready, HttpSettings.fromConfig(config));
      this.binding = HttpServer.start(ctx).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      // Nothing half-started stays behind: no actor system, no embedded PostgreSQL.
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
      CompletableFuture<?>[] done = feeds.stream().map(f -> f.second().toCompletableFuture().exceptionally(e -> null))
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(done).thenApply(v -> Done.getInstance());
    });
    // Last bar and gap writes, then the database (an embedded server stops here, not in a JVM hook of its own).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "flush-and-close-database",
        () -> market.flushWriter()
            .exceptionally(e -> {
              log.warn("final bar/gap writes did not complete: {}", e.toString());
              return null;
            })
            .thenApplyAsync(d -> {
              db.close();
              return Done.getInstance();
            }, market.blocking()));
    system.getWhenTerminated().thenRun(db::close);
  }

  private void startFeed(Source<Tick, ?> source) {
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = market.ingest(source);
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
  private Source<Tick, ?> feed(String feed) {
    switch (feed) {
      case "sim" -> {
        SimulatorFeed sim = SimulatorFeed.demo(market.settings().simulator());
        market.registerInstruments(sim.instruments());
        log.info("simulated NSE feed: {} instruments, {} ticks/s", sim.instruments().size(), market.settings().simulator().ticksPerSecond());
        return sim.source();
      }
      default -> throw new IllegalArgumentException("unknown feed '" + feed + "'");
    }
  }

  /** Ready: this node is an Up cluster member, the database answered its last ping, and no feed has failed. */
  public boolean ready() {
    return Cluster.get(system).selfMember().status() == MemberStatus.up() && dbUp.get() && !feedFailed.get();
  }

  public ActorSystem<Void> system() { return system; }
  public MarketNode market() { return market; }
  public Database database() { return db; }
  public int httpPort() { return binding.localAddress().getPort(); }

  @Override
  public void close() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    db.close();
  }
}
