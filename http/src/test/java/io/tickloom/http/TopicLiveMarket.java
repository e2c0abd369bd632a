package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * A real {@link LiveMarket} for tests without instrument entities: one Pekko {@link Topic} per instrument (as the
 * cluster module's implementation uses), forming bars and forming indicator values set by the test, events published by the test.
 */
final class TopicLiveMarket implements LiveMarket {
  private final ActorSystem<?> system;
  private final ConcurrentHashMap<Long, ActorRef<Topic.Command<MarketEvent>>> topics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Bar> forming = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, MarketEvent.IndicatorUpdate> formingIndicators = new ConcurrentHashMap<>();

  TopicLiveMarket(ActorSystem<?> system) {
    this.system = system;
  }

  ActorRef<Topic.Command<MarketEvent>> topic(long token) {
    return topics.computeIfAbsent(token,
        t -> system.systemActorOf(Topic.create(MarketEvent.class, "test-market-" + t), "test-market-topic-" + t, Props.empty()));
  }

  @Override
  public CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(long token, Timeframe tf) {
    return CompletableFuture.completedFuture(Optional.ofNullable(formingIndicators.get(token + ":" + tf.label())));
  }

  void setFormingIndicators(MarketEvent.IndicatorUpdate values) {
    formingIndicators.put(values.token() + ":" + values.tf().label(), values);
  }

  /** The close of the forming bar the test set last for the token, as an entity's last trade would be. */
  @Override
  public CompletionStage<java.util.OptionalLong> lastPrice(long token) {
    Bar last = lastForming.get(token);
    return CompletableFuture.completedFuture(last == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(last.close()));
  }

  private final ConcurrentHashMap<Long, Bar> lastForming = new ConcurrentHashMap<>();

  void setForming(Bar bar) {
    lastForming.put(bar.token(), bar);
    forming.put(bar.token() + ":" + bar.tf().label(), bar);
  }

  void publish(MarketEvent event) {
    topic(event.token()).tell(Topic.publish(event));
  }

  /** Waits until {@code n} subscribers of {@code token} are registered with the topic. */
  void awaitSubscribers(long token, int n) {
    TestProbe<Topic.TopicStats> probe = TestProbe.create(system);
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      topic(token).tell(Topic.getTopicStats(probe.ref()));
      assertEquals(n, probe.receiveMessage().localSubscriberCount(), "subscribers of " + token);
      return null;
    });
  }

  @Override
  public CompletionStage<Optional<Bar>> formingBar(long token, Timeframe tf) {
    return CompletableFuture.completedFuture(Optional.ofNullable(forming.get(token + ":" + tf.label())));
  }

  @Override
  public void subscribe(long token, ActorRef<MarketEvent> subscriber) {
    topic(token).tell(Topic.subscribe(subscriber));
  }

  @Override
  public void unsubscribe(long token, ActorRef<MarketEvent> subscriber) {
    topic(token).tell(Topic.unsubscribe(subscriber));
  }
}
