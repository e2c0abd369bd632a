package io.tickloom.cluster.feed;

import io.tickloom.cluster.IngestMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket client connection as a never-ending source of whole messages: connects, sends the {@code onConnect}
 * messages (subscriptions), emits every text or binary message received, and when the connection drops, fails to
 * open, or stays silent longer than {@code idleTimeout}, logs why and connects again after an exponential backoff
 * (with jitter). Connects, disconnects and reconnects are counted on the source's meters
 * ({@code tickloom_feed_disconnects_total}, {@code tickloom_feed_reconnects_total}, {@code tickloom_feed_connected}).
 * Backpressure reaches the socket: a slow pipeline stops reading from TCP, it does not buffer.
 */
public final class WebSocketFeed {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFeed.class);

  /** A whole message: exactly one of {@code text} and {@code bytes} is set. */
  public record Received(String text, ByteString bytes) {}

  public record Settings(Duration minBackoff, Duration maxBackoff, double randomFactor, Duration idleTimeout) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, Duration.ofSeconds(60));
  }

  private WebSocketFeed() {}

  public static Source<Received, NotUsed> connect(ActorSystem<?> system, String name, String url, List<Message> onConnect,
      IngestMetrics.Source metrics, Settings settings) {
    Materializer mat = Materializer.matFromSystem(system);
    AtomicLong attempts = new AtomicLong();
    AtomicBoolean everConnected = new AtomicBoolean();
    return RestartSource.withBackoff(
        RestartSettings.create(settings.minBackoff(), settings.maxBackoff(), settings.randomFactor()).withMaxRestarts(Integer.MAX_VALUE, settings.maxBackoff()),
        () -> {
          long attempt = attempts.incrementAndGet();
          AtomicBoolean connected = new AtomicBoolean();
          Source<Message, NotUsed> out = Source.from(onConnect).concat(Source.maybe()).mapMaterializedValue(x -> NotUsed.getInstance());
          return out
              .viaMat(Http.get(system).webSocketClientFlow(WebSocketRequest.create(url)), Keep.right())
              .mapMaterializedValue(upgrade -> {
                upgrade.whenComplete((resp, e) -> {
                  if (e == null && resp.response().status().equals(StatusCodes.SWITCHING_PROTOCOLS)) {
                    connected.set(true);
                    boolean again = everConnected.getAndSet(true);
                    metrics.onConnect(again);
                    log.info("{}: connected to {}{}", name, url, again ? " (reconnect, attempt " + attempt + ")" : "");
                  } else {
                    log.warn("{}: could not connect to {}: {}", name, url, e != null ? e.toString() : "HTTP " + resp.response().status());
                  }
                });
                return NotUsed.getInstance();
              })
              .idleTimeout(settings.idleTimeout())
              .watchTermination((nu, done) -> {
                done.whenComplete((d, e) -> {
                  if (connected.get()) {
                    metrics.onDisconnect();
                    log.warn("{}: disconnected from {} ({}); reconnecting with backoff", name, url, e == null ? "closed by the server" : e.toString());
                  }
                });
                return nu;
              })
              .mapAsync(1, m -> whole(m, mat));
        });
  }

  private static CompletionStage<Received> whole(Message m, Materializer mat) {
    if (m.isText()) {
      var t = m.asTextMessage();
      if (t.isStrict()) return CompletableFuture.completedFuture(new Received(t.getStrictText(), null));
      return t.getStreamedText().runFold(new StringBuilder(), StringBuilder::append, mat).thenApply(sb -> new Received(sb.toString(), null));
    }
    var b = m.asBinaryMessage();
    if (b.isStrict()) return CompletableFuture.completedFuture(new Received(null, b.getStrictData()));
    return b.getStreamedData().runFold(ByteString.emptyByteString(), ByteString::concat, mat).thenApply(bs -> new Received(null, bs));
  }

  /**
   * A feed's refused input: each one counted ({@code tickloom_ingest_source_rejects_total}), at most one logged per
   * second (with why), so a garbage stream cannot flood the log. One per materialized feed stream.
   */
  static final class Refusals {
    private final String name;
    private final IngestMetrics.Source metrics;
    private long lastLog;

    Refusals(String name, IngestMetrics.Source metrics) {
      this.name = name;
      this.metrics = metrics;
    }

    void refused(String what, String why) {
      metrics.onReject();
      long now = System.nanoTime();
      if (now - lastLog > 1_000_000_000L) {
        lastLog = now;
        log.warn("{}: refused {} (further refusals this second are only counted): {}", name, what, why);
      }
    }
  }
}
