package io.tickloom.cluster.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.MarketNode;
import io.tickloom.cluster.TestConfig;
import io.tickloom.cluster.testing.EmbeddedKafka;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka source against a real broker (in-process KRaft) and a real PostgreSQL: offsets committed only after
 * storage, a consumer killed mid-stream resumes without losing or doubling a tick, bad records are dead-lettered
 * with their reason, and stored ticks and final bars go out on the outbound topics.
 */
class KafkaFeedIT {
  static final long T0 = 1_763_900_000_000_000_000L; // 2025-11-23T12:13:20Z
  static final long TOKEN_A = 408065;
  static final long TOKEN_B = 738561;
  static EmbeddedKafka kafka;
  ActorTestKit kit;
  Database db;
  MarketNode node;
  Producer<String, byte[]> producer;
  int topicNo;

  @BeforeAll
  static void broker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    kit = ActorTestKit.create("kafka-feed", TestConfig.node("tickloom.cluster.around-the-clock = on"));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    node = MarketNode.start(kit.system(), db, new SimpleMeterRegistry());
    node.registerInstruments(List.of(
        Instrument.cash(TOKEN_A, Exchange.NSE, "INFY", InstrumentKind.EQ, 5, 1, 2, 0),
        Instrument.cash(TOKEN_B, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 1, 2, 0)));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void stop() {
    producer.close(Duration.ofSeconds(5));
    kit.shutdownTestKit();
    db.close();
  }

