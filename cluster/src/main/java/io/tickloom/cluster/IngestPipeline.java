package io.tickloom.cluster;

import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.book.DepthMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest graph, one per feed source, backpressured end to end:
 * <pre>
 *   source ─▶ groupedWithin(max-batch, max-batch-delay) ─▶ validate + split per instrument (≤ max-instrument-batch)
 *          ─▶ mapAsyncUnordered(parallelism: ask InstrumentEntity ⟨Ingest⟩) ─▶ accepted ticks with status
 *          ─▶ groupedWeightedWithin(store-batch) ─▶ mapAsync(store-parallelism: COPY into ticks)
 * </pre>
 * A slow database slows the entity asks, which slows the source: no unbounded queue anywhere. One ask per
 * instrument per batch, not per tick. Ticks for unknown instruments or with impossible fields are counted and
 * logged (rate-limited), never passed on. Storage writes are retried with backoff; the store absorbs a
 * redelivered tick, so a retry never duplicates.
 *
 * <p>Depth (order-book) messages take a parallel, simpler path ({@link #runDepth}, {@link #processDepth}): batched
 * the same way, split per instrument, one {@link InstrumentEntity.IngestDepth} ask per instrument per batch, sent in
 * stream order (an L2 book's update ids must arrive in order); the entity applies them to its book and hands them to
 * the node's writer for the book log, so there is no storage stage here.
 */
public final class IngestPipeline {
  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final InstrumentRegistry instruments;
  private final ClusterSettings.Ingest settings;
  private final Duration askTimeout;
  private final TickStore store;
  private final Executor blocking;
  private final IngestMetrics metrics;
  private long lastRejectLog;
  private final java.util.function.Supplier<MarketOutbound> outbound;
  /** Batch ids unique per pipeline and process: random high bits, a counter below. */
  private final java.util.concurrent.atomic.AtomicLong batchIds =
      new java.util.concurrent.atomic.AtomicLong(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L);

  /** @param store null to run without storage (benchmarks of the in-memory pipeline) */
  public IngestPipeline(ActorSystem<?> system, InstrumentRegistry instruments, ClusterSettings settings, TickStore store,
      Executor blocking, IngestMetrics metrics) {
    this(system, instruments, settings, store, blocking, metrics, () -> MarketOutbound.NONE);
  }

  /** @param outbound asked after every successful tick write for where the stored ticks go next */
  public IngestPipeline(ActorSystem<?> system, InstrumentRegistry instruments, ClusterSettings settings, TickStore store,
      Executor blocking, IngestMetrics metrics, java.util.function.Supplier<MarketOutbound> outbound) {
    this.outbound = outbound;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.instruments = instruments;
    this.settings = settings.ingest();
    this.askTimeout = settings.askTimeout();
    this.store = store;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  /** Runs {@code source} through the pipeline until it completes or the kill switch is pulled. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> run(Source<Tick, ?> source) {
    return run(null, source);
  }

  /** As {@link #run(Source)}, counting the source's ticks in its {@code tickloom_ingest_source_ticks_total}. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> run(IngestMetrics.Source sourceMetrics, Source<Tick, ?> source) {
    return source.viaMat(KillSwitches.single(), Keep.right()).via(flow(sourceMetrics)).toMat(Sink.ignore(), Keep.both()).run(system);
  }

  /** Raw ticks in; per storage write, the number of ticks stored (or accepted, with storage off) out. */
  public Flow<Tick, Integer, NotUsed> flow() {
    return flow(null);
  }

  private Flow<Tick, Integer, NotUsed> flow(IngestMetrics.Source sourceMetrics) {
    Flow<Tick, List<Tick>, NotUsed> toEntities = Flow.<Tick>create()
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .mapConcat(batch -> {
          if (sourceMetrics != null) sourceMetrics.onTicks(batch.size());
          return validateAndSplit(batch);
        })
        .mapAsyncUnordered(settings.parallelism(), this::askEntity);
    if (store == null) {
      return toEntities.map(List::size);
    }
    return toEntities
        .filter(accepted -> !accepted.isEmpty())
        .groupedWeightedWithin(settings.storeBatch(), accepted -> (long) accepted.size(), settings.storeBatchDelay())
        .mapAsync(settings.storeParallelism(), this::storeAll);
  }

  /** Runs a depth {@code source} (see the class doc) until it completes or the kill switch is pulled. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> runDepth(Source<DepthMessage, ?> source) {
    return source.viaMat(KillSwitches.single(), Keep.right())
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .mapConcat(this::splitDepth)
        .mapAsync(settings.parallelism(), this::askDepth)
        .toMat(Sink.ignore(), Keep.both())
        .run(system);
  }

  /** Totals of {@link #processDepth}: messages applied by their entities, of unknown instruments, undelivered, integrity events. */
  public record DepthResult(int applied, int unknownInstrument, int undelivered, int integrityEvents) {}

  /** One batch of depth messages through the entities (in parallel per instrument, in order within one). */
  public CompletionStage<DepthResult> processDepth(List<DepthMessage> batch) {
    int known = 0;
    List<CompletableFuture<InstrumentEntity.DepthAck>> asks = new ArrayList<>();
    for (List<DepthMessage> part : splitDepth(batch)) {
      known += part.size();
      asks.add(askDepth(part).toCompletableFuture());
    }
    int unknown = batch.size() - known;
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
      int applied = 0;
      int undelivered = 0;
      int events = 0;
      for (CompletableFuture<InstrumentEntity.DepthAck> f : asks) {
        InstrumentEntity.DepthAck ack = f.join();
        if (ack.batchId() < 0) {
          undelivered += ack.rejected();
        } else {
          applied += ack.applied();
          events += ack.integrityEvents();
        }
      }
      return new DepthResult(applied, unknown, undelivered, events);
    });
  }

  /** Splits per instrument (arrival order kept within each, at most max-instrument-batch each); drops unknown tokens. */
  private List<List<DepthMessage>> splitDepth(List<DepthMessage> batch) {
    LinkedHashMap<Long, List<DepthMessage>> byToken = new LinkedHashMap<>();
    List<List<DepthMessage>> split = new ArrayList<>();
    for (DepthMessage m : batch) {
      List<DepthMessage> list = byToken.get(m.token());
      if (list == null) {
        if (instruments.get(m.token()) == null) {
          logReject("depth message of unknown instrument token {}", m.token());
          continue;
        }
        list = new ArrayList<>();
        byToken.put(m.token(), list);
      }
      if (list.size() == settings.maxInstrumentBatch()) {
        split.add(list);
        list = new ArrayList<>();
        byToken.put(m.token(), list);
      }
      list.add(m);
    }
    split.addAll(byToken.values());
    return split;
  }

  /** The entity's answer to one instrument's depth batch; one with batch id -1 and {@code rejected} = all when unreachable. */
  private CompletionStage<InstrumentEntity.DepthAck> askDepth(List<DepthMessage> messages) {
    List<DepthMessage> batch = List.copyOf(messages);
    long token = batch.get(0).token();
    long batchId = batchIds.incrementAndGet();
    return Futures.plain(Patterns.retry(() -> sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
                .<InstrumentEntity.DepthAck>ask(replyTo -> new InstrumentEntity.IngestDepth(batchId, batch, replyTo), askTimeout),
            settings.askAttempts(), Duration.ofMillis(100), Duration.ofSeconds(2), 0.2, system.classicSystem().scheduler(),
            system.executionContext()))
        .exceptionally(e -> {
          log.error("{} depth messages of instrument {} could not be delivered to its entity after {} attempts: {}", batch.size(), token,
              settings.askAttempts(), e.toString());
          return new InstrumentEntity.DepthAck(token, -1, 0, batch.size(), 0);
        });
  }

  private void logReject(String format, Object arg) {
    long now = System.nanoTime();
    if (now - lastRejectLog > 1_000_000_000L) {
      lastRejectLog = now;
      log.warn("rejected: " + format + " (further rejects this second are only counted)", arg);
    }
  }

  /**
   * One pass over a batch: drops (and counts) ticks of unknown instruments or with impossible fields, and
   * splits the rest per instrument, keeping arrival order within each. The instrument directory is consulted
   * once per instrument per batch, and the counters once per batch.
   */
  List<List<Tick>> validateAndSplit(List<Tick> batch) {
    LinkedHashMap<Long, List<Tick>> byToken = new LinkedHashMap<>();
    List<List<Tick>> split = new ArrayList<>();
    int unknown = 0;
    int invalid = 0;
    for (int i = 0, n = batch.size(); i < n; i++) {
      Tick t = batch.get(i);
      if (!valid(t)) {
        invalid++;
        logReject("invalid tick {}", t);
        continue;
      }
      List<Tick> list = byToken.get(t.token());
      if (list == null) {
        if (instruments.get(t.token()) == null) {
          unknown++;
          logReject("unknown instrument token {}", t.token());
          continue;
        }
        list = new ArrayList<>();
        byToken.put(t.token(), list);
      }
      if (list.size() == settings.maxInstrumentBatch()) {
        // A full batch for this instrument goes as it is; a new one starts (bounds the message size).
        split.add(list);
        list = new ArrayList<>();
        byToken.put(t.token(), list);
      }
      list.add(t);
    }
    metrics.onReceived(batch.size());
    if (unknown > 0) metrics.onUnknown(unknown);
    if (invalid > 0) metrics.onInvalid(invalid);
    split.addAll(byToken.values());
    return split;
  }

  /** Fields no instrument can have; the parsers at the edges refuse these earlier, with reasons. */
  static boolean valid(Tick t) {
    return t.price() > 0 && t.qty() >= 0 && t.exchangeTs() > 0
        && (t.tradeId() >= 0 || t.tradeId() == Tick.NO_TRADE_ID)
        && (t.seq() >= 0 || t.seq() == Tick.NO_SEQ && t.hasTradeId());
  }

  /**
   * Sends one instrument's batch to its entity and answers the accepted ticks with their status. Retried while
   * the entity is being placed or moved (rebalance, node loss); a resend carries the same batch id, so an entity
   * that processed the batch but whose answer was lost answers again instead of processing it twice. A batch
   * that still fails is counted and logged and the stream goes on.
   */
  private CompletionStage<List<Tick>> askEntity(List<Tick> ticks) {
    List<Tick> batch = List.copyOf(ticks);
    return askAck(batch).thenApply(ack -> ack == null ? List.<Tick>of() : ack.accepted(batch));
  }

  /** The entity's answer to {@code batch} (one instrument's ticks), or null when it could not be reached. */
  private CompletionStage<InstrumentEntity.IngestAck> askAck(List<Tick> batch) {
    long token = batch.get(0).token();
    long batchId = batchIds.incrementAndGet();
    return Futures.plain(Patterns.retry(() -> sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
                .<InstrumentEntity.IngestAck>ask(replyTo -> new InstrumentEntity.Ingest(batchId, batch, replyTo), askTimeout),
            settings.askAttempts(), Duration.ofMillis(100), Duration.ofSeconds(2), 0.2, system.classicSystem().scheduler(),
            system.executionContext()))
        .exceptionally(e -> {
          metrics.onUndelivered(batch.size());
          log.error("{} ticks of instrument {} could not be delivered to its entity after {} attempts: {}", batch.size(), token,
              settings.askAttempts(), e.toString());
          return null;
        });
  }

  /**
   * What {@link #process} made of a batch: per tick (by position) one of the {@code OUTCOME_*} codes, and how many
   * of the accepted ticks were new to the store (a re-import after a restart is accepted by fresh entities but
   * absorbed by the store).
   */
  public record BatchResult(byte[] outcomes, int stored) {
    public static final byte OUTCOME_LIVE = InstrumentEntity.IngestAck.LIVE;
    public static final byte OUTCOME_STALE = InstrumentEntity.IngestAck.STALE;
    /** A duplicate (or a tick of a trade id too old for the dedupe window): dropped. */
    public static final byte OUTCOME_DUPLICATE = InstrumentEntity.IngestAck.DROPPED;
    public static final byte OUTCOME_UNKNOWN_INSTRUMENT = 3;
    public static final byte OUTCOME_INVALID = 4;
    /** The instrument's entity could not be reached: not processed, not stored (retry the batch). */
    public static final byte OUTCOME_UNDELIVERED = 5;

    public int count(byte outcome) {
      int n = 0;
      for (byte o : outcomes) if (o == outcome) n++;
      return n;
    }

    public int accepted() {
      return count(OUTCOME_LIVE) + count(OUTCOME_STALE);
    }
  }

  /**
   * One batch through the whole path, answered once its accepted ticks are durably stored: validate, split per
   * instrument, ask each entity (in parallel), then one storage write (retried until it succeeds). For sources
   * that must know when their input is safe: Kafka commits offsets after it, the ingest endpoint answers after it.
   * Callers bound how many batches they have in flight (Kafka: one per partition; HTTP: a bounded queue).
   */
  public CompletionStage<BatchResult> process(List<Tick> batch) {
    int n = batch.size();
    byte[] outcomes = new byte[n];
    LinkedHashMap<Long, List<Integer>> byToken = new LinkedHashMap<>();
    int unknown = 0;
    int invalid = 0;
    for (int i = 0; i < n; i++) {
      Tick t = batch.get(i);
      if (!valid(t)) {
        outcomes[i] = BatchResult.OUTCOME_INVALID;
        invalid++;
      } else if (instruments.get(t.token()) == null) {
        outcomes[i] = BatchResult.OUTCOME_UNKNOWN_INSTRUMENT;
        unknown++;
      } else {
        byToken.computeIfAbsent(t.token(), k -> new ArrayList<>()).add(i);
      }
    }
    metrics.onReceived(n);
    if (unknown > 0) metrics.onUnknown(unknown);
    if (invalid > 0) metrics.onInvalid(invalid);
    List<CompletableFuture<Void>> asks = new ArrayList<>();
    for (List<Integer> positions : byToken.values()) {
      for (int from = 0; from < positions.size(); from += settings.maxInstrumentBatch()) {
        List<Integer> chunk = positions.subList(from, Math.min(positions.size(), from + settings.maxInstrumentBatch()));
        List<Tick> ticks = new ArrayList<>(chunk.size());
        for (int p : chunk) ticks.add(batch.get(p));
        asks.add(askAck(List.copyOf(ticks)).thenAccept(ack -> {
          synchronized (outcomes) {
            for (int k = 0; k < chunk.size(); k++) {
              outcomes[chunk.get(k)] = ack == null ? BatchResult.OUTCOME_UNDELIVERED : ack.outcomes()[k];
            }
          }
        }).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenCompose(done -> {
      List<Tick> accepted = new ArrayList<>();
      synchronized (outcomes) {
        for (int i = 0; i < n; i++) {
          if (outcomes[i] == BatchResult.OUTCOME_LIVE) accepted.add(batch.get(i).withStatus(io.tickloom.protocol.TickStatus.LIVE));
          else if (outcomes[i] == BatchResult.OUTCOME_STALE) accepted.add(batch.get(i).withStatus(io.tickloom.protocol.TickStatus.STALE));
        }
      }
      if (accepted.isEmpty() || store == null) return CompletableFuture.completedFuture(new BatchResult(outcomes, accepted.size()));
      return storeAll(List.of(accepted)).thenApply(stored -> new BatchResult(outcomes, stored));
    });
  }

  /**
   * One storage write of several batches' accepted ticks, retried with backoff until it succeeds: while the
   * database is away the stream waits (and backpressures the feed) rather than dropping acknowledged ticks.
   * Answers how many were new to the store.
   */
  private CompletionStage<Integer> storeAll(List<List<Tick>> batches) {
    int n = 0;
    for (List<Tick> b : batches) n += b.size();
    List<Tick> all = new ArrayList<>(n);
    for (List<Tick> b : batches) all.addAll(b);
    int count = n;
    return Futures.plain(Patterns.retry(() -> CompletableFuture.supplyAsync(() -> {
          try {
            int fresh = store.write(all);
            outbound.get().ticksStored(all);
            return fresh;
          } catch (RuntimeException e) {
            metrics.onStoreFailure();
            log.error("storing {} ticks failed, will retry: {}", count, e.toString());
            throw e;
          }
        }, blocking), Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(5), 0.2, system.classicSystem().scheduler(),
            system.executionContext()))
        .thenApply(c -> {
          metrics.onStored(c);
          return c;
        });
  }
}
