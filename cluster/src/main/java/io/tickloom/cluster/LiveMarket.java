package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/** Live state owned by the instrument entities, wherever in the cluster they run. */
public interface LiveMarket {
  /** The bar forming now for {@code token}/{@code tf}, if any (asks the owning entity; times out per config). */
  CompletionStage<Optional<Bar>> formingBar(long token, Timeframe tf);

  /**
   * The indicator values of the bar forming now for {@code token}/{@code tf} ({@code isFinal = false}), empty when no
   * bar forms or the node computes no indicators.
   */
  CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(long token, Timeframe tf);

  /**
   * The instrument's last traded price (fixed-point at its price scale): the price of the accepted tick with the
   * greatest (exchangeTs, seq) the entity has seen since it started or was restored; empty before any.
   */
  CompletionStage<java.util.OptionalLong> lastPrice(long token);

  /** Registers {@code subscriber} for the instrument's {@link MarketEvent}s, from any node. */
  void subscribe(long token, ActorRef<MarketEvent> subscriber);

  void unsubscribe(long token, ActorRef<MarketEvent> subscriber);
}
