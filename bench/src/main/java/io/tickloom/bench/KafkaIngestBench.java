package io.tickloom.bench;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.ClusterConfig;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.feed.KafkaFeed;
import io.tickloom.cluster.feed.KafkaSettings;
import io.tickloom.cluster.testing.EmbeddedKafka;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Kafka-to-store throughput (issue 3): raw tick JSON records already in {@code raw_ticks} on an in-process broker
 * (KRaft), consumed by the real {@link KafkaFeed} (parse, resolve, entities with dedupe/sequencing/bars, COPY, commit
 * after store) until every tick is stored and every offset committed. In the same run, two baselines over the very
 * same records: a bare consumer that only reads and parses them (the broker's and the parser's limit), and a bare COPY
 * of the same rows (the database's limit). Ratios are against the slower of the two.
 *
 * <p>Usage: {@code java -cp ... io.tickloom.bench.KafkaIngestBench [instruments=100] [ticks=1000000] [partitions=4]
 * [rounds=2]}.
 */
public final class KafkaIngestBench {
  private static final long SEC = 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    int instruments = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path dir = Files.createTempDirectory("tickloom-kafka-bench");
    System.out.printf("KafkaIngestBench: %d instruments, %d ticks per run, %d partitions, %d cores%n", instruments, ticks, partitions,
        Runtime.getRuntime().availableProcessors());
    try (EmbeddedKafka kafka = EmbeddedKafka.start(); Database db = Database.open(DatabaseSettings.embedded(dir, 8))) {
      List<Instrument> universe = IngestDriver.universe(instruments);
      var ingest = io.tickloom.cluster.ClusterSettings.fromConfig(ClusterConfig.load(ConfigFactory.empty())).ingest();
      List<Double> feed = new ArrayList<>();
      List<Double> consume = new ArrayList<>();
      List<Double> copy = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      long base = (System.currentTimeMillis() / 86_400_000L) * 86_400L * SEC + 2 * 3600 * SEC;
      for (int round = 0; round < rounds; round++) {
        long start = base + round * 3600 * SEC;
        String topic = "raw_ticks_" + round;
        kafka.createTopics(partitions, topic, topic + ".dlq");
        List<Tick> rows = IngestDriver.rows(universe, ticks, start, 1);
        produce(kafka, topic, rows);
        double c = consume(kafka, topic, ticks);
        double b = IngestDriver.bareCopy(db, rows, ingest.maxBatch(), ingest.storeBatch(), ingest.storeParallelism());
        double f = feed(kafka, db, universe, topic, ticks, start);
        consume.add(c);
        copy.add(b);
        feed.add(f);
        ratio.add(f / Math.min(c, b));
        System.out.printf("round %d: kafka->store / min(consume, COPY) = %.2f%n", round + 1, f / Math.min(c, b));
      }
      System.out.printf("RESULT (median of %d) kafka->store %.0f ticks/s | bare consume+parse %.0f records/s | bare COPY %.0f rows/s | ratio %.2f%n",
          rounds, IngestDriver.median(feed), IngestDriver.median(consume), IngestDriver.median(copy), IngestDriver.median(ratio));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static void produce(EmbeddedKafka kafka, String topic, List<Tick> rows) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<?>> last = new ArrayList<>();
      for (Tick t : rows) {
        RawTick raw = RawTick.byToken(t.token(), t.exchangeTs(), Fixed.formatPlain(t.price(), 2), Long.toString(t.qty()), t.seq(), Tick.NO_TRADE_ID);
        last.add(producer.send(new ProducerRecord<>(topic, Long.toString(t.token()), RawTickJson.write(raw).getBytes(StandardCharsets.UTF_8))));
        if (last.size() == 100_000) {
          for (Future<?> f : last) f.get();
          last.clear();
        }
      }
      for (Future<?> f : last) f.get();
    }
    System.out.printf("%-55s %,12.0f records/s (not part of the figures)%n", "produced raw tick JSON", rows.size() / ((System.nanoTime() - t0) / 1e9));
  }

  /** Baseline: a plain consumer reading and parsing every record (no resolution, no storage). */
  private static double consume(EmbeddedKafka kafka, String topic, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    long t0 = System.nanoTime();
    long read = 0;
    long checksum = 0;
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      while (read < n) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          checksum += RawTickJson.parse(r.value()).seq();
          read++;
        }
      }
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    System.out.printf("%-55s %,12.0f records/s (checksum %d)%n", "bare consume + parse, same records", rate, checksum);
    return rate;
  }

  private static double feed(EmbeddedKafka kafka, Database db, List<Instrument> universe, String topic, int n, long start) throws Exception {
    var config = ClusterConfig.load(ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\npekko.loglevel = WARNING\n"
        + "tickloom.cluster.around-the-clock = on"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
    try {
      Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      MarketNode node = MarketNode.start(system, db, new SimpleMeterRegistry());
      node.registerInstruments(universe);
      KafkaSettings s = KafkaSettings.fromConfig(config).withBootstrap(kafka.bootstrapServers()).withGroupId("bench-" + topic);
      s = new KafkaSettings(s.bootstrap(), s.groupId(), topic, topic + ".dlq", "", "", s.maxPartitions(), s.batch(), s.batchDelay(),
          s.commitInterval(), s.lagInterval(), s.stopTimeout(), s.batchesInFlight(), "", s.sessionTimeout());
      try (KafkaProducer<String, byte[]> dlq = new KafkaProducer<>(props(kafka), new StringSerializer(), new ByteArraySerializer())) {
        long t0 = System.nanoTime();
        KafkaFeed.Running running = new KafkaFeed(system, s, node.pipeline(), node.resolver(), node.metrics().source("kafka"), dlq).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (node.metrics().storedCount() < n) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("stored only " + node.metrics().storedCount() + " of " + n);
          Thread.sleep(20);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        long committed = kafka.committed(s.groupId(), topic).values().stream().mapToLong(Long::longValue).sum();
        long stored = IngestDriver.storedBetween(db, start, start + 3600 * SEC);
        if (stored != n || committed != n) throw new IllegalStateException("stored " + stored + ", committed " + committed + " of " + n);
        double rate = n / secs;
        System.out.printf("%-55s %,12.0f ticks/s  (%,d ticks in %.2f s, all stored and committed)%n", "Kafka -> KafkaFeed -> entities -> COPY", rate,
            n, secs);
        return rate;
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Properties props(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return p;
  }
}
