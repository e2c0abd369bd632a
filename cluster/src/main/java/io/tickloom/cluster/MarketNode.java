package io.tickloom.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.tickloom.cluster.book.BookMetrics;
import io.tickloom.cluster.book.BookService;
import io.tickloom.cluster.book.ShardedBookService;
import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.BookStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.InstrumentStore;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import scala.concurrent.ExecutionContextExecutor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The market-data side of one node: the stores, the instrument directory, the node's {@link StoreWriter},
 * the sharded {@link InstrumentEntity} registration and the ingest pipeline. Built once per ActorSystem.
 */
public final class MarketNode {
  private final ActorSystem<?> system;
  private final ClusterSettings settings;
  private final ExecutionContextExecutor blocking;
  private final TickStore ticks;
  private final BarStore bars;
  private final GapStore gaps;
  private final IndicatorStore indicators;
  private final BookStore bookLog;
  private final BookService books;
  private final InstrumentStore instrumentStore;
  private final InstrumentRegistry instruments;
  private final ActorRef<StoreWriter.Command> writer;
  private final MarketTopics topics;
  private final ShardedLiveMarket live;
  private final IngestMetrics metrics;
  private final IngestPipeline pipeline;
  private final InstrumentResolver resolver;
  private volatile MarketOutbound outbound = MarketOutbound.NONE;
  /** Tells every node that instruments were registered (they re-read the instrument master). */
  private final ActorRef<org.apache.pekko.actor.typed.pubsub.Topic.Command<String>> instrumentNews;

