package io.tickloom.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real WebSocket client of a node's {@code /ws} (java.net.http) that subscribes channels (by default {@code ticks})
 * for a list of instruments and records every frame with its arrival time ({@link FaultClock}, epoch nanos): tick
 * frames per token (seq, trade id, exchange time), backfill ticks apart, {@code dropped} notices, and every frame of a
 * type it does not know (a future {@code resync}) raw, as it came. Subscriptions are spread over as many connections as
 * the server's per-connection limit asks.
 *
 * <p>It reads as fast as frames come (never a slow client), so a {@code dropped} notice means the server dropped, not
 * this client. Thread-safe: each connection's frames are handled by its own listener; the records are concurrent
 * queues read by snapshot.
 */
public final class WsRecorder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Frame types of SPEC §6 / http/README.md; anything else is kept raw in {@link #unknownFrames()}. */
  static final Set<String> KNOWN = Set.of("subscribed", "unsubscribed", "backfill", "tick", "bar", "gap", "dropped", "error", "pong",
      "indicator", "depth", "metrics", "order_event");

  /** A tick as a client saw it: {@code dkey} is the store's dedupe key (trade id when present, else seq). */
  public record TickFrame(long token, long dkey, long seq, long exchangeTs, long arrival, String feed, String status) {
    /** End-to-end delay: arrival at this client minus the tick's exchange time (both this machine's clock). */
    public long latency() {
      return arrival - exchangeTs;
    }
  }

  /** A frame kept as it came. */
  public record RawFrame(int connection, String type, long arrival, String text) {}

  /** A connection that closed or failed while recording. */
  public record Closure(int connection, long at, String why) {}

  private final ConcurrentLinkedQueue<TickFrame> ticks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<TickFrame> backfillTicks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RawFrame> dropped = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RawFrame> errors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RawFrame> unknown = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Closure> closures = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final AtomicLong droppedFrames = new AtomicLong();
  private final AtomicLong lastTickArrival = new AtomicLong();
  private final AtomicLong maxExchangeTs = new AtomicLong();
  private final List<Connection> connections = new ArrayList<>();
  private final List<Long> tokens;
  private final List<String> channels;

  private WsRecorder(List<Long> tokens, List<String> channels) {
    this.tokens = List.copyOf(tokens);
    this.channels = List.copyOf(channels);
  }

