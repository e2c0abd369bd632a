package io.tickloom.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.replay.ReplayRequest;
import io.tickloom.cluster.replay.ReplayService;
import io.tickloom.cluster.replay.ReplayStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.format.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Replay sessions over REST (SPEC §5): {@code POST /api/v1/replays} creates one
 * ({@code {"tokens":[..],"from":..,"to":..,"speed":10|"max","tf":"1m","paused":false,"kafka":false}} → 201 with its status;
 * {@code kafka} also publishes the ticks to the node's replay topic; {@code "account":"DEMO"} interleaves that account's
 * journaled order events and needs its {@code X-API-Key} with role {@code trader}: 401 without, 403 for another account
 * or without the role, as the order routes),
 * {@code GET /api/v1/replays} lists them, {@code GET /api/v1/replays/{id}} answers one's status, {@code POST .../pause},
 * {@code .../resume}, {@code .../seek?ts=} control it, {@code DELETE} cancels it. The output streams on the WebSocket
 * channel {@code replay:<id>} ({@link ReplayStreams}). Bad input is a 400 problem naming the field; an unknown id 404;
 * a command the session's state refuses 409; too many sessions 429; a node without replays 503. Nothing blocks: the
 * service only changes in-memory state.
 */
final class ReplayRoutes extends AllDirectives {
  static final long MAX_BODY_BYTES = 64L << 10;

  private final HttpContext ctx;
  private final RateLimits limits;

  ReplayRoutes(HttpContext ctx, RateLimits limits) {
    this.ctx = ctx;
    this.limits = limits;
  }

  /** Whether {@code key} may see and control session {@code s}: the key that created it, or an admin. */
  static boolean mayUse(ApiKeys.Key key, ReplayStatus s) {
    return key != null && (key.admin() || key.id().equals(s.owner()));
  }

