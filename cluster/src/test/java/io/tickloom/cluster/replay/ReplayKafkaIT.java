package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.testing.EmbeddedKafka;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/** A replay asked to publish puts every replayed tick on {@code raw_ticks.replay} as raw tick JSON with its id in a header. */
class ReplayKafkaIT {

  @Test
  void replayedTicksArePublishedAsRawTicksTaggedWithTheReplayId() throws Exception {
    ReplaySessionsTest.start();
    ActorTestKit kit = ReplaySessionsTest.kit;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(3, KafkaReplayPublisher.DEFAULT_TOPIC);
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
        ReplaySessions sessions = new ReplaySessions(kit.system(), new InMemoryTicks(ReplaySessionsTest.ticks), ReplaySessionsTest.instruments,
            ClusterSettings.fromConfig(kit.system().settings().config()), kit.system().executionContext(), ReplaySettings.DEFAULTS,
            new KafkaReplayPublisher(producer, KafkaReplayPublisher.DEFAULT_TOPIC, ReplaySessionsTest.instruments));
        ReplayRequest r = ReplaySessionsTest.request(ReplayRequest.MAX, false, Timeframe.M1);
        ReplayStatus s = sessions.start(new ReplayRequest(r.tokens(), r.from(), r.to(), r.speed(), r.timeframes(), false, true));
        sessions.subscribe(s.id()).orElseThrow().runWith(Sink.ignore(), kit.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-reader");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
          consumer.subscribe(List.of(KafkaReplayPublisher.DEFAULT_TOPIC));
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (records.size() < ReplaySessionsTest.ticks.size() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
          }
        }
        assertEquals(ReplaySessionsTest.ticks.size(), records.size());
        Map<Long, List<RawTick>> byToken = new HashMap<>();
        for (ConsumerRecord<String, byte[]> rec : records) {
          assertEquals(s.id(), new String(rec.headers().lastHeader(KafkaReplayPublisher.HEADER).value(), StandardCharsets.UTF_8));
          RawTick raw = RawTickJson.parse(rec.value());
          assertEquals(Long.parseLong(rec.key()), raw.token());
          byToken.computeIfAbsent(raw.token(), k -> new ArrayList<>()).add(raw);
        }
        for (Map.Entry<Long, List<RawTick>> e : byToken.entrySet()) {
          List<Tick> expected = ReplaySessionsTest.ticks.stream().filter(t -> t.token() == e.getKey()).toList();
          assertEquals(expected.stream().map(Tick::seq).toList(), e.getValue().stream().map(RawTick::seq).toList(), "per instrument in order");
          assertTrue(e.getValue().stream().allMatch(x -> x.ts() == expected.get((int) x.seq() - 1).exchangeTs()));
        }
      }
    } finally {
      ReplaySessionsTest.stop();
    }
  }
}
