package io.tickloom.cluster;

import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Tick;
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
  /** Batch ids unique per pipeline and process: random high bits, a counter below. */
  private final java.util.concurrent.atomic.AtomicLong batchIds =
      new java.util.concurrent.atomic.AtomicLong(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L);

  /** @param store null to run without storage (benchmarks of the in-memory pipeline) */
  public IngestPipeline(ActorSystem<?> system, InstrumentRegistry instruments, ClusterSettings settings, TickStore store,
      Executor blocking, IngestMetrics metrics) {
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
    return source.viaMat(KillSwitches.single(), Keep.right()).via(flow()).toMat(Sink.ignore(), Keep.both()).run(system);
  }

  /** Raw ticks in; per storage write, the number of ticks stored (or accepted, with storage off) out. */
  public Flow<Tick, Integer, NotUsed> flow() {
    Flow<Tick, List<Tick>, NotUsed> toEntities = Flow.<Tick>create()
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .mapConcat(this::validateAndSplit)
        .mapAsyncUnordered(settings.parallelism(), this::askEntity);
    if (store == null) {
      return toEntities.map(List::size);
    }
    return toEntities
        .filter(accepted -> !accepted.isEmpty())
        .groupedWeightedWithin(settings.storeBatch(), accepted -> (long) accepted.size(), settings.storeBatchDelay())
        .mapAsync(settings.storeParallelism(), this::storeAll);
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
      if (t.price() <= 0 || t.qty() < 0 || t.exchangeTs() <= 0 || t.seq() < 0) {
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

  /**
   * Sends one instrument's batch to its entity and answers the accepted ticks with their status. Retried while
   * the entity is being placed or moved (rebalance, node loss); a resend carries the same batch id, so an entity
   * that processed the batch but whose answer was lost answers again instead of processing it twice. A batch
   * that still fails is counted and logged and the stream goes on.
   */
  private CompletionStage<List<Tick>> askEntity(List<Tick> ticks) {
    long token = ticks.get(0).token();
    long batchId = batchIds.incrementAndGet();
    List<Tick> batch = List.copyOf(ticks);
    return Futures.plain(Patterns.retry(() -> sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
                .<InstrumentEntity.IngestAck>ask(replyTo -> new InstrumentEntity.Ingest(batchId, batch, replyTo), askTimeout),
            settings.askAttempts(), Duration.ofMillis(100), Duration.ofSeconds(2), 0.2, system.classicSystem().scheduler(),
            system.executionContext()))
        .thenApply(ack -> ack.accepted(batch))
        .exceptionally(e -> {
          metrics.onUndelivered(batch.size());
          log.error("{} ticks of instrument {} could not be delivered to its entity after {} attempts: {}", batch.size(), token,
              settings.askAttempts(), e.toString());
          return List.of();
        });
  }

  /**
   * One storage write of several batches' accepted ticks, retried with backoff until it succeeds: while the
   * database is away the stream waits (and backpressures the feed) rather than dropping acknowledged ticks.
   */
  private CompletionStage<Integer> storeAll(List<List<Tick>> batches) {
    int n = 0;
    for (List<Tick> b : batches) n += b.size();
    List<Tick> all = new ArrayList<>(n);
    for (List<Tick> b : batches) all.addAll(b);
    int count = n;
    return Futures.plain(Patterns.retry(() -> CompletableFuture.supplyAsync(() -> {
          try {
            store.write(all);
            return count;
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
