package io.tickloom.cluster.feed;

import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.MarketOutbound;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional outbound topics (SPEC §8): every stored tick to {@code ticks.normalized} and every stored final or
 * revised bar to {@code bars.final}, key = token, value = the same JSON frame the WebSocket sends. Sends are
 * asynchronous (the producer batches); a failed send is logged and counted, never retried into a duplicate.
 */
public final class KafkaOutbound implements MarketOutbound {
  private static final Logger log = LoggerFactory.getLogger(KafkaOutbound.class);

  private final Producer<String, byte[]> producer;
  private final String ticksTopic;
  private final String barsTopic;
  private final InstrumentRegistry instruments;
  private final BiFunction<Tick, Instrument, String> tickJson;
  private final BiFunction<Bar, Instrument, String> barJson;
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastFailureLog;

  /** @param ticksTopic or empty for none; @param barsTopic or empty for none */
  public KafkaOutbound(Producer<String, byte[]> producer, String ticksTopic, String barsTopic, InstrumentRegistry instruments,
      BiFunction<Tick, Instrument, String> tickJson, BiFunction<Bar, Instrument, String> barJson) {
    this.producer = producer;
    this.ticksTopic = ticksTopic;
    this.barsTopic = barsTopic;
    this.instruments = instruments;
    this.tickJson = tickJson;
    this.barJson = barJson;
  }

  @Override
  public void ticksStored(List<Tick> ticks) {
    if (ticksTopic.isEmpty()) return;
    for (Tick t : ticks) {
      Instrument i = instruments.get(t.token());
      if (i != null) send(ticksTopic, t.token(), tickJson.apply(t, i));
    }
  }

  @Override
  public void barsStored(List<Bar> bars) {
    if (barsTopic.isEmpty()) return;
    for (Bar b : bars) {
      Instrument i = instruments.get(b.token());
      if (i != null) send(barsTopic, b.token(), barJson.apply(b, i));
    }
  }

  private void send(String topic, long token, String json) {
    producer.send(new ProducerRecord<>(topic, Long.toString(token), json.getBytes(StandardCharsets.UTF_8)), (meta, e) -> {
      if (e == null) return;
      failures.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastFailureLog > 5_000_000_000L) {
        lastFailureLog = now;
        log.warn("publishing to {} failed ({} failures so far): {}", topic, failures.get(), e.toString());
      }
    });
  }

  public long failures() {
    return failures.get();
  }
}
