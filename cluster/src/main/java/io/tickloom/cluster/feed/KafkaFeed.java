package io.tickloom.cluster.feed;

import io.tickloom.cluster.Futures;
import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.IngestPipeline;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.FieldError;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka ingest source (SPEC §8): raw ticks from {@code raw_ticks}, one sub-stream per assigned partition, each
 * taking batches of records through {@link IngestPipeline#process} (entities, then one COPY) and committing the batch's
 * offsets only after its ticks are durably stored. A node killed mid-batch leaves those offsets uncommitted: the
 * records are redelivered and the entities' dedupe and the store's key absorb the repeats (at-least-once in,
 * exactly-once in the store). A record that cannot be parsed or names an instrument that cannot be resolved goes to
 * the dead-letter topic with its reason in the {@value #REASON_HEADER} header, before its offset is committed; ingest
 * goes on.
 */
public final class KafkaFeed {
  private static final Logger log = LoggerFactory.getLogger(KafkaFeed.class);
  public static final String REASON_HEADER = "tickloom-reason";
  public static final String SOURCE_HEADER = "tickloom-source";

  private final ActorSystem<?> system;
  private final KafkaSettings settings;
  private final IngestPipeline pipeline;
  private final InstrumentResolver resolver;
  private final IngestMetrics.Source metrics;
  private final Producer<String, byte[]> producer;

  /** @param producer for the dead-letter topic; the caller owns (and closes) it */
  public KafkaFeed(ActorSystem<?> system, KafkaSettings settings, IngestPipeline pipeline, InstrumentResolver resolver,
      IngestMetrics.Source metrics, Producer<String, byte[]> producer) {
    this.system = system;
    this.settings = settings;
    this.pipeline = pipeline;
    this.resolver = resolver;
    this.metrics = metrics;
    this.producer = producer;
  }

  /**
   * A running consumer; {@link #stop()} drains in-flight batches, commits their offsets and stops. A failure (the
   * broker away, a dead letter Kafka did not acknowledge) restarts the consumer after a backoff, from the committed
   * offsets: the failed batch's offsets were not committed, so its records come again.
   */
  public static final class Running {
    private final AtomicReference<Consumer.Control> control;
    private final UniqueKillSwitch restarts;
    private final CompletionStage<Done> completion;
    private final Cancellable lagPoll;

    private Running(AtomicReference<Consumer.Control> control, UniqueKillSwitch restarts, CompletionStage<Done> completion, Cancellable lagPoll) {
      this.control = control;
      this.restarts = restarts;
      this.completion = completion;
      this.lagPoll = lagPoll;
    }

    /** Clean stop: stops fetching, lets in-flight batches finish and commit. */
    public CompletionStage<Done> stop() {
      lagPoll.cancel();
      return Futures.plain(control.get().drainAndShutdown(completion, java.util.concurrent.ForkJoinPool.commonPool()));
    }

    /** Abrupt stop (as a crash would): in-flight batches are abandoned, their offsets not committed. */
    public CompletionStage<Done> abort() {
      lagPoll.cancel();
      restarts.shutdown(); // no restart after this
      return Futures.plain(control.get().shutdown()).thenCompose(d -> completion).exceptionally(e -> Done.getInstance());
    }

    /** Completes when the stream ends (after a stop). */
    public CompletionStage<Done> completion() {
      return completion;
    }
  }

  public Running start() {
    ConsumerSettings<String, byte[]> base = ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
        .withBootstrapServers(settings.bootstrap())
        .withGroupId(settings.groupId())
        .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
        .withProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(settings.sessionTimeout().toMillis()))
        .withProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, settings.sessionTimeout().toMillis() / 4)))
        // Whole batches per poll (the default 500 makes many small polls at high rates).
        .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(500, settings.batch())))
        .withStopTimeout(java.time.Duration.ZERO);
    String instance = instanceId();
    ConsumerSettings<String, byte[]> consumer = instance == null ? base : base.withProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
    CommitterSettings committer = CommitterSettings.create(system).withMaxInterval(settings.commitInterval());
    AtomicReference<Consumer.Control> control = new AtomicReference<>(Consumer.createNoopControl());
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = RestartSource.onFailuresWithBackoff(
            RestartSettings.create(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(30), 0.2), () -> {
              log.info("Kafka ingest from {} topic {} (group {}), dead letters to {}", settings.bootstrap(), settings.topic(),
                  settings.groupId(), settings.dlqTopic());
              return Consumer.committablePartitionedSource(consumer, Subscriptions.topics(settings.topic()))
                  .mapMaterializedValue(c -> {
                    control.set(c);
                    return c;
                  })
                  .mapAsyncUnordered(settings.maxPartitions(), pair -> {
                    log.info("consuming {} partition {}", settings.topic(), pair.first().partition());
                    return pair.second()
                        .groupedWithin(settings.batch(), settings.batchDelay())
                        // Parsing the next batch overlaps processing this one (an async boundary between them).
                        // Batches are resolved one at a time and handed to the instruments' lanes in offset order, so an
                        // instrument's ticks reach it in offset order; several batches are in flight at once, so one
                        // instrument whose entity is away does not stop the partition's other instruments; offsets are
                        // committed in order, so nothing is committed past a batch that is not stored yet.
                        .map(this::parse)
                        .async()
                        .mapAsync(1, this::resolveBatch)
                        .mapAsync(settings.batchesInFlight(), this::processBatch)
                        .runWith(Committer.sink(committer), system);
                  });
            })
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.both())
        .run(system);
    Cancellable lagPoll = system.classicSystem().scheduler().scheduleWithFixedDelay(settings.lagInterval(), settings.lagInterval(),
        () -> control.get().getMetrics().thenAccept(this::updateLag), system.executionContext());
    return new Running(control, running.first(), Futures.plain(running.second()), lagPoll);
  }

  /** The static membership id: configured, derived from this node's cluster address, or null ("off"). */
  private String instanceId() {
    String id = settings.instanceId();
    if (id.equals("off")) return null;
    if (!id.isEmpty()) return id;
    org.apache.pekko.actor.Address self = org.apache.pekko.cluster.Cluster.get(system.classicSystem()).selfAddress();
    return "tickloom-" + self.getHost().orElse("local") + "-" + self.getPort().orElse(0);
  }

  private void updateLag(Map<MetricName, Metric> m) {
    long lag = 0;
    for (Map.Entry<MetricName, Metric> e : m.entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("records-lag") && settings.topic().equals(n.tags().get("topic"))) {
        Object v = e.getValue().metricValue();
        if (v instanceof Number num && !Double.isNaN(num.doubleValue())) lag += num.longValue();
      }
    }
    metrics.lag(lag);
  }

  /** A batch parsed: the raw ticks, the records they came from, the dead letters already sent, the offsets. */
  private record Parsed(List<RawTick> raws, List<ConsumerMessage.CommittableMessage<String, byte[]>> parsed,
      List<CompletableFuture<Void>> deadLetters, ConsumerMessage.CommittableOffsetBatch offsets, long receiveTs) {}

  private Parsed parse(List<ConsumerMessage.CommittableMessage<String, byte[]>> records) {
    long receiveTs = System.currentTimeMillis() * 1_000_000L;
    List<RawTick> raws = new ArrayList<>(records.size());
    List<ConsumerMessage.CommittableMessage<String, byte[]>> parsed = new ArrayList<>(records.size());
    List<CompletableFuture<Void>> deadLetters = new ArrayList<>();
    for (ConsumerMessage.CommittableMessage<String, byte[]> m : records) {
      byte[] value = m.record().value();
      try {
        if (value == null) throw new FieldError("body", "empty record (no value)");
        raws.add(RawTickJson.parse(value));
        parsed.add(m);
      } catch (FieldError e) {
        deadLetters.add(deadLetter(m, e.getMessage()));
      } catch (RuntimeException e) {
        deadLetters.add(deadLetter(m, "unparseable: " + e.getMessage()));
      }
    }
    metrics.onTicks(records.size());
    ConsumerMessage.CommittableOffsetBatch offsets =
        ConsumerMessage.createCommittableOffsetBatch(records.stream().map(ConsumerMessage.CommittableMessage::committableOffset).toList());
    return new Parsed(raws, parsed, deadLetters, offsets, receiveTs);
  }

  /** A parsed batch resolved: the ticks to process, the dead letters sent, the offsets. */
  private record Resolved(List<Tick> ticks, List<CompletableFuture<Void>> deadLetters, ConsumerMessage.CommittableOffsetBatch offsets) {}

  /** Resolves a parsed batch's instruments and dead-letters the records that name none. */
  private CompletionStage<Resolved> resolveBatch(Parsed p) {
    List<ConsumerMessage.CommittableMessage<String, byte[]>> parsed = p.parsed();
    List<CompletableFuture<Void>> deadLetters = p.deadLetters();
    return resolver.resolveAll(p.raws(), p.receiveTs()).thenApply(resolved -> {
      List<Tick> ticks = new ArrayList<>(resolved.size());
      for (int i = 0; i < resolved.size(); i++) {
        InstrumentResolver.Resolved r = resolved.get(i);
        if (r.ok()) ticks.add(r.tick());
        else deadLetters.add(deadLetter(parsed.get(i), r.error().getMessage()));
      }
      return new Resolved(ticks, deadLetters, p.offsets());
    });
  }

  /**
   * One resolved batch through the pipeline; answers the batch's offsets once both the dead letters are acknowledged by
   * Kafka and the ticks are stored. Ticks a holding bound dropped (their entity stayed away too long) fail the batch, so
   * its offsets are not committed and its records come again after the consumer restarts.
   */
  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> processBatch(Resolved r) {
    CompletionStage<?> stored = r.ticks().isEmpty() ? CompletableFuture.completedFuture(null) : pipeline.process(r.ticks()).thenApply(result -> {
      int undelivered = result.count(IngestPipeline.BatchResult.OUTCOME_UNDELIVERED);
      if (undelivered > 0) {
        throw new IllegalStateException(undelivered + " ticks of the batch could not be delivered to their entities; not committing");
      }
      return result;
    });
    return stored.thenCompose(x -> CompletableFuture.allOf(r.deadLetters().toArray(CompletableFuture[]::new)))
        .thenApply(x -> r.offsets());
  }

  private CompletableFuture<Void> deadLetter(ConsumerMessage.CommittableMessage<String, byte[]> m, String reason) {
    metrics.onReject();
    var rec = m.record();
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(settings.dlqTopic(), rec.key(), rec.value());
    out.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    out.headers().add(SOURCE_HEADER, (rec.topic() + '/' + rec.partition() + '@' + rec.offset()).getBytes(StandardCharsets.UTF_8));
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(out, (meta, e) -> {
      if (e == null) {
        metrics.onDeadLettered(1);
        done.complete(null);
      } else {
        // Not acknowledged: fail the batch, so its offsets stay uncommitted and the record comes again.
        log.error("writing a dead letter to {} failed: {}", settings.dlqTopic(), e.toString());
        done.completeExceptionally(e);
      }
    });
    return done;
  }
}
