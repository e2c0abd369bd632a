package io.tickloom.cluster;

import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.FieldError;
import io.tickloom.protocol.format.RawTick;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The door for request/response feeds (the webhook endpoint, the importer behind it): a bounded queue in front of
 * {@link IngestPipeline#process}, so a burst of requests waits in at most {@code capacity} batches and anything
 * beyond is refused at once ({@link Saturated}, HTTP 429) instead of buffering without bound. Each submission is
 * answered, per item, once its accepted ticks are durably stored.
 */
public final class IngestGate {
  /** The pipeline is saturated: nothing of the submission was taken; retry later. */
  public static final class Saturated extends RuntimeException {
    public Saturated() {
      super("ingest pipeline saturated", null, false, false);
    }
  }

  /** What became of one submitted item: {@code outcome} is {@code "stored"}, {@code "duplicate"} or {@code "rejected"}. */
  public record ItemResult(int index, String outcome, String status, String field, String reason) {}

  /** Per item results, in submission order, and the counts. {@code stored} counts rows new to the store. */
  public record Reply(List<ItemResult> items, int accepted, int stored, int duplicates, int rejected) {}

  private record Job(List<Tick> ticks, CompletableFuture<IngestPipeline.BatchResult> result) {}

  private final IngestPipeline pipeline;
  private final InstrumentResolver resolver;
  private final IngestMetrics.Source metrics;
  private final BoundedSourceQueue<Job> queue;
  private final Runnable onInstrumentsChanged;
  private final java.util.function.Consumer<Collection<Instrument>> register;

  public IngestGate(ActorSystem<?> system, IngestPipeline pipeline, InstrumentResolver resolver, IngestMetrics.Source metrics,
      int capacity, int parallelism, java.util.function.Consumer<Collection<Instrument>> register) {
    this.pipeline = pipeline;
    this.resolver = resolver;
    this.metrics = metrics;
    this.register = register;
    this.onInstrumentsChanged = () -> {};
    this.queue = Source.<Job>queue(capacity)
        .mapAsync(parallelism, job -> pipeline.process(job.ticks()).handle((r, e) -> {
          // The answer goes to the submitter; the queue's stream itself never fails on one bad batch.
          if (e != null) job.result().completeExceptionally(e);
          else job.result().complete(r);
          return org.apache.pekko.Done.getInstance();
        }))
        .to(Sink.ignore())
        .run(system);
  }

  /**
   * Resolves, validates and ingests {@code raws}. Fails with {@link Saturated} when the queue is full (no tick of the
   * request was taken; instruments it named on a crypto venue may have been created already, which a retry reuses);
   * otherwise answers once the accepted ticks are stored.
   */
  public CompletionStage<Reply> submit(List<RawTick> raws) {
    return submit(raws, null);
  }

  /** As {@link #submit(List)}, every tick marked as coming from {@code feed} (e.g. {@code IMPORT}) when not null. */
  public CompletionStage<Reply> submit(List<RawTick> raws, io.tickloom.protocol.Feed feed) {
    long receiveTs = System.currentTimeMillis() * 1_000_000L;
    return resolver.resolveAll(raws, receiveTs).thenCompose(resolved -> {
      List<Tick> ticks = new ArrayList<>();
      int[] position = new int[resolved.size()];
      for (int i = 0; i < resolved.size(); i++) {
        InstrumentResolver.Resolved r = resolved.get(i);
        position[i] = r.ok() ? ticks.size() : -1;
        if (r.ok()) ticks.add(feed == null ? r.tick() : r.tick().withFeed(feed));
        else metrics.onReject();
      }
      CompletionStage<IngestPipeline.BatchResult> done;
      if (ticks.isEmpty()) {
        done = CompletableFuture.completedFuture(new IngestPipeline.BatchResult(new byte[0], 0));
      } else {
        CompletableFuture<IngestPipeline.BatchResult> f = new CompletableFuture<>();
        QueueOfferResult offered = queue.offer(new Job(ticks, f));
        if (offered != QueueOfferResult.enqueued()) return CompletableFuture.failedFuture(new Saturated());
        done = f;
      }
      metrics.onTicks(raws.size());
      return done.thenApply(batch -> reply(resolved, position, batch));
    });
  }

  private static Reply reply(List<InstrumentResolver.Resolved> resolved, int[] position, IngestPipeline.BatchResult batch) {
    List<ItemResult> items = new ArrayList<>(resolved.size());
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    for (int i = 0; i < resolved.size(); i++) {
      InstrumentResolver.Resolved r = resolved.get(i);
      if (!r.ok()) {
        FieldError e = r.error();
        items.add(new ItemResult(i, "rejected", null, e.field(), e.detail()));
        rejected++;
        continue;
      }
      byte o = batch.outcomes()[position[i]];
      switch (o) {
        case IngestPipeline.BatchResult.OUTCOME_LIVE, IngestPipeline.BatchResult.OUTCOME_STALE -> {
          items.add(new ItemResult(i, "stored", o == IngestPipeline.BatchResult.OUTCOME_LIVE ? "LIVE" : "STALE", null, null));
          accepted++;
        }
        case IngestPipeline.BatchResult.OUTCOME_DUPLICATE -> {
          items.add(new ItemResult(i, "duplicate", null, null, null));
          duplicates++;
        }
        case IngestPipeline.BatchResult.OUTCOME_UNKNOWN_INSTRUMENT -> {
          items.add(new ItemResult(i, "rejected", null, "token", "unknown instrument"));
          rejected++;
        }
        case IngestPipeline.BatchResult.OUTCOME_REFUSED -> {
          items.add(new ItemResult(i, "rejected", null, "seq", "refused by the instrument: its seq or trade id jumps implausibly far past "
              + "the instrument's (or it could not be processed); see the node's log"));
          rejected++;
        }
        case IngestPipeline.BatchResult.OUTCOME_UNDELIVERED -> {
          items.add(new ItemResult(i, "rejected", null, null, "the instrument's entity could not be reached; retry"));
          rejected++;
        }
        default -> {
          items.add(new ItemResult(i, "rejected", null, null, "invalid tick"));
          rejected++;
        }
      }
    }
    return new Reply(items, accepted, batch.stored(), duplicates, rejected);
  }

  /** Registers instruments (the instrument-master import), blocking: call on a blocking executor. */
  public void registerInstruments(Collection<Instrument> instruments) {
    register.accept(instruments);
    onInstrumentsChanged.run();
  }
}
