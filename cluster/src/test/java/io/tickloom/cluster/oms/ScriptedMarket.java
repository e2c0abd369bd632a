package io.tickloom.cluster.oms;

import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The market as the paper broker sees it, scripted by a test: last prices the test sets, subscribers it pushes ticks
 * to, and (optionally) every (un)subscription reported to an actor, so a test can wait for it.
 */
final class ScriptedMarket implements LiveMarket {
  record Subscription(long token, boolean subscribed) {}

  private static final AtomicLong SEQ = new AtomicLong();

  final Map<Long, Long> last = new ConcurrentHashMap<>();
  final Map<Long, ActorRef<MarketEvent>> subscribers = new ConcurrentHashMap<>();
  private final ActorRef<Subscription> subscriptions;

  /** @param subscriptions told every (un)subscription, or null */
  ScriptedMarket(ActorRef<Subscription> subscriptions) {
    this.subscriptions = subscriptions;
  }

  @Override
  public CompletionStage<Optional<Bar>> formingBar(long token, Timeframe tf) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(long token, Timeframe tf) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<OptionalLong> lastPrice(long token) {
    Long p = last.get(token);
    return CompletableFuture.completedFuture(p == null ? OptionalLong.empty() : OptionalLong.of(p));
  }

  @Override
  public void subscribe(long token, ActorRef<MarketEvent> subscriber) {
    subscribers.put(token, subscriber);
    if (subscriptions != null) subscriptions.tell(new Subscription(token, true));
  }

  @Override
  public void unsubscribe(long token, ActorRef<MarketEvent> subscriber) {
    subscribers.remove(token, subscriber);
    if (subscriptions != null) subscriptions.tell(new Subscription(token, false));
  }

  /** Ticks trading {@code qty} at each of {@code prices}, in one batch, to the instrument's subscriber. */
  void trade(long token, long qty, long... prices) {
    List<Tick> ticks = new ArrayList<>();
    for (long p : prices) {
      long seq = SEQ.incrementAndGet();
      ticks.add(Tick.of(token, seq, seq, p, qty, seq, Feed.PRIMARY));
    }
    subscribers.get(token).tell(new MarketEvent.Ticks(token, ticks));
  }
}
