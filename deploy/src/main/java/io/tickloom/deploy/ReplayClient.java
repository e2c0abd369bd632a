package io.tickloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * {@code tickloom replay} (SPEC §7): starts a replay on a running node ({@code POST /api/v1/replays}), subscribes to its
 * final bars on the WebSocket ({@code replay:<id>:bars}; the session starts producing when this subscriber attaches,
 * so nothing is missed) and prints every {@code replay_bar} frame as one JSON line on {@code out} until the
 * {@code replay_end} frame, whose summary goes to {@code err}. Exit codes: 0 ended, 1 the replay did not end normally
 * (cancelled, failed, or frames were dropped because this client read too slowly), 2 it could not run.
 */
public final class ReplayClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final String key;

  /** @param base the node, e.g. {@code http://127.0.0.1:8080/}; {@code key} the API key the session will belong to */
  public ReplayClient(URI base, String key, PrintStream out, PrintStream err) {
    this.base = base;
    this.key = key;
    this.out = out;
    this.err = err;
  }

  /** Thrown when the replay cannot run; the message says why. */
  public static final class ReplayFailure extends Exception {
    public ReplayFailure(String message) {
      super(message);
    }
  }

  /**
   * Runs the replay to its end, printing its final bars.
   *
   * @param from, to ISO-8601 or epoch milliseconds, as the node takes them
   * @param speed a positive number (1 = real time) or {@code max}
   * @param tf timeframe(s) of the bars printed, e.g. {@code 1m} or {@code 1s,1m}
   * @return the exit code (0 ended, 1 not ended normally or frames lost)
   */
  public int run(List<Long> tokens, String from, String to, String speed, String tf) throws ReplayFailure, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    tokens.forEach(body.putArray("tokens")::add);
    body.put("from", from);
    if (to != null) body.put("to", to);
    body.put("speed", speed);
    body.put("tf", tf);
    HttpResponse<String> created;
    try {
      created = http.send(HttpRequest.newBuilder(base.resolve("api/v1/replays")).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new ReplayFailure("cannot reach " + base + ": " + e);
    }
    JsonNode answer = parse(created.body());
    if (created.statusCode() != 201) {
      String field = answer.path("errors").path(0).path("field").asText("");
      throw new ReplayFailure("the node refused the replay (" + created.statusCode() + ")" + (field.isEmpty() ? "" : " [" + field + "]") + ": "
          + answer.path("detail").asText(created.body()));
    }
    String id = answer.path("id").asText();
    Thread cancelOnExit = new Thread(() -> cancel(id));
    Runtime.getRuntime().addShutdownHook(cancelOnExit);
    try {
      return stream(id);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
  }

  private int stream(String id) throws ReplayFailure, InterruptedException {
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("ws");
    Listener listener = new Listener(id);
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).header("X-API-Key", key).buildAsync(ws, listener).get();
      socket.sendText("{\"action\":\"subscribe\",\"channels\":[\"replay:" + id + ":bars\"]}", true).get();
    } catch (ExecutionException e) {
      cancel(id);
      throw new ReplayFailure("cannot open " + ws + ": " + e.getCause());
    }
    try {
      return listener.done.get();
    } catch (ExecutionException e) {
      throw new ReplayFailure("replay " + id + ": " + e.getCause().getMessage());
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  private void cancel(String id) {
    try {
      http.send(HttpRequest.newBuilder(base.resolve("api/v1/replays/" + id)).timeout(Duration.ofSeconds(5)).header("X-API-Key", key).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      // best effort: an abandoned session is cancelled by the node once nobody subscribes
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** Prints bars as they come; completes with the exit code on {@code replay_end}. */
  private final class Listener implements WebSocket.Listener {
    final String id;
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    final StringBuilder part = new StringBuilder();
    long bars;
    long dropped;

    Listener(String id) {
      this.id = id;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        String frame = part.toString();
        part.setLength(0);
        onFrame(frame);
      }
      webSocket.request(1);
      return null;
    }

    private void onFrame(String frame) {
      JsonNode n = parse(frame);
      switch (n.path("type").asText()) {
        case "replay_bar" -> {
          out.println(frame);
          bars++;
        }
        case "replay_end" -> {
          out.flush();
          String state = n.path("state").asText();
          err.printf("replay %s %s: %d bars printed, %d ticks replayed, position %s%s%n", id, state.toLowerCase(java.util.Locale.ROOT), bars,
              n.path("ticksSent").asLong(), n.path("position").asText(), dropped > 0 ? ", " + dropped + " frames dropped (client too slow)" : "");
          done.complete(state.equals("ENDED") && dropped == 0 ? 0 : 1);
        }
        case "dropped" -> dropped += n.path("dropped").asLong();
        case "error" -> done.completeExceptionally(new IllegalStateException(n.path("message").asText(frame)));
        default -> { } // subscribed, unsubscribed
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      done.completeExceptionally(new IllegalStateException("the node closed the connection (" + statusCode + " " + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      done.completeExceptionally(error);
    }
  }
}
