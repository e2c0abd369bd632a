package io.tickloom.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP surface of a node: health, metrics, {@code /api/v1}, {@code /ws} and the dashboard. Every error
 * answer is {@code application/problem+json}: the routes' own ones, the HTTP layer's rejections (404 for an
 * unknown path, 405, ...) mapped to problems, any exception as a 500 problem without internals, and a request
 * that outlives {@code pekko.http.server.request-timeout} as a 503 problem.
 */
final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** Prometheus text exposition format 0.0.4. */
  static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final HttpContext ctx;
  private final HttpMetrics metrics;
  private final ApiRoutes api;
  private final WsRoute ws;
  private final OrderRoutes positions;
  private final ReplayRoutes replays;
  private final BookRoutes books;
  private final RateLimits limits;
  private final AdminRoutes admin;

  Routes(HttpContext ctx, HttpMetrics metrics) {
    this.ctx = ctx;
    this.metrics = metrics;
    this.limits = new RateLimits(ctx.settings().limits());
    this.positions = new OrderRoutes(ctx, limits);
    this.api = new ApiRoutes(ctx, limits);

    this.ws = new WsRoute(ctx, metrics);
    this.replays = new ReplayRoutes(ctx, limits);
    this.books = new BookRoutes(ctx);
    this.admin = new AdminRoutes(ctx);
  }

  Route route() {
    return extractRequest(request -> {
      long started = System.nanoTime();
      String method = request.method().name();
      return mapResponse(response -> {
        metrics.request(method, response.status().intValue(), System.nanoTime() - started);
        return response;
      }, () -> extractUri(uri -> {
        String instance = ApiRoutes.instance(uri);
        return withRequestTimeoutResponse(timedOut -> Problem.unavailable(instance).toResponse(),
            () -> handleExceptions(exceptionHandler(instance), () -> handleRejections(rejectionHandler(instance), this::inner)));
      }));
    });
  }

  private Route inner() {
    return concat(
        pathPrefix("health", () -> concat(
            path("live", () -> get(() -> complete(Json.ok(Map.of("status", "UP"))))),
            // From flags the node keeps (membership, the database's last health check, the feeds): no I/O here, so a
            // busy pool or a slow database never makes the readiness probe itself time out.
            path("ready", () -> get(() -> complete(ready()
                ? Json.ok(Map.of("status", "UP"))
                : Json.response(StatusCodes.SERVICE_UNAVAILABLE, Map.of("status", "DOWN"))))))),
        path("metrics", () -> get(() -> complete(
            HttpResponse.create().withEntity(PROMETHEUS_TEXT, ctx.metrics().scrape().getBytes(StandardCharsets.UTF_8))))),
        pathPrefix(PathMatchers.segment("api").slash("v1"), () -> extractRequest(request -> {
          HttpResponse refused = gate(request);
          if (refused == null) return reject();
          return refused.status().intValue() == 429 ? held(ctx, limits, refused) : complete(refused);
        })),
        path(PathMatchers.segment("api").slash("v1").slash("positions"), positions::positionsRoute),
        path(PathMatchers.segment("api").slash("v1").slash("fills"), positions::fillsRoute),
        pathPrefix(PathMatchers.segment("api").slash("v1").slash("replays"), replays::route),
        pathPrefix(PathMatchers.segment("api").slash("v1"), admin::route),
        pathPrefix(PathMatchers.segment("api").slash("v1"), books::route),
        pathPrefix(PathMatchers.segment("api").slash("v1"), api::route),
        path("ws", this::webSocket),
        dashboard());
  }

  private boolean ready() {
    try {
      return ctx.ready().getAsBoolean();
    } catch (RuntimeException e) {
      log.warn("readiness check failed: {}", e.toString());
      return false;
    }
  }

  /**
   * What every {@code /api/v1} request passes before its route: the client's rate limit (429), the database (503 while
   * it is away), and with {@code require-key-for-market-data} a valid key for market data (401). Null: go on.
   */
  private HttpResponse gate(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    String instance = ApiRoutes.instance(request.getUri());
    java.util.Optional<ApiKeys.Key> key = Access.key(request, ctx.keys());
    RateLimits.Refused r = limits.rest(Access.client(request, key));
    if (r != null) return tooMany(instance, r);
    if (needsDatabase(request)) {
      return Problem.databaseUnavailable(instance).toResponse()
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(RETRY_AFTER_DB_SECONDS));
    }
    if (ctx.settings().requireKeyForMarketData() && key.isEmpty() && marketData(request)) {
      return Problem.unauthorized(instance, "market data on this node needs an X-API-Key (tickloom.http.require-key-for-market-data)")
          .toResponse();
    }
    return null;
  }

  /**
   * Completes with {@code refusal} (a 429) after the limits' {@code refusal-delay}: a client that sends request after
   * request regardless of its refusals waits that long for each, so it costs the node little however fast it loops.
   */
  static Route held(HttpContext ctx, RateLimits limits, HttpResponse refusal) {
    java.time.Duration delay = limits.settings().refusalDelay();
    if (delay.isZero()) return org.apache.pekko.http.javadsl.server.Directives.complete(refusal);
    return org.apache.pekko.http.javadsl.server.Directives.completeWithFuture(org.apache.pekko.pattern.Patterns.after(delay, ctx.system().classicSystem().scheduler(),
        ctx.system().executionContext(), () -> java.util.concurrent.CompletableFuture.completedFuture(refusal)));
  }

  /** 429 problem with Retry-After for a refusal of the rate limits. */
  static HttpResponse tooMany(String instance, RateLimits.Refused r) {
    return Problem.rateLimited(instance, "rate limit reached (" + r.limit() + "); nothing was done, retry after " + r.retryAfterSeconds() + " s")
        .toResponse().addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(r.retryAfterSeconds()));
  }

  /** The market-data reads: instruments, ticks, candles, gaps, indicators, books. */
  private static boolean marketData(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    if (!request.method().name().equals("GET")) return false;
    String p = request.getUri().path();
    return p.startsWith("/api/v1/instruments") || p.equals("/api/v1/ticks") || p.equals("/api/v1/candles") || p.equals("/api/v1/gaps")
        || p.equals("/api/v1/indicators") || p.startsWith("/api/v1/book/");
  }

  RateLimits limits() {
    return limits;
  }

  /** Retry-After of a request refused while the database is away (the node checks it every 2 s). */
  static final long RETRY_AFTER_DB_SECONDS = 2;

  /**
   * Whether {@code request} must be refused at once because it needs the database and the database is not answering:
   * every {@code /api/v1} request except the reads answered from memory (the instrument directory, a live book).
   */
  private boolean needsDatabase(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    if (ctx.databaseUp().getAsBoolean()) return false;
    String path = request.getUri().path();
    boolean get = request.method().name().equals("GET");
    if (get && path.startsWith("/api/v1/instruments")) return false;
    if (get && path.startsWith("/api/v1/book/") && !path.endsWith("/at")) return false;
    return true;
  }

  /**
   * {@code /ws}: an API key is optional ({@code X-API-Key} header, or {@code ?key=} since browsers cannot set headers on
   * a WebSocket); it is what the {@code orders} channel serves. An unknown key is refused (401) before the upgrade.
   */
  private Route webSocket() {
    return extractRequest(request -> extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      Optional<String> presented = request.getHeader("X-API-Key").map(h -> h.value());
      if (presented.isEmpty()) presented = uri.query().get("key");
      Optional<ApiKeys.Key> key = presented.flatMap(ctx.keys()::find);
      if (presented.isPresent() && key.isEmpty()) return complete(Problem.unauthorized(instance, "unknown API key").toResponse());
      if (ctx.settings().requireKeyForMarketData() && key.isEmpty()) {
        return complete(Problem.unauthorized(instance, "the WebSocket of this node needs an API key (X-API-Key, or ?key= from a browser)").toResponse());
      }
      if (request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.webSocketUpgrade).isEmpty()) {
        return handleWebSocketMessages(ws.connection(key.orElse(null), limits, () -> { })); // not an upgrade: refused as such
      }
      String client = Access.client(request, key);
      RateLimits.Refused r = limits.connect(client);
      if (r != null) return held(ctx, limits, tooMany(instance, r));
      return handleWebSocketMessages(ws.connection(key.orElse(null), limits, () -> limits.disconnected(client)));
    }));
  }

  /** The dashboard from the classpath ({@code dashboard/}) and WebJars ({@code META-INF/resources/webjars}). */
  private Route dashboard() {
    return get(() -> concat(
        pathSingleSlash(() -> respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE),
            () -> getFromResource("dashboard/index.html"))),
        pathPrefix("webjars", () -> respondWithHeader(CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(86400)),
            () -> getFromResourceDirectory("META-INF/resources/webjars"))),
        respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> getFromResourceDirectory("dashboard"))));
  }

  private ExceptionHandler exceptionHandler(String instance) {
    return ExceptionHandler.newBuilder()
        .matchAny(e -> {
          log.error("request {} failed", instance, e);
          return complete(Problem.internalError(instance).toResponse());
        })
        .build();
  }

  private static RejectionHandler rejectionHandler(String instance) {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(Json.PROBLEM_JSON)) return response;
      String detail = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : null;
      int status = response.status().intValue();
      Problem problem = status == 404
          ? Problem.notFound(instance, "no resource at " + instance)
          : new Problem(Problem.HTTP_ERROR, response.status().reason(), status, detail, instance, null);
      return problem.toResponse().withHeaders(response.getHeaders());
    });
  }
}
