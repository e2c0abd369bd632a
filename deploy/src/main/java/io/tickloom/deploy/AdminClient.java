package io.tickloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code tickloom admin}: the operator's commands against a running node, over its admin API (an API key with the role
 * {@code admin}). Dead letters of the read side are listed and retried; kill switches are shown, thrown and released.
 * Each command prints one line per item, tab-separated, on {@code out}; a refusal prints the node's problem on
 * {@code err}. Exit codes: 0 done, 1 dead letters remain open after a retry, 2 the node refused or could not be reached.
 */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String key;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Thrown when the node refuses a command or cannot be reached; the message says why. */
  public static final class AdminFailure extends Exception {
    public AdminFailure(String message) {
      super(message);
    }
  }

  /** @param base the node, e.g. {@code http://127.0.0.1:8080/}; {@code key} an API key with the role {@code admin} */
  public AdminClient(URI base, String key, PrintStream out, PrintStream err) {
    this.base = base;
    this.key = key;
    this.out = out;
    this.err = err;
  }

  /**
   * Lists the dead letters ({@code all}: resolved ones too), or with {@code retry} applies the open ones again first and
   * then lists what is still open. Answers the exit code.
   */
  public int deadLetters(boolean all, boolean retry) throws AdminFailure {
    if (retry) {
      JsonNode r = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/dead-letters/retry")).POST(HttpRequest.BodyPublishers.noBody()));
      err.println("retried: " + r.path("resolved").asInt() + " resolved, " + r.path("open").asInt() + " still open");
    }
    JsonNode list = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/dead-letters?limit=10000&open=" + !all)).GET());
    out.println("id\tsource\tpersistenceId\tseqNr\teventType\tretries\tcreatedAt\tresolvedAt\terror");
    int open = 0;
    for (JsonNode d : list.path("items")) {
      if (!d.has("resolvedAt")) open++;
      out.println(String.join("\t", d.path("id").asText(), d.path("source").asText(), d.path("persistenceId").asText(),
          d.path("seqNr").asText(), d.path("eventType").asText(), d.path("retries").asText(), d.path("createdAt").asText(),
          d.path("resolvedAt").asText("-"), d.path("error").asText().replace('\t', ' ').replace('\n', ' ')));
    }
    return retry && open > 0 ? 1 : 0;
  }

  /**
   * Shows the kill switches, or first sets one: {@code halted} true throws it, false releases it, null only shows;
   * {@code account} null is the global switch.
   */
  public int killSwitch(String account, Boolean halted, String reason) throws AdminFailure {
    JsonNode state;
    if (halted == null) {
      state = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/kill-switch")).GET());
    } else {
      ObjectNode body = JSON.createObjectNode();
      if (account != null) body.put("account", account);
      body.put("halted", halted);
      if (reason != null) body.put("reason", reason);
      state = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/kill-switch")).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }
    out.println("scope\thalted\treason\tby\tat");
    for (JsonNode c : state.path("items")) {
      out.println(String.join("\t", c.path("scope").asText(), c.path("halted").asText(), c.path("reason").asText("-"),
          c.path("by").asText("-"), c.path("at").asText("-")));
    }
    err.println(state.path("global").asBoolean() ? "global: HALTED (no order of any account is accepted)" : "global: trading");
    return 0;
  }

  private JsonNode send(HttpRequest.Builder request) throws AdminFailure {
    HttpResponse<String> r;
    try {
      r = http.send(request.timeout(Duration.ofSeconds(60)).header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AdminFailure("cannot reach " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminFailure("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AdminFailure("the node answered " + r.statusCode() + " with a body that is not JSON");
    }
    if (r.statusCode() / 100 != 2) {
      String field = body.path("errors").path(0).path("field").asText("");
      throw new AdminFailure("the node refused (" + r.statusCode() + ")" + (field.isEmpty() ? "" : " [" + field + "]") + ": "
          + body.path("detail").asText(body.path("title").asText(r.body())));
    }
    return body;
  }
}
