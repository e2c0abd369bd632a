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

  Routes(HttpContext ctx, HttpMetrics metrics) {
    this.ctx = ctx;
    this.metrics = metrics;
    this.api = new ApiRoutes(ctx);
    this.ws = new WsRoute(ctx, metrics);
    this.positions = new OrderRoutes(ctx);
    this.replays = new ReplayRoutes(ctx);
    this.books = new BookRoutes(ctx);
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
        pathPrefix(PathMatchers.segment("api").slash("v1"), () -> extractRequest(request -> needsDatabase(request)
            ? complete(Problem.databaseUnavailable(ApiRoutes.instance(request.getUri())).toResponse()
                .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(RETRY_AFTER_DB_SECONDS)))
            : reject())),
        path(PathMatchers.segment("api").slash("v1").slash("positions"), positions::positionsRoute),
        pathPrefix(PathMatchers.segment("api").slash("v1").slash("replays"), replays::route),
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
    return optionalHeaderValueByName("X-API-Key", header -> parameterOptional("key", param -> extractUri(uri -> {
      Optional<String> presented = header.isPresent() ? header : param;
      if (presented.isEmpty()) return handleWebSocketMessages(ws.connection());
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.get());
      if (key.isEmpty()) return complete(Problem.unauthorized(ApiRoutes.instance(uri), "unknown API key").toResponse());
      return handleWebSocketMessages(ws.connection(key.get()));
    })));
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
