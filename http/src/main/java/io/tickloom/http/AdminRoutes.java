package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.oms.KillSwitch;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.persistence.DeadLetterStore;
import io.tickloom.persistence.RiskControlStore;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.format.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operator endpoints below {@code /api/v1/admin}, for keys with the role {@code admin} (401 without a key, 403 without
 * the role):
 * <ul>
 *   <li>{@code GET /api/v1/admin/kill-switch}: the run-time kill switches; {@code PUT} with
 *       {@code {"account":"ACC","halted":true,"reason":"..."}} throws or releases one (no {@code account}: every account).
 *       While halted, new orders and modifies of the scope are refused (422); cancels go through;</li>
 *   <li>{@code GET /api/v1/admin/dead-letters?open=true&limit=}: events the read side could not apply;
 *       {@code POST /api/v1/admin/dead-letters/retry}: applies the open ones again, oldest first.</li>
 * </ul>
 */
final class AdminRoutes extends AllDirectives {
  static final String ROLE = "admin";
  private static final long MAX_BODY_BYTES = 4 << 10;

  private final HttpContext ctx;

  AdminRoutes(HttpContext ctx) {
    this.ctx = ctx;
  }

  Route route() {
    return pathPrefix("admin", () -> extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      return withAdmin(instance, key -> concat(
          path("kill-switch", () -> concat(
              get(() -> completeWithFuture(withKillSwitch(instance, k -> k.controls().thenApply(AdminRoutes::switches)))),
              put(() -> JsonBodies.body(instance, MAX_BODY_BYTES, body -> setSwitch(instance, key, body))))),
          path("dead-letters", () -> get(() -> completeWithFuture(deadLetters(instance, uri)))),
          path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("dead-letters").slash("retry"),
              () -> post(() -> completeWithFuture(retry(instance))))));
    }));
  }

  private Route withAdmin(String instance, Function<ApiKeys.Key, Route> inner) {
    return optionalHeaderValueByName("X-API-Key", presented -> {
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.orElse(null));
      if (key.isEmpty()) {
        return complete(Problem.unauthorized(instance, presented.isEmpty() ? "this endpoint needs an X-API-Key header" : "unknown API key").toResponse());
      }
      if (!key.get().admin()) return complete(Problem.forbidden(instance, "the API key lacks the role '" + ROLE + "'").toResponse());
      if (ctx.orders() == null) return complete(Problem.unavailable(instance).toResponse());
      return inner.apply(key.get());
    });
  }

  private CompletionStage<HttpResponse> withKillSwitch(String instance, Function<KillSwitch, CompletionStage<HttpResponse>> inner) {
    KillSwitch k = ctx.orders().killSwitch();
    if (k == null) return CompletableFuture.completedFuture(Problem.unavailable(instance).toResponse());
    return inner.apply(k);
  }

  /** The kill switches on the wire: {@code {"global": bool, "items": [...]}}, each item as stored. */
  static HttpResponse switches(List<RiskControlStore.Control> all) {
    boolean global = all.stream().anyMatch(c -> c.scope().equals(RiskControlStore.ALL) && c.halted());
    List<Map<String, Object>> items = all.stream().map(c -> {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("scope", c.scope().equals(RiskControlStore.ALL) ? "all" : c.scope());
      m.put("halted", c.halted());
      if (c.reason() != null) m.put("reason", c.reason());
      m.put("by", c.updatedBy());
      m.put("at", Timestamps.format(c.updatedAt()));
      return m;
    }).toList();
    return Json.ok(Map.of("global", global, "items", items));
  }

  private CompletionStage<HttpResponse> setSwitch(String instance, ApiKeys.Key key, byte[] body) {
    String account;
    boolean halted;
    String reason;
    try {
      JsonNode n = JsonBodies.object(body);
      account = BodyFields.text(n, "account", 64, false);
      if (account != null && !OrderId.validAccount(account)) throw new FieldError("account", "must match [A-Za-z0-9_-]{1,64}");
      JsonNode h = n.get("halted");
      if (h == null || !h.isBoolean()) throw new FieldError("halted", "expected true or false");
      halted = h.asBoolean();
      reason = BodyFields.text(n, "reason", 200, false);
    } catch (FieldError e) {
      return CompletableFuture.completedFuture(Problem.invalidBody(instance, e.field(), e.detail()).toResponse());
    }
    String scope = account == null ? RiskControlStore.ALL : account;
    return withKillSwitch(instance, k -> k.set(scope, halted, key.id(), reason).thenApply(AdminRoutes::switches));
  }

  private CompletionStage<HttpResponse> deadLetters(String instance, org.apache.pekko.http.javadsl.model.Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    int limit = p.limit(100, 10_000);
    boolean open = !"false".equals(p.text("open"));
    if (!p.valid()) return CompletableFuture.completedFuture(Problem.invalidParameters(instance, p.errors()).toResponse());
    return ctx.orders().deadLetters(open, limit).thenApply(list -> Json.ok(Wire.Items.of(list.stream().map(AdminRoutes::deadLetter).toList())));
  }

  static Map<String, Object> deadLetter(DeadLetterStore.DeadLetter d) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", d.id());
    m.put("source", d.source());
    m.put("persistenceId", d.persistenceId());
    m.put("seqNr", d.seqNr());
    m.put("eventType", d.eventType());
    m.put("error", d.error());
    m.put("createdAt", Timestamps.format(d.createdAt()));
    m.put("retries", d.retries());
    if (d.resolvedAt() != null) m.put("resolvedAt", Timestamps.format(d.resolvedAt()));
    return m;
  }

  private CompletionStage<HttpResponse> retry(String instance) {
    return ctx.orders().retryDeadLetters().thenCompose(resolved -> ctx.orders().deadLetters(true, 10_000)
        .thenApply(open -> Json.ok(Map.of("resolved", resolved, "open", open.size()))));
  }
}
