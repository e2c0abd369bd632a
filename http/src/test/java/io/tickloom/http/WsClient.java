package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A java.net.http WebSocket client for tests. In auto mode it reads as fast as frames come; otherwise it reads
 * nothing until {@link #request} (a slow client: the server's frames back up in TCP and then in its queue).
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  final BlockingQueue<String> raw = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder part = new StringBuilder();
  private volatile boolean auto;
  private WebSocket ws;

  private WsClient(boolean auto) {
    this.auto = auto;
  }

  static WsClient connect(URI uri, boolean auto) throws Exception {
    WsClient c = new WsClient(auto);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, c).get(10, TimeUnit.SECONDS);
    return c;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (auto) webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    part.append(data);
    if (last) {
      raw.add(part.toString());
      part.setLength(0);
    }
    if (auto) webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** From now on read everything. */
  void readAll() {
    auto = true;
    ws.request(Long.MAX_VALUE);
  }

  void send(String text) throws Exception {
    ws.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  String nextRaw() throws InterruptedException {
    String s = raw.poll(15, TimeUnit.SECONDS);
    assertNotNull(s, "no frame within 15 s");
    return s;
  }

  JsonNode next() throws Exception {
    return JSON.readTree(nextRaw());
  }

  /** The next frame, which must be of {@code type}. */
  JsonNode next(String type) throws Exception {
    JsonNode n = next();
    assertEquals(type, n.get("type").asText(), n.toString());
    return n;
  }

  @Override
  public void close() throws Exception {
    if (ws.isOutputClosed()) return;
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!closed.isDone()) throw e; // the server closed first: nothing left to do
    }
  }
}
