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
 *   source ─▶ validate ─▶ groupedWithin(max-batch, max-batch-delay) ─▶ split per instrument
 *          ─▶ mapAsyncUnordered(parallelism: ask InstrumentEntity ⟨Ingest⟩) ─▶ accepted ticks
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
    Flow<Tick, InstrumentEntity.IngestAck, NotUsed> toEntities = Flow.<Tick>create()
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .mapConcat(this::validateAndSplit)
        .mapAsyncUnordered(settings.parallelism(), this::askEntity);
    if (store == null) {
      return toEntities.map(ack -> ack.accepted().size());
    }
    return toEntities
        .filter(ack -> !ack.accepted().isEmpty())
        .groupedWeightedWithin(settings.storeBatch(), ack -> (long) ack.accepted().size(), settings.storeBatchDelay())
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
      list.add(t);
    }
    metrics.onReceived(batch.size());
    if (unknown > 0) metrics.onUnknown(unknown);
    if (invalid > 0) metrics.onInvalid(invalid);
    return new ArrayList<>(byToken.values());
  }

  private CompletionStage<InstrumentEntity.IngestAck> askEntity(List<Tick> ticks) {
    long token = ticks.get(0).token();
    List<Tick> batch = List.copyOf(ticks);
    // Retried while an entity is being placed or moved (rebalance, node loss). Should a reply be lost after
    // the entity processed the batch, the retry's ticks are duplicates to it and are acknowledged as such.
    return Patterns.retry(() -> sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
            .<InstrumentEntity.IngestAck>ask(replyTo -> new InstrumentEntity.Ingest(batch, replyTo), askTimeout),
        5, Duration.ofMillis(100), Duration.ofSeconds(2), 0.2, system.classicSystem().scheduler(), system.executionContext());
  }

  private CompletionStage<Integer> storeAll(List<InstrumentEntity.IngestAck> acks) {
    int n = 0;
    for (InstrumentEntity.IngestAck a : acks) n += a.accepted().size();
    List<Tick> all = new ArrayList<>(n);
    for (InstrumentEntity.IngestAck a : acks) all.addAll(a.accepted());
    int count = n;
    return Patterns.retry(() -> CompletableFuture.supplyAsync(() -> {
          try {
            store.write(all);
            return count;
          } catch (RuntimeException e) {
            metrics.onStoreFailure();
            log.error("storing {} ticks failed, will retry: {}", count, e.toString());
            throw e;
          }
        }, blocking), 10, Duration.ofMillis(200), Duration.ofSeconds(5), 0.2, system.classicSystem().scheduler(), system.executionContext())
        .thenApply(c -> {
          metrics.onStored(c);
          return c;
        });
  }
}
