package io.tickloom.cluster.feed;

import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.format.BinanceStream;
import io.tickloom.protocol.format.BinanceTrades;
import io.tickloom.protocol.format.RawTick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Binance spot trade-stream client ({@code TICKLOOM_FEEDS=binance-ws:URL}): {@code trade} and {@code aggTrade}
 * events, raw or in the combined-stream wrapper ({@code /stream?streams=btcusdt@trade/ethusdt@aggTrade}); other
 * events are ignored. Every trade becomes a tick with {@code tradeId = seq =} the trade (or aggregate) id, so the
 * instrument's sequencer detects gaps from the ids (a reconnect that missed trades shows as a gap, filled if the
 * other feed had them). Symbols not seen before become {@code BINANCE} instruments with their scales
 * ({@link InstrumentResolver}). Reconnects with backoff ({@link WebSocketFeed}). A message that cannot be parsed is
 * counted ({@code tickloom_ingest_source_rejects_total}) and logged, and the stream goes on.
 */
public final class BinanceWsFeed {
  private static final Logger log = LoggerFactory.getLogger(BinanceWsFeed.class);

  private BinanceWsFeed() {}

  public static Source<Tick, NotUsed> source(ActorSystem<?> system, String name, String url, Feed feed, InstrumentResolver resolver,
      IngestMetrics.Source metrics, WebSocketFeed.Settings settings) {
    return Source.fromMaterializer((mat, attributes) -> trades(system, name, url, feed, resolver, metrics, settings))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  private static Source<Tick, NotUsed> trades(ActorSystem<?> system, String name, String url, Feed feed, InstrumentResolver resolver,
      IngestMetrics.Source metrics, WebSocketFeed.Settings settings) {
    WebSocketFeed.Refusals refusals = new WebSocketFeed.Refusals(name, metrics);
    return WebSocketFeed.connect(system, name, url, List.of(), metrics, settings)
        .mapConcat(m -> {
          try {
            String text = m.text() != null ? m.text() : m.bytes().utf8String();
            if (BinanceStream.parse(text) instanceof BinanceStream.Trade t) {
              BinanceStream.BinanceTrade b = t.trade();
              return List.of(new RawTick(0, Exchange.BINANCE, b.symbol(), BinanceTrades.epochNanos(b.tradeTimeMs()), b.price(), b.qty(), b.id(),
                  b.id(), b.buyerMaker() ? Side.SELL : Side.BUY, feed, null, null));
            }
          } catch (RuntimeException e) {
            refusals.refused("a message", e.getMessage());
          }
          return List.<RawTick>of();
        })
        // Instruments are resolved per group of trades, not per trade (one lookup pass, at most one blocking create).
        .groupedWithin(1_000, Duration.ofMillis(5))
        .mapAsync(1, raws -> resolve(resolver, raws, refusals))
        .mapConcat(ticks -> ticks); // counted as the source's ticks where they enter the pipeline (MarketNode.ingest(name, ...))
  }

  private static CompletionStage<List<Tick>> resolve(InstrumentResolver resolver, List<RawTick> raws, WebSocketFeed.Refusals refusals) {
    return resolver.resolveAll(raws, System.currentTimeMillis() * 1_000_000L).thenApply(resolved -> {
      List<Tick> ticks = new ArrayList<>(resolved.size());
      for (InstrumentResolver.Resolved r : resolved) {
        if (r.ok()) ticks.add(r.tick());
        else refusals.refused("a trade", r.error().getMessage());
      }
      return ticks;
    }).exceptionally(e -> {
      for (int i = 0; i < raws.size(); i++) refusals.refused("a trade", "resolving its instrument failed: " + e);
      log.error("resolving instruments failed, {} trades dropped: {}", raws.size(), e.toString());
      return List.of();
    });
  }
}
