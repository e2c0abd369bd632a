package io.tickloom.cluster.feed;

import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.InstrumentResolver;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.BinanceStream;
import io.tickloom.protocol.format.RawTick;
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
    long[] lastRejectLog = {0};
    return WebSocketFeed.connect(system, name, url, List.of(), metrics, settings)
        .map(m -> {
          List<RawTick> out = new ArrayList<>(1);
          try {
            String text = m.text() != null ? m.text() : m.bytes().utf8String();
            if (BinanceStream.parse(text) instanceof BinanceStream.Trade t) {
              BinanceStream.BinanceTrade b = t.trade();
              out.add(new RawTick(0, Exchange.BINANCE, b.symbol(), io.tickloom.protocol.format.BinanceTrades.epochNanos(b.tradeTimeMs()), b.price(), b.qty(), b.id(), b.id(),
                  b.buyerMaker() ? io.tickloom.protocol.Side.SELL : io.tickloom.protocol.Side.BUY, feed, null, null));
            }
          } catch (RuntimeException e) {
            metrics.onReject();
            long now = System.nanoTime();
            if (now - lastRejectLog[0] > 1_000_000_000L) {
              lastRejectLog[0] = now;
              log.warn("{}: refused a message (further ones this second only counted): {}", name, e.getMessage());
            }
          }
          return out;
        })
        .filter(l -> !l.isEmpty())
        .mapAsync(1, raws -> resolve(resolver, raws, metrics, name))
        .mapConcat(ticks -> ticks); // counted as the source's ticks where they enter the pipeline (MarketNode.ingest(name, ...))
  }

  private static CompletionStage<List<Tick>> resolve(InstrumentResolver resolver, List<RawTick> raws, IngestMetrics.Source metrics, String name) {
    return resolver.resolveAll(raws, System.currentTimeMillis() * 1_000_000L).thenApply(resolved -> {
      List<Tick> ticks = new ArrayList<>(resolved.size());
      for (InstrumentResolver.Resolved r : resolved) {
        if (r.ok()) ticks.add(r.tick());
        else {
          metrics.onReject();
          log.warn("{}: refused a trade: {}", name, r.error().getMessage());
        }
      }
      return ticks;
    }).exceptionally(e -> {
      for (int i = 0; i < raws.size(); i++) metrics.onReject();
      log.error("{}: resolving instruments failed, {} trades dropped: {}", name, raws.size(), e.toString());
      return List.of();
    });
  }
}
