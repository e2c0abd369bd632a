package io.tickloom.cluster.feed;

import io.tickloom.cluster.IngestMetrics;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.kite.KiteTick;
import io.tickloom.protocol.format.kite.KiteTickMapper;
import io.tickloom.protocol.format.kite.KiteTicker;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Zerodha Kite ticker client ({@code TICKLOOM_FEEDS=kite-ws:URL}). On every (re)connect it subscribes the
 * configured instrument tokens in the configured mode ({@code full} by default: quote fields, OI, exchange time
 * and five levels of depth). Binary tick packets are decoded ({@link KiteTicker}); each snapshot whose cumulative
 * volume grew becomes one trade tick ({@link KiteTickMapper}: qty = the growth, price = last price, the cumulative
 * volume as the feed-independent trade id, no seq: Kite numbers nothing, so such ticks skip gap detection and are
 * deduplicated by volume). Prices are rescaled to the instrument's scale when the instrument is known. Heartbeats
 * (1-byte messages) only keep the idle timer quiet; text messages (Kite's errors and order updates) are logged.
 *
 * <p>Kite's login flow (API key + request token → access token) happens outside Tickloom; the URL carries the
 * result: {@code wss://ws.kite.trade?api_key=KEY&access_token=TOKEN}. The market depth decoded here is not used yet
 * (order books are a later capability).
 */
public final class KiteWsFeed {
  private static final Logger log = LoggerFactory.getLogger(KiteWsFeed.class);

  private KiteWsFeed() {}

  public static Source<Tick, NotUsed> source(ActorSystem<?> system, String name, String url, Feed feed, long[] tokens, KiteTick.Mode mode,
      InstrumentRegistry instruments, IngestMetrics.Source metrics, WebSocketFeed.Settings settings) {
    List<Message> subscribe = List.of(TextMessage.create(KiteTicker.subscribeMessage(tokens)), TextMessage.create(KiteTicker.modeMessage(mode, tokens)));
    // One mapper per materialization, kept across reconnects: a snapshot replayed after a reconnect gives no trade,
    // and the volume traded during an outage becomes one trade.
    return Source.fromMaterializer((mat, attributes) -> ticks(system, name, url, feed, subscribe, new KiteTickMapper(), instruments, metrics, settings))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  private static Source<Tick, NotUsed> ticks(ActorSystem<?> system, String name, String url, Feed feed, List<Message> subscribe,
      KiteTickMapper mapper, InstrumentRegistry instruments, IngestMetrics.Source metrics, WebSocketFeed.Settings settings) {
    WebSocketFeed.Refusals refusals = new WebSocketFeed.Refusals(name, metrics);
    return WebSocketFeed.connect(system, name, url, subscribe, metrics, settings)
        .mapConcat(m -> {
          if (m.text() != null) {
            log.info("{}: text message from the ticker: {}", name, m.text().length() > 500 ? m.text().substring(0, 500) + "..." : m.text());
            return List.<Tick>of();
          }
          List<Tick> out = new ArrayList<>();
          long receiveTs = System.currentTimeMillis() * 1_000_000L;
          try {
            for (KiteTick k : KiteTicker.decodeMessage(m.bytes().asByteBuffer())) {
              Instrument i = instruments.get(k.token());
              Tick t = mapper.onTick(k, receiveTs, feed, i == null ? k.priceScale() : i.priceScale());
              if (t != null) out.add(t);
            }
          } catch (RuntimeException e) {
            refusals.refused("a message", e.getMessage());
          }
          return out;
        });
  }
}