  /**
   * A session's status on the wire. {@code speed} is a number or {@code "max"}; {@code tf} as requested
   * ({@code "1m"} or {@code "1m,5m"}); times ISO-8601; {@code rate} ticks per second while running.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StatusDto(String id, String state, List<Long> tokens, String from, String to, Object speed, String tf, String position,
      long ticksSent, long barsSent, long rate, String createdAt, String error) {

    static StatusDto from(ReplayStatus s) {
      return new StatusDto(s.id(), s.state().name(), s.tokens(), Timestamps.format(s.from()), Timestamps.format(s.to()), speed(s.speed()),
          s.timeframes().stream().map(Timeframe::label).collect(Collectors.joining(",")), Timestamps.format(s.position()), s.ticksSent(),
          s.barsSent(), Math.round(s.rate()), Timestamps.format(s.createdAt()), s.error());
    }

    static Object speed(double speed) {
      if (speed == ReplayRequest.MAX) return "max";
      if (speed == Math.rint(speed) && speed < 1e15) return (long) speed;
      return speed;
    }
  }

  /**
   * Routes below {@code /api/v1/replays}. Every one needs an API key (any role): a session belongs to the key that created
   * it, and only that key or an admin key lists, reads, watches and controls it; to any other key it does not exist (404).
   */
  Route route() {
    return extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      return withKey(instance, key -> concat(
          pathEndOrSingleSlash(() -> concat(
              post(() -> withService(instance, replays -> JsonBodies.body(instance, MAX_BODY_BYTES,
                  body -> java.util.concurrent.CompletableFuture.completedFuture(
                      create(instance, uri, replays, new String(body, java.nio.charset.StandardCharsets.UTF_8), key))))),
              get(() -> withService(instance, replays -> complete(Json.ok(Wire.Items.of(replays.list().stream()
                  .filter(s -> mayUse(key, s)).map(StatusDto::from).toList()))))))),
          pathPrefix(PathMatchers.segment(), id -> concat(
              pathEndOrSingleSlash(() -> concat(
                  get(() -> withService(instance, replays -> complete(owned(instance, key, id, replays, () -> replays.status(id))))),
                  delete(() -> withService(instance, replays -> complete(owned(instance, key, id, replays, () -> replays.cancel(id))))))),
              path("pause", () -> post(() -> withService(instance, replays -> complete(owned(instance, key, id, replays, () -> replays.pause(id)))))),
              path("resume", () -> post(() -> withService(instance, replays -> complete(owned(instance, key, id, replays, () -> replays.resume(id)))))),
              path("seek", () -> post(() -> withService(instance, replays -> complete(owned(instance, key, id, replays,
                  () -> seekTo(instance, uri, id, replays))))))))));
    });
  }

  private Route withKey(String instance, java.util.function.Function<ApiKeys.Key, Route> inner) {
    return optionalHeaderValueByName("X-API-Key", presented -> {
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.orElse(null));
      if (key.isEmpty()) {
        return complete(Problem.unauthorized(instance, presented.isEmpty()
            ? "replays belong to the API key that creates them: send X-API-Key" : "unknown API key").toResponse());
      }
      return inner.apply(key.get());
    });
  }

  /** {@code command} on session {@code id} if {@code key} may use it; 404 (as for a session that does not exist) if not. */
  private HttpResponse owned(String instance, ApiKeys.Key key, String id, ReplayService replays, Supplier<Optional<ReplayStatus>> command) {
    Optional<ReplayStatus> s = replays.status(id);
    if (s.isEmpty() || !mayUse(key, s.get())) return Problem.notFound(instance, "no replay " + id + " on this node").toResponse();
    return answer(instance, id, command);
  }

  private Route withService(String instance, java.util.function.Function<ReplayService, Route> inner) {
    ReplayService replays = ctx.replays();
    if (replays == null) {
      return complete(new Problem(Problem.UNAVAILABLE, "Service unavailable", 503, "replays are not enabled on this node", instance, null).toResponse());
    }
    return inner.apply(replays);
  }

  private HttpResponse create(String instance, Uri uri, ReplayService replays, String body, ApiKeys.Key key) {
    ReplayRequest request;
    try {
      request = parse(body).withOwner(key.id());
    } catch (FieldError e) {
      return Problem.invalidBody(instance, e.field(), e.detail()).toResponse();
    }
    if (request.account() != null) {
      // An account's order events are the account's: the same rule as /api/v1/orders (a trader key of that account).
      if (!key.has(OrderRoutes.ROLE)) return Problem.forbidden(instance, "the API key lacks the role '" + OrderRoutes.ROLE + "'").toResponse();
      if (!key.account().equals(request.account())) return Problem.forbidden(instance, "the API key cannot act for this account").toResponse();
    }
    long mine = replays.list().stream().filter(s -> key.id().equals(s.owner()) && !s.state().terminal()).count();
    if (mine >= limits.settings().replaysPerKey()) {
      return Problem.rateLimited(instance, "this key already holds " + mine + " replay sessions (tickloom.http.limits.replays-per-key = "
          + limits.settings().replaysPerKey() + "); cancel one or wait for one to end").toResponse()
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(5L));
    }
    try {
      ReplayStatus s = replays.start(request);
      return Json.response(StatusCodes.CREATED, StatusDto.from(s))
          .addHeader(Location.create(uri.path() + (uri.path().endsWith("/") ? "" : "/") + s.id()));
    } catch (ReplayService.InvalidReplay e) {
      return Problem.invalidBody(instance, e.field(), e.getMessage()).toResponse();
    } catch (ReplayService.TooManyReplays e) {
      return new Problem(Problem.SATURATED, "Too many requests", 429, e.getMessage(), instance, null).toResponse()
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(5L));
    }
  }

  /** The seek's command; a bad {@code ts} is thrown as the request's own error (answered 400 by {@link #answer}). */
  private static Optional<ReplayStatus> seekTo(String instance, Uri uri, String id, ReplayService replays) {
    QueryParams p = new QueryParams(uri.query());
    OptionalLong ts = p.time("ts");
    if (ts.isEmpty() && p.valid()) throw new ReplayService.InvalidReplay("ts", "required: where to restart, ISO-8601 or epoch milliseconds");
    if (!p.valid()) throw new ReplayService.InvalidReplay(p.errors().get(0).field(), p.errors().get(0).reason());
    return replays.seek(id, ts.getAsLong());
  }

  private static HttpResponse answer(String instance, String id, Supplier<Optional<ReplayStatus>> command) {
    try {
      return command.get().map(s -> Json.ok(StatusDto.from(s)))
          .orElseGet(() -> Problem.notFound(instance, "no replay " + id + " on this node").toResponse());
    } catch (ReplayService.InvalidReplay e) {
      return Problem.invalidParameter(instance, e.field(), e.getMessage()).toResponse();
    } catch (ReplayService.Conflict e) {
      return Problem.conflict(instance, e.getMessage()).toResponse();
    }
  }

  /** The request body; {@link FieldError} names the field at fault. */
  static ReplayRequest parse(String body) {
    JsonNode n = JsonBodies.object(body);
    JsonNode tokensNode = n.get("tokens");
    if (tokensNode == null || !tokensNode.isArray() || tokensNode.isEmpty()) throw new FieldError("tokens", "expected a non-empty array of instrument tokens");
    List<Long> tokens = new ArrayList<>();
    for (JsonNode t : tokensNode) {
      // text of 19 digits may be beyond a long (bit length 64 or more): refused, never a NumberFormatException
      if (t.canConvertToExactIntegral() && t.canConvertToLong()) tokens.add(t.asLong());
      else if (t.isTextual() && t.asText().matches("\\d{1,19}") && new BigInteger(t.asText()).bitLength() < 64) tokens.add(Long.parseLong(t.asText()));
      else throw new FieldError("tokens", "not an instrument token: " + t);
    }
    long from = time(n, "from", null);
    long to = time(n, "to", System.currentTimeMillis() * Timestamps.NANOS_PER_MILLI);
    if (to <= from) throw new FieldError("to", "must be after from");
    double speed = speed(n.get("speed"));
    List<Timeframe> tfs = new ArrayList<>();
    JsonNode tfNode = n.get("tf");
    List<String> labels = new ArrayList<>();
    if (tfNode == null || tfNode.isNull()) labels.add("1m");
    else if (tfNode.isTextual()) labels.addAll(List.of(tfNode.asText().split(",")));
    else if (tfNode.isArray()) tfNode.forEach(x -> labels.add(x.asText()));
    else throw new FieldError("tf", "expected a timeframe such as \"1m\", a comma list or an array");
    for (String label : labels) {
      try {
        Timeframe tf = Timeframe.parse(label.trim());
        if (!tfs.contains(tf)) tfs.add(tf);
      } catch (IllegalArgumentException e) {
        throw new FieldError("tf", e.getMessage());
      }
    }
    JsonNode paused = n.get("paused");
    if (paused != null && !paused.isNull() && !paused.isBoolean()) throw new FieldError("paused", "expected true or false");
    JsonNode kafka = n.get("kafka");
    if (kafka != null && !kafka.isNull() && !kafka.isBoolean()) throw new FieldError("kafka", "expected true or false");
    JsonNode accountNode = n.get("account");
    String account = null;
    if (accountNode != null && !accountNode.isNull()) {
      if (!accountNode.isTextual() || !io.tickloom.cluster.oms.OrderId.validAccount(accountNode.asText())) {
        throw new FieldError("account", "expected an account name ([A-Za-z0-9_-]{1,64})");
      }
      account = accountNode.asText();
    }
    return new ReplayRequest(tokens, from, to, speed, tfs, paused != null && paused.asBoolean(), kafka != null && kafka.asBoolean(), account);
  }

  private static long time(JsonNode n, String field, Long dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) throw new FieldError(field, "required: ISO-8601 (2026-01-15T03:45:00Z) or epoch milliseconds");
      return dflt;
    }
    if (!v.isTextual() && !v.canConvertToExactIntegral()) throw new FieldError(field, "expected ISO-8601 text or epoch milliseconds");
    try {
      return Timestamps.parseQuery(v.asText());
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      throw new FieldError(field, e.getMessage());
    }
  }

  private static double speed(JsonNode v) {
    if (v == null || v.isNull()) return 1;
    if (v.isTextual() && v.asText().trim().toLowerCase(Locale.ROOT).equals("max")) return ReplayRequest.MAX;
    double s;
    if (v.isNumber()) s = v.asDouble();
    else if (v.isTextual()) {
      try {
        s = Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new FieldError("speed", "expected a positive number (1 = real time) or \"max\", got '" + v.asText() + "'");
      }
    } else throw new FieldError("speed", "expected a positive number (1 = real time) or \"max\"");
    if (!(s > 0) || Double.isInfinite(s) || s > 1e9) throw new FieldError("speed", "expected a positive number up to 1e9 (1 = real time) or \"max\", got " + v);
    return s;
  }
}