  /** Fresh topics per test (the broker is shared), 3 partitions for the input. */
  private KafkaSettings settings(String name) {
    String in = name + ".raw_ticks";
    kafka.createTopics(3, in);
    kafka.createTopics(1, in + ".dlq", in + ".ticks", in + ".bars");
    return new KafkaSettings(kafka.bootstrapServers(), name + "-group", in, in + ".dlq", in + ".ticks", in + ".bars", 16, 500,
        Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10), 8, "", Duration.ofSeconds(10));
  }

  private void produce(String topic, List<RawTick> ticks) throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (RawTick t : ticks) {
      sent.add(producer.send(new ProducerRecord<>(topic, t.key(), RawTickJson.write(t).getBytes(StandardCharsets.UTF_8))));
    }
    for (var f : sent) f.get(30, TimeUnit.SECONDS);
  }

  private static List<RawTick> ticks(long token, int n, long firstSeq) {
    List<RawTick> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      out.add(RawTick.byToken(token, T0 + seq * 1_000_000L, "1500." + (seq % 100 < 10 ? "0" : "") + (seq % 100), Long.toString(1 + seq % 7), seq,
          Tick.NO_TRADE_ID));
    }
    return out;
  }

  private KafkaFeed feed(KafkaSettings s) {
    return new KafkaFeed(kit.system(), s, node.pipeline(), node.resolver(), node.metrics().source("kafka"), producer);
  }

  private void awaitStored(long token, long n) {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(50), () -> {
      assertTrue(node.ticks().count(token) >= n, "only " + node.ticks().count(token) + " of " + n + " ticks of " + token + " stored");
      return null;
    });
  }

  @Test
  void aConsumerKilledMidStreamResumesFromItsCommittedOffsetsAndStoresEveryTickExactlyOnce() throws Exception {
    KafkaSettings s = settings("kill");
    // Half the input is on the topic before the kill, half arrives after it: however fast this machine stores, the
    // kill lands mid-stream, and the second consumer has to resume from the committed offsets to see the rest.
    List<RawTick> before = new ArrayList<>(ticks(TOKEN_A, 3_000, 0));
    before.addAll(ticks(TOKEN_B, 3_000, 0));
    List<RawTick> after = new ArrayList<>(ticks(TOKEN_A, 3_000, 3_000));
    after.addAll(ticks(TOKEN_B, 3_000, 3_000));
    produce(s.topic(), before);

    KafkaFeed.Running first = feed(s).start();
    // Kill as soon as part of the input is stored: batches may be in flight, their offsets not yet committed.
    awaitStored(TOKEN_A, 1_000);
    first.abort().toCompletableFuture().get(30, TimeUnit.SECONDS);
    long storedAtKill = node.ticks().count(TOKEN_A) + node.ticks().count(TOKEN_B);
    Map<Integer, Long> committedAtKill = kafka.committed(s.groupId(), s.topic());
    long committedSumAtKill = committedAtKill.values().stream().mapToLong(Long::longValue).sum();
    assertTrue(committedSumAtKill <= storedAtKill, "an offset was committed before its tick was stored: " + committedAtKill
        + " with " + storedAtKill + " stored");
    produce(s.topic(), after);

    KafkaFeed.Running second = feed(s).start();
    awaitStored(TOKEN_A, 6_000);
    awaitStored(TOKEN_B, 6_000);
    second.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(6_000, node.ticks().count(TOKEN_A));
    assertEquals(6_000, node.ticks().count(TOKEN_B));
    Set<Long> seqs = new HashSet<>();
    node.ticks().scan(TOKEN_A, 0, Long.MAX_VALUE, t -> assertTrue(seqs.add(t.seq()), "seq " + t.seq() + " stored twice"));
    assertEquals(6_000, seqs.size());
    Map<Integer, Long> committed = kafka.committed(s.groupId(), s.topic());
    assertEquals(12_000L, committed.values().stream().mapToLong(Long::longValue).sum(), "every offset committed after the restart: " + committed);
    for (var e : committedAtKill.entrySet()) {
      assertTrue(committed.get(e.getKey()) >= e.getValue(), "offsets went backwards on partition " + e.getKey());
    }
  }

  @Test
  void unparseableAndUnresolvableRecordsGoToTheDeadLetterTopicWithTheReasonAndIngestGoesOn() throws Exception {
    KafkaSettings s = settings("dlq");
    List<RawTick> good = ticks(TOKEN_A, 50, 0);
    produce(s.topic(), good.subList(0, 20));
    producer.send(new ProducerRecord<>(s.topic(), "x", "{not json".getBytes(StandardCharsets.UTF_8))).get();
    producer.send(new ProducerRecord<>(s.topic(), "x", "{\"token\":408065,\"ts\":1763900000000000000,\"price\":\"abc\",\"qty\":\"1\",\"seq\":99}"
        .getBytes(StandardCharsets.UTF_8))).get();
    producer.send(new ProducerRecord<>(s.topic(), "NSE:NOPE", RawTickJson.write(RawTick.bySymbol(Exchange.NSE, "NOPE", T0, "1", "1", 1, Tick.NO_TRADE_ID))
        .getBytes(StandardCharsets.UTF_8))).get();
    produce(s.topic(), good.subList(20, 50));

    KafkaFeed.Running running = feed(s).start();
    awaitStored(TOKEN_A, 50);
    List<ConsumerRecord<String, byte[]>> dead = readAll(s.dlqTopic(), 3);
    running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(3, dead.size());
    List<String> reasons = dead.stream().map(r -> new String(r.headers().lastHeader(KafkaFeed.REASON_HEADER).value(), StandardCharsets.UTF_8)).toList();
    assertTrue(reasons.stream().anyMatch(r -> r.contains("price")), "a reason names the bad field: " + reasons);
    assertTrue(reasons.stream().anyMatch(r -> r.contains("NSE:NOPE")), "a reason names the unknown instrument: " + reasons);
    assertTrue(dead.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals("{not json")), "the record is kept as it was");
    assertEquals(3.0, node.metrics().source("kafka").deadLetterCount());
  }

  @Test
  void storedTicksAndFinalBarsArePublishedOnTheOutboundTopics() throws Exception {
    KafkaSettings s = settings("out");
    node.outbound(new KafkaOutbound(producer, s.ticksOutTopic(), s.barsOutTopic(), node.instruments(),
        (t, i) -> "{\"type\":\"tick\",\"token\":" + t.token() + ",\"seq\":" + t.seq() + "}",
        (b, i) -> "{\"type\":\"bar\",\"token\":" + b.token() + ",\"tf\":\"" + b.tf().label() + "\"}"));
    // 3 s of ticks, then one 10 s later: the 1s bars of the first 3 s are final.
    List<RawTick> in = new ArrayList<>(ticks(TOKEN_B, 30, 0));
    in.add(RawTick.byToken(TOKEN_B, T0 + 10_000_000_000L, "1501", "1", 30, Tick.NO_TRADE_ID));
    for (int i = 0; i < 30; i++) {
      RawTick t = in.get(i);
      in.set(i, RawTick.byToken(TOKEN_B, T0 + i * 100_000_000L, t.price(), t.qty(), t.seq(), Tick.NO_TRADE_ID));
    }
    produce(s.topic(), in);
    KafkaFeed.Running running = feed(s).start();
    awaitStored(TOKEN_B, 31);
    node.flushWriter().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<ConsumerRecord<String, byte[]>> ticksOut = readAll(s.ticksOutTopic(), 31);
    List<ConsumerRecord<String, byte[]>> barsOut = readAll(s.barsOutTopic(), 3);
    running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(31, ticksOut.size());
    assertTrue(ticksOut.stream().allMatch(r -> r.key().equals(Long.toString(TOKEN_B))), "key = token");
    assertTrue(barsOut.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"tf\":\"1s\"")), "final 1s bars published");
  }

  /** Reads {@code topic} from the start until at least {@code atLeast} records came (or 30 s passed). */
  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