  /**
   * Connects to {@code ws} and subscribes {@code channels} for {@code tokens}, at most {@code maxSubscriptions}
   * (token, channel) pairs per connection; returns once every connection is subscribed and has its backfills (or throws
   * when that takes longer than {@code within}).
   */
  public static WsRecorder open(URI ws, List<Long> tokens, List<String> channels, int maxSubscriptions, Duration within)
      throws Exception {
    WsRecorder r = new WsRecorder(tokens, channels);
    int perConnection = Math.max(1, maxSubscriptions / channels.size());
    try {
      for (int from = 0; from < tokens.size(); from += perConnection) {
        List<Long> part = tokens.subList(from, Math.min(tokens.size(), from + perConnection));
        Connection c = new Connection(r, r.connections.size() + 1, part);
        r.connections.add(c);
        c.open(ws, within);
      }
      for (Connection c : r.connections) c.awaitSubscribed(within);
    } catch (Exception e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** Tick frames received so far (live, not backfill), in arrival order per connection. */
  public List<TickFrame> ticks() {
    return List.copyOf(ticks);
  }

  public List<TickFrame> backfillTicks() {
    return List.copyOf(backfillTicks);
  }

  public List<RawFrame> droppedNotices() {
    return List.copyOf(dropped);
  }

  /** Sum of the {@code dropped} notices' counts: frames the server dropped for this client. */
  public long droppedFrames() {
    return droppedFrames.get();
  }

  public List<RawFrame> errorFrames() {
    return List.copyOf(errors);
  }

  /** Frames of a type this recorder does not know, raw. */
  public List<RawFrame> unknownFrames() {
    return List.copyOf(unknown);
  }

  public List<Closure> closures() {
    return List.copyOf(closures);
  }

  /** Frames received per type. */
  public Map<String, Long> counts() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Arrival (epoch nanos) of the latest tick frame; 0 before any. */
  public long lastTickArrival() {
    return lastTickArrival.get();
  }

  /** The greatest exchange time of any tick frame received; 0 before any. */
  public long maxExchangeTs() {
    return maxExchangeTs.get();
  }

  public List<Long> tokens() {
    return tokens;
  }

  public List<String> channels() {
    return channels;
  }

  @Override
  public void close() {
    for (Connection c : connections) c.close();
  }

  private void onFrame(int connection, String text, long arrival) {
    JsonNode f;
    try {
      f = JSON.readTree(text);
    } catch (Exception e) {
      unknown.add(new RawFrame(connection, "(unparseable)", arrival, text));
      return;
    }
    String type = f.path("type").asText("");
    counts.computeIfAbsent(type, t -> new LongAdder()).increment();
    switch (type) {
      case "tick" -> {
        TickFrame t = tick(f, arrival);
        ticks.add(t);
        lastTickArrival.accumulateAndGet(arrival, Math::max);
        maxExchangeTs.accumulateAndGet(t.exchangeTs(), Math::max);
      }
      case "backfill" -> {
        if ("ticks".equals(f.path("channel").asText())) {
          for (JsonNode item : f.path("items")) backfillTicks.add(tick(item, arrival));
        }
      }
      case "dropped" -> {
        dropped.add(new RawFrame(connection, type, arrival, text));
        droppedFrames.addAndGet(f.path("dropped").asLong());
      }
      case "error" -> errors.add(new RawFrame(connection, type, arrival, text));
      default -> {
        if (!KNOWN.contains(type)) unknown.add(new RawFrame(connection, type, arrival, text));
      }
    }
  }

  private static TickFrame tick(JsonNode f, long arrival) {
    long seq = f.path("seq").asLong(-1);
    JsonNode tradeId = f.get("tradeId");
    long dkey = tradeId != null && !tradeId.isNull() ? tradeId.asLong() : seq;
    long ts = FaultClock.nanos(Instant.parse(f.path("exchangeTs").asText()));
    return new TickFrame(f.path("token").asLong(), dkey, seq, ts, arrival, f.path("feed").asText(null), f.path("status").asText(null));
  }

  /** One WebSocket connection and its share of the subscriptions. */
  private static final class Connection implements WebSocket.Listener {
    private final WsRecorder recorder;
    private final int id;
    private final List<Long> tokens;
    private final StringBuilder part = new StringBuilder();
    private final CompletableFuture<String> subscribed = new CompletableFuture<>();
    private final LongAdder backfills = new LongAdder();
    private volatile WebSocket ws;

    Connection(WsRecorder recorder, int id, List<Long> tokens) {
      this.recorder = recorder;
      this.id = id;
      this.tokens = tokens;
    }

    void open(URI uri, Duration within) throws Exception {
      ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this)
          .get(within.toMillis(), TimeUnit.MILLISECONDS);
      String request = JSON.writeValueAsString(Map.of("action", "subscribe", "id", "rec-" + id, "channels", recorder.channels,
          "tokens", tokens));
      ws.sendText(request, true).get(10, TimeUnit.SECONDS);
    }

    void awaitSubscribed(Duration within) throws Exception {
      String answer = subscribed.get(within.toMillis(), TimeUnit.MILLISECONDS);
      if (!answer.contains("\"subscribed\"")) throw new IllegalStateException("connection " + id + ": subscribe refused: " + answer);
      long expected = (long) tokens.size() * recorder.channels.size();
      if (!Await.within(within, Duration.ofMillis(100), () -> backfills.sum() >= expected)) {
        throw new TimeoutException("connection " + id + ": " + backfills.sum() + " of " + expected + " backfills within " + within);
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        long arrival = FaultClock.now();
        String text = part.toString();
        part.setLength(0);
        if (!subscribed.isDone() && (text.contains("\"subscribed\"") || text.contains("\"error\"")) && text.contains("\"rec-" + id + "\"")) {
          subscribed.complete(text);
        }
        if (text.startsWith("{\"type\":\"backfill\"")) backfills.increment();
        recorder.onFrame(id, text, arrival);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      recorder.closures.add(new Closure(id, FaultClock.now(), "closed " + statusCode + " " + reason));
      subscribed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      recorder.closures.add(new Closure(id, FaultClock.now(), "failed: " + error));
      subscribed.completeExceptionally(error);
    }

    void close() {
      WebSocket w = ws;
      if (w == null) return;
      try {
        w.sendClose(WebSocket.NORMAL_CLOSURE, "recording done").get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        w.abort();
      }
    }
  }
}
