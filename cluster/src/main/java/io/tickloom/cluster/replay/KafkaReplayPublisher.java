package io.tickloom.cluster.replay;

import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.RawTickJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A replay's ticks to a Kafka topic (default {@value #DEFAULT_TOPIC}) for downstream systems: key = token, value = the
 * raw tick JSON of SPEC §8 (what {@code raw_ticks} takes, so another node can ingest it), header {@value #HEADER} = the
 * replay id. Per instrument the records keep exchange-time order (one key, one partition). A batch completes when
 * Kafka acknowledged all of its records; the first failure fails the replay (it is not retried into duplicates).
 */
public final class KafkaReplayPublisher implements ReplayPublisher {
  public static final String DEFAULT_TOPIC = "raw_ticks.replay";
  public static final String HEADER = "tickloom-replay";

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final InstrumentDirectory instruments;

  public KafkaReplayPublisher(Producer<String, byte[]> producer, String topic, InstrumentDirectory instruments) {
    this.producer = producer;
    this.topic = topic;
    this.instruments = instruments;
  }

  public String topic() {
    return topic;
  }

  @Override
  public CompletionStage<Void> publish(String replayId, List<Tick> ticks) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (ticks.isEmpty()) {
      done.complete(null);
      return done;
    }
    byte[] id = replayId.getBytes(StandardCharsets.UTF_8);
    AtomicInteger pending = new AtomicInteger(ticks.size());
    for (Tick t : ticks) {
      Instrument i = instruments.find(t.token()).orElse(null);
      if (i == null) {
        if (pending.decrementAndGet() == 0) done.complete(null);
        continue;
      }
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, Long.toString(t.token()),
          RawTickJson.write(t, i).getBytes(StandardCharsets.UTF_8));
      record.headers().add(HEADER, id);
      producer.send(record, (meta, e) -> {
        if (e != null) done.completeExceptionally(e);
        else if (pending.decrementAndGet() == 0) done.complete(null);
      });
    }
    return done;
  }
}
