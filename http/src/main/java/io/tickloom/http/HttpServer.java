package io.tickloom.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node's HTTP server: REST ({@code /api/v1}), WebSocket ({@code /ws}), the dashboard ({@code /}),
 * {@code /health/*} and {@code /metrics}, on {@code tickloom.http.interface:port}. The binding is registered with
 * CoordinatedShutdown: on shutdown it unbinds first (no new connections), lets in-flight requests finish and
 * terminates what is left (WebSockets included) after {@code tickloom.http.shutdown-deadline}.
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(HttpContext ctx) {
    HttpSettings s = ctx.settings();
    ServerSettings server = ServerSettings.create(ctx.system().settings().config());
    server = server.withWebsocketSettings(server.getWebsocketSettings().withPeriodicKeepAliveMaxIdle(s.ws().keepAlive()));
    return Http.get(ctx.system())
        .newServerAt(s.iface(), s.port())
        .withSettings(server)
        .bind(routes(ctx))
        .thenApply(binding -> {
          log.info("HTTP on {}:{} (REST /api/v1, WebSocket /ws, dashboard /)", s.iface(), binding.localAddress().getPort());
          return binding.addToCoordinatedShutdown(s.shutdownDeadline(), ctx.system());
        });
  }

  /** The complete route tree (for tests that bind it themselves). */
  static Route routes(HttpContext ctx) {
    return new Routes(ctx, new HttpMetrics(ctx.metrics())).route();
  }
}
