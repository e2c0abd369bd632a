package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * {@link LiveMarket} over the sharded instrument entities and their per-instrument topics. Subscriptions go through the
 * node's {@link MarketHub}: local and cheap, gap-checked, caught up from {@code ticks} after a hole.
 */
public final class ShardedLiveMarket implements LiveMarket {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final ActorRef<MarketHub.Command> hub;

  public ShardedLiveMarket(ActorSystem<?> system, MarketTopics topics, Duration askTimeout, io.tickloom.persistence.TickQueries ticks,
      java.util.concurrent.Executor blocking, MarketHub.Settings hubSettings) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.hub = system.systemActorOf(MarketHub.create(topics, token -> sharding.entityRefFor(InstrumentEntity.TYPE_KEY,
        InstrumentEntity.entityId(token)).tell(InstrumentEntity.Listen.INSTANCE), ticks, blocking, hubSettings), "market-hub",
        org.apache.pekko.actor.typed.Props.empty());
  }

  @Override
  public CompletionStage<Optional<Bar>> formingBar(long token, Timeframe tf) {
    return Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
            .<InstrumentEntity.FormingBar>ask(replyTo -> new InstrumentEntity.GetForming(tf, replyTo), askTimeout))
        .thenApply(f -> Optional.ofNullable(f.bar()));
  }

  @Override
  public CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(long token, Timeframe tf) {
    return Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
            .<InstrumentEntity.FormingIndicators>ask(replyTo -> new InstrumentEntity.GetFormingIndicators(tf, replyTo), askTimeout))
        .thenApply(f -> Optional.ofNullable(f.update()));
  }

  @Override
  public CompletionStage<java.util.OptionalLong> lastPrice(long token) {
    return Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
            .<InstrumentEntity.LastPrice>ask(InstrumentEntity.GetLastPrice::new, askTimeout))
        .thenApply(l -> l.known() ? java.util.OptionalLong.of(l.price()) : java.util.OptionalLong.empty());
  }

  /** Status of the instrument's entity (sequence, counters). */
  public CompletionStage<InstrumentEntity.Status> status(long token) {
    return Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
        .ask(InstrumentEntity.GetStatus::new, askTimeout));
  }

  @Override
  public void subscribe(long token, ActorRef<MarketEvent> subscriber) {
    hub.tell(new MarketHub.Subscribe(token, subscriber));
  }

  @Override
  public void unsubscribe(long token, ActorRef<MarketEvent> subscriber) {
    hub.tell(new MarketHub.Unsubscribe(token, subscriber));
  }
}
