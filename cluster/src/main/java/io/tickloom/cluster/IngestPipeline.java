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
import org.apache.pekko.actor.typed.ActorRef;
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
 *          ─▶ IngestLanes (a lane per instrument, one entity batch in flight each: ask InstrumentEntity ⟨Ingest⟩)
 *          ─▶ the run's store queue: accepted ticks with status ─▶ groupedWeightedWithin(store-batch)
 *          ─▶ mapAsync(store-parallelism: COPY into ticks)
 * </pre>
 * The stream hands each batch's per-instrument parts to the node's {@link IngestLanes} and goes on as soon as they are
 * admitted (held within {@code max-held}), so an instrument whose entity is away (its node died, its shard moves) holds
 * only its own lane while the others keep flowing. What the entities accept goes to the run's store queue; ticks stay
 * held until they are stored, so a slow database fills {@code max-held} and backpressures the source: no unbounded
 * queue anywhere. One ask per instrument per batch, not per tick. Ticks for unknown instruments or with impossible
 * fields are counted and logged (rate-limited), never passed on. Storage writes are retried with backoff; the store
 * absorbs a redelivered tick, so a retry never duplicates. A run completes once its source has completed and every
 * tick it took is answered by its entity and, if accepted, stored.
 *
 * <p>Depth (order-book) messages take a parallel, simpler path ({@link #runDepth}, {@link #processDepth}) through
 * lanes of their own: split per instrument, one {@link InstrumentEntity.IngestDepth} per submission, in stream order
 * per instrument (an L2 book's update ids must arrive in order); the entity applies them to its book and hands them to
 * the node's writer for the book log, so there is no storage stage here.
 */
public final class IngestPipeline {
  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

  private final ActorSystem<?> system;
  private final InstrumentRegistry instruments;
  private final ClusterSettings.Ingest settings;
  private final TickStore store;
  private final Executor blocking;
  private final IngestMetrics metrics;
  private long lastRejectLog;
  private final java.util.function.Supplier<MarketOutbound> outbound;
  private final IngestLanes<Tick, InstrumentEntity.IngestAck> tickLanes;
  private final IngestLanes<DepthMessage, InstrumentEntity.DepthAck> depthLanes;
  private static final java.util.concurrent.atomic.AtomicInteger PIPELINES = new java.util.concurrent.atomic.AtomicInteger();

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
    this.instruments = instruments;
    this.settings = settings.ingest();
    this.store = store;
    this.blocking = blocking;
    this.metrics = metrics;
    int n = PIPELINES.incrementAndGet();
    ClusterSettings.Ingest i = settings.ingest();
    IngestLanes.Settings lanes = new IngestLanes.Settings(i.maxInstrumentBatch(), i.maxHeld(), i.maxHeldPerInstrument(), i.maxInFlight(),
        i.maxHold(), i.laneAskTimeout(), Duration.ofMillis(100), Duration.ofMillis(500));
    this.tickLanes = new IngestLanes<>(system, "ingest-lanes-" + n, TICKS, lanes, metrics.lanes("ticks"));
    this.depthLanes = new IngestLanes<>(system, "depth-lanes-" + n, DEPTH, lanes, metrics.lanes("depth"));
  }

  private static final IngestLanes.Protocol<Tick, InstrumentEntity.IngestAck> TICKS = new IngestLanes.Protocol<>() {
    @Override
    public long token(Tick t) {
      return t.token();
    }

    @Override
    public InstrumentEntity.Command command(long batchId, List<Tick> items, ActorRef<InstrumentEntity.IngestAck> replyTo, boolean more) {
      return new InstrumentEntity.Ingest(batchId, items, replyTo, more);
    }

    @Override
    public boolean merge() {
      return true;
    }

    @Override
    public String what() {
      return "ticks";
    }
  };

  private static final IngestLanes.Protocol<DepthMessage, InstrumentEntity.DepthAck> DEPTH = new IngestLanes.Protocol<>() {
    @Override
    public long token(DepthMessage m) {
      return m.token();
    }

    @Override
    public InstrumentEntity.Command command(long batchId, List<DepthMessage> items, ActorRef<InstrumentEntity.DepthAck> replyTo,
        boolean more) {
      return new InstrumentEntity.IngestDepth(batchId, items, replyTo);
    }

    @Override
    public boolean merge() {
      return false; // a depth answer counts its batch as a whole: one submission per entity batch
    }

    @Override
    public String what() {
      return "depth messages";
    }
  };

  /** Runs {@code source} through the pipeline until it completes or the kill switch is pulled. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> run(Source<Tick, ?> source) {
    return run(null, source);
  }

  /** As {@link #run(Source)}, counting the source's ticks in its {@code tickloom_ingest_source_ticks_total}. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> run(IngestMetrics.Source sourceMetrics, Source<Tick, ?> source) {
    Run run = new Run();
    Pair<UniqueKillSwitch, CompletionStage<Done>> fed = source.viaMat(KillSwitches.single(), Keep.right())
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .map(batch -> {
          if (sourceMetrics != null) sourceMetrics.onTicks(batch.size());
          return validateAndSplit(batch);
        })
        .mapAsync(1, split -> tickLanes.offer(run.submissions(split)))
        .toMat(Sink.ignore(), Keep.both())
        .run(system);
    // Done once the source is done, every tick it took is answered, and the accepted ones are stored.
    CompletionStage<Done> done = Futures.plain(fed.second()).handle((d, failure) -> failure)
        .thenCompose(failure -> run.close().thenApply(d -> {
          if (failure != null) throw new java.util.concurrent.CompletionException(failure);
          return Done.getInstance();
        }));
    return Pair.create(fed.first(), done);
  }

  /**
   * One run's ticks after the entities: a store queue of its own (accepted ticks, COPY in batches) and a count of
   * submissions not answered yet, so the run completes only when all it took is answered and stored.
   */
  private final class Run {
    private final java.util.concurrent.atomic.AtomicLong open = new java.util.concurrent.atomic.AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean closing;
    private final org.apache.pekko.stream.BoundedSourceQueue<List<Tick>> queue;
    private final CompletionStage<Done> stored;

    Run() {
      if (store == null) {
        queue = null;
        stored = CompletableFuture.completedFuture(Done.getInstance());
        return;
      }
      Pair<org.apache.pekko.stream.BoundedSourceQueue<List<Tick>>, CompletionStage<Done>> q = Source.<List<Tick>>queue(1 << 20)
          .groupedWeightedWithin(settings.storeBatch(), accepted -> (long) accepted.size(), settings.storeBatchDelay())
          .mapAsync(settings.storeParallelism(), batches -> storeAll(batches).thenApply(fresh -> {
            long n = 0;
            for (List<Tick> b : batches) n += b.size();
            tickLanes.release(n);
            return fresh;
          }))
          .toMat(Sink.ignore(), Keep.both())
          .run(system);
      queue = q.first();
      stored = q.second();
    }

    List<IngestLanes.Submission<Tick, InstrumentEntity.IngestAck>> submissions(List<List<Tick>> split) {
      List<IngestLanes.Submission<Tick, InstrumentEntity.IngestAck>> subs = new ArrayList<>(split.size());
      for (List<Tick> part : split) {
        List<Tick> items = List.copyOf(part);
        open.incrementAndGet();
        subs.add(new IngestLanes.Submission<>(items.get(0).token(), items, new IngestLanes.Receipt<>() {
          @Override
          public int answered(InstrumentEntity.IngestAck ack, int from, int count) {
            try {
              if (queue == null) return 0; // tick storage off: nothing to hand on
              List<Tick> accepted = ack.accepted(items, from);
              if (accepted.isEmpty()) return 0;
              org.apache.pekko.stream.QueueOfferResult r = queue.offer(accepted);
              if (r == org.apache.pekko.stream.QueueOfferResult.enqueued()) return accepted.size();
              metrics.onUndelivered(accepted.size());
              log.error("{} accepted ticks of instrument {} could not be handed to storage ({})", accepted.size(), ack.token(), r);
              return 0;
            } finally {
              done();
            }
          }

          @Override
          public void dropped(String reason) {
            done();
          }
        }));
      }
      return subs;
    }

    private void done() {
      if (open.decrementAndGet() == 0 && closing) drained.complete(null);
    }

    /** After the source ended: waits for every answer, then drains the store queue. */
    CompletionStage<Done> close() {
      closing = true;
      if (open.get() == 0) drained.complete(null);
      return drained.thenCompose(v -> {
        if (queue != null) queue.complete();
        return Futures.plain(stored);
      });
    }
  }

  /** Runs a depth {@code source} (see the class doc) until it completes or the kill switch is pulled. */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> runDepth(Source<DepthMessage, ?> source) {
    return source.viaMat(KillSwitches.single(), Keep.right())
        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
        .mapAsync(1, batch -> {
          List<IngestLanes.Submission<DepthMessage, InstrumentEntity.DepthAck>> subs = new ArrayList<>();
          for (List<DepthMessage> part : splitDepth(batch)) {
            List<DepthMessage> items = List.copyOf(part);
            subs.add(new IngestLanes.Submission<>(items.get(0).token(), items, new IngestLanes.Receipt<>() {
              @Override
              public int answered(InstrumentEntity.DepthAck ack, int from, int count) {
                return 0;
              }

              @Override
              public void dropped(String reason) {}
            }));
          }
          return depthLanes.offer(subs);
        })
        .toMat(Sink.ignore(), Keep.both())
        .run(system);
  }

  /** Totals of {@link #processDepth}: messages applied by their entities, of unknown instruments, undelivered, integrity events. */
  public record DepthResult(int applied, int unknownInstrument, int undelivered, int integrityEvents) {}

  /** One batch of depth messages through the entities (in parallel per instrument, in order within one). */
  public CompletionStage<DepthResult> processDepth(List<DepthMessage> batch) {
    int known = 0;
    List<CompletableFuture<InstrumentEntity.DepthAck>> answers = new ArrayList<>();
    List<IngestLanes.Submission<DepthMessage, InstrumentEntity.DepthAck>> subs = new ArrayList<>();
    for (List<DepthMessage> part : splitDepth(batch)) {
      known += part.size();
      List<DepthMessage> items = List.copyOf(part);
      CompletableFuture<InstrumentEntity.DepthAck> answer = new CompletableFuture<>();
      answers.add(answer);
      subs.add(new IngestLanes.Submission<>(items.get(0).token(), items, new IngestLanes.Receipt<>() {
        @Override
        public int answered(InstrumentEntity.DepthAck ack, int from, int count) {
          answer.complete(ack);
          return 0;
        }

        @Override
        public void dropped(String reason) {
          answer.complete(new InstrumentEntity.DepthAck(items.get(0).token(), -1, 0, items.size(), 0));
        }
      }));
    }
    depthLanes.offer(subs);
    int unknown = batch.size() - known;
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
      int applied = 0;
      int undelivered = 0;
      int events = 0;
      for (CompletableFuture<InstrumentEntity.DepthAck> f : answers) {
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
   * What {@link #process} made of a batch: per tick (by position) one of the {@code OUTCOME_*} codes, and how many
   * of the accepted ticks were new to the store (a re-import after a restart is accepted by fresh entities but
   * absorbed by the store).
   */
  public record BatchResult(byte[] outcomes, int stored) {
    public static final byte OUTCOME_LIVE = InstrumentEntity.IngestAck.LIVE;
    public static final byte OUTCOME_STALE = InstrumentEntity.IngestAck.STALE;
    /** A duplicate (or a tick of a trade id too old for the dedupe window): dropped. */
    public static final byte OUTCOME_DUPLICATE = InstrumentEntity.IngestAck.DROPPED;
    /** Refused by its entity (an implausible seq or trade-id jump, a tick its kernels could not process). */
    public static final byte OUTCOME_REFUSED = InstrumentEntity.IngestAck.REFUSED;
    public static final byte OUTCOME_UNKNOWN_INSTRUMENT = 6;
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
   * instrument, hand the parts to the instruments' lanes (in parallel across instruments, in order within one; an
   * entity that is away delays only its own part), then one storage write (retried until it succeeds). For sources
   * that must know when their input is safe: Kafka commits offsets after it, the ingest endpoint answers after it.
   * Callers bound how many batches they have in flight (Kafka: a few per partition; HTTP: a bounded queue). Ticks a
   * holding bound dropped are {@code OUTCOME_UNDELIVERED}.
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
    List<IngestLanes.Submission<Tick, InstrumentEntity.IngestAck>> subs = new ArrayList<>();
    for (List<Integer> positions : byToken.values()) {
      for (int from = 0; from < positions.size(); from += settings.maxInstrumentBatch()) {
        List<Integer> chunk = positions.subList(from, Math.min(positions.size(), from + settings.maxInstrumentBatch()));
        List<Tick> ticks = new ArrayList<>(chunk.size());
        for (int p : chunk) ticks.add(batch.get(p));
        CompletableFuture<Void> answered = new CompletableFuture<>();
        asks.add(answered);
        subs.add(new IngestLanes.Submission<>(ticks.get(0).token(), List.copyOf(ticks), new IngestLanes.Receipt<>() {
          @Override
          public int answered(InstrumentEntity.IngestAck ack, int at, int count) {
            synchronized (outcomes) {
              for (int k = 0; k < count; k++) outcomes[chunk.get(k)] = ack.outcomes()[at + k];
            }
            answered.complete(null);
            return 0;
          }

          @Override
          public void dropped(String reason) {
            metrics.onUndelivered(chunk.size());
            synchronized (outcomes) {
              for (int p : chunk) outcomes[p] = BatchResult.OUTCOME_UNDELIVERED;
            }
            answered.complete(null);
          }
        }));
      }
    }
    tickLanes.offer(subs);
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
