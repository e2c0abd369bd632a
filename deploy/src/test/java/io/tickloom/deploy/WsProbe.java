package io.tickloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real WebSocket client ({@code java.net.http}) of {@code /ws} that records what the server sends: every frame is
 * counted by its {@code type} (the first member, read without parsing the frame, so a storm of backfills costs the
 * test little), and the small frames that the abuse tests assert on ({@code error}, acks, {@code pong}) are kept parsed.
 * {@link #closed} completes with the server's close status and reason.
 */
final class WsProbe implements WebSocket.Listener, AutoCloseable {
  record Close(int status, String reason) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEPT = List.of("error", "subscribed", "unsubscribed", "pong");

  final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  final List<JsonNode> kept = new CopyOnWriteArrayList<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket ws;

  private WsProbe() {}

  /**
   * Opens {@code /ws} of the node on {@code port} with {@code key} (null: none) as the X-API-Key header. A refused
   * upgrade fails with a {@link java.util.concurrent.CompletionException} holding a
   * {@link java.net.http.WebSocketHandshakeException}.
   */
  static CompletableFuture<WsProbe> open(HttpClient http, int port, String key) {
    WsProbe probe = new WsProbe();
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (key != null) b.header("X-API-Key", key);
    return b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), probe).thenApply(ws -> {
      probe.ws = ws;
      return probe;
    });
  }

  @Override
  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String frame = partial.toString();
      partial.setLength(0);
      String type = type(frame);
      counts.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
      if (KEPT.contains(type)) {
        try {
          kept.add(JSON.readTree(frame));
        } catch (Exception e) {
          counts.computeIfAbsent("unparsable", t -> new AtomicLong()).incrementAndGet();
        }
      }
    }
    w.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** {@code {"type":"tick",...}} -> {@code tick}; frames put {@code type} first. */
  static String type(String frame) {
    String prefix = "{\"type\":\"";
    if (!frame.startsWith(prefix)) return "?";
    int end = frame.indexOf('"', prefix.length());
    return end < 0 ? "?" : frame.substring(prefix.length(), end);
  }

  long count(String type) {
    AtomicLong n = counts.get(type);
    return n == null ? 0 : n.get();
  }

  /** The kept {@code error} frames with {@code code}. */
  List<JsonNode> errors(String code) {
    return kept.stream().filter(f -> f.path("type").asText().equals("error") && f.path("code").asText().equals(code)).toList();
  }

  /** Sends one text message and waits until the client has written it. */
  void send(String text) throws Exception {
    ws.sendText(text, true).get(30, TimeUnit.SECONDS);
  }

  WebSocket socket() {
    return ws;
  }

  /** Closes from the client's side (normal closure) unless the output is closed already. */
  @Override
  public void close() {
    WebSocket w = ws;
    if (w == null || w.isOutputClosed()) return;
    try {
      w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      w.abort();
    }
  }
}