  private MarketNode(ActorSystem<?> system, Database db, MeterRegistry meters, boolean storeTicks) {
    this.system = system;
    this.settings = ClusterSettings.fromConfig(system.settings().config());
    this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("tickloom.cluster.blocking-dispatcher"));
    this.ticks = new TickStore(db);
    this.bars = new BarStore(db);
    this.gaps = new GapStore(db);
    this.indicators = new IndicatorStore(db);
    this.instrumentStore = new InstrumentStore(db);
    this.instruments = new InstrumentRegistry(instrumentStore.all());
    this.metrics = new IngestMetrics(meters);
    this.bookLog = new BookStore(db);
    this.writer = system.systemActorOf(StoreWriter.create(bars, gaps, indicators, bookLog, blocking, () -> outbound), "store-writer",
        Props.empty());
    this.topics = new MarketTopics(system);
    this.live = new ShardedLiveMarket(system, topics, settings.askTimeout(), ticks, blocking, settings.hub());
    InstrumentEntity.init(system, new InstrumentEntity.Deps(instruments, instrumentStore, blocking, settings, writer, topics, metrics,
        indicators, bars, ticks, new BookMetrics(meters)));
    // Instruments registered by other nodes (feeds that create them, imports) reach this node's directory at once (a
    // broadcast when any node registers some) and at the latest within this period.
    system.scheduler().scheduleWithFixedDelay(settings.instrumentRefresh(), settings.instrumentRefresh(),
        () -> instruments.addAll(instrumentStore.all()), blocking);
    this.instrumentNews = system.systemActorOf(org.apache.pekko.actor.typed.pubsub.Topic.create(String.class, "tickloom-instruments"),
        "instruments-topic", Props.empty());
    system.systemActorOf(org.apache.pekko.actor.typed.javadsl.Behaviors.<String>setup(ctx -> {
      instrumentNews.tell(org.apache.pekko.actor.typed.pubsub.Topic.subscribe(ctx.getSelf()));
      return org.apache.pekko.actor.typed.javadsl.Behaviors.receiveMessage(m -> {
        java.util.concurrent.CompletableFuture.runAsync(() -> instruments.addAll(instrumentStore.all()), blocking)
            .exceptionally(e -> null);
        return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
      });
    }), "instruments-refresh", Props.empty());
    Duration retention = settings.books().retention();
    if (settings.books().storeEvents() && !retention.isZero()) {
      // Book-log retention (every node runs it; a delete another node already did deletes nothing).
      system.scheduler().scheduleWithFixedDelay(Duration.ofMinutes(1), Duration.ofHours(1), () -> {
        try {
          long deleted = bookLog.prune(System.currentTimeMillis() * 1_000_000L - retention.toNanos());
          if (deleted > 0) system.log().info("book log: {} entries older than {} pruned", deleted, retention);
        } catch (RuntimeException e) {
          system.log().warn("book log retention failed (retried in an hour): {}", e.toString());
        }
      }, blocking);
    }
    this.pipeline = new IngestPipeline(system, instruments, settings, storeTicks ? ticks : null, blocking, metrics, () -> outbound);
    this.resolver = new InstrumentResolver(instruments, instrumentStore, blocking, this::instrumentsChanged);
    this.books = new ShardedBookService(system, bookLog, blocking, settings.askTimeout(), pipeline);
  }

  /** Starts the market side on {@code system}; loads the instrument master (blocking: call at start-up only). */
  public static MarketNode start(ActorSystem<?> system, Database db, MeterRegistry meters) {
    return new MarketNode(system, db, meters, true);
  }

  /** As {@link #start} but ticks are not stored (benchmarks of the in-memory pipeline). */
  public static MarketNode startWithoutTickStorage(ActorSystem<?> system, Database db, MeterRegistry meters) {
    return new MarketNode(system, db, meters, false);
  }

  /** Stores and registers instruments (blocking: start-up and feed set-up only). */
  public void registerInstruments(Collection<Instrument> list) {
    instrumentStore.upsert(list);
    instruments.addAll(list);
    instrumentsChanged();
  }

  /** Every node re-reads the instrument master now. */
  private void instrumentsChanged() {
    instrumentNews.tell(org.apache.pekko.actor.typed.pubsub.Topic.publish("changed"));
  }

  /** Runs a feed through the ingest pipeline. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> ingest(Source<Tick, ?> feed) {
    return pipeline.run(feed);
  }

  /** Runs a named feed through the ingest pipeline, counting its ticks under its name. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> ingest(String sourceName, Source<Tick, ?> feed) {
    return pipeline.run(metrics.source(sourceName), feed);
  }

  /** Runs a named depth feed (order-book messages) through the ingest pipeline's depth path. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> ingestDepth(Source<io.tickloom.protocol.book.DepthMessage, ?> feed) {
    return pipeline.runDepth(feed);
  }

  /** The node's order books: live from the entities, past ones from the book log (for the HTTP layer). */
  public BookService books() { return books; }
  public BookStore bookLog() { return bookLog; }

  /** Sets where stored ticks and final bars go next (the Kafka outbound topics); {@link MarketOutbound#NONE} by default. */
  public void outbound(MarketOutbound o) {
    this.outbound = o == null ? MarketOutbound.NONE : o;
  }

  public IngestPipeline pipeline() { return pipeline; }

  private IngestGate gate;

  /** The bounded door for request/response feeds (created on first use; see {@code tickloom.cluster.ingest.gate-*}). */
  public synchronized IngestGate gate() {
    if (gate == null) {
      var c = system.settings().config().getConfig("tickloom.cluster.ingest");
      gate = new IngestGate(system, pipeline, resolver, metrics.source("http"), c.getInt("gate-capacity"), c.getInt("gate-parallelism"),
          this::registerInstruments);
    }
    return gate;
  }
  public InstrumentResolver resolver() { return resolver; }
  public InstrumentStore instrumentStore() { return instrumentStore; }

  /** Completes once every final bar and gap handed to this node's writer so far is stored. */
  public CompletionStage<StoreWriter.Done> flushWriter() {
    return Futures.plain(AskPattern.ask(writer, StoreWriter.Flush::new, settings.writerFlushTimeout(), system.scheduler()));
  }

  public ClusterSettings settings() { return settings; }
  /** The dispatcher for blocking JDBC work ({@code tickloom.cluster.blocking-dispatcher}). */
  public ExecutionContextExecutor blocking() { return blocking; }
  public TickStore ticks() { return ticks; }
  public BarStore bars() { return bars; }
  public GapStore gaps() { return gaps; }
  public IndicatorStore indicators() { return indicators; }
  public InstrumentRegistry instruments() { return instruments; }
  public ShardedLiveMarket live() { return live; }
  public IngestMetrics metrics() { return metrics; }
}
