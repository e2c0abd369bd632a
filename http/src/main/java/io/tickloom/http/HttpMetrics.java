package io.tickloom.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the HTTP layer, registered once per server in the node's registry:
 * {@code tickloom_http_requests_seconds{method,status}}, {@code tickloom_ws_connections},
 * {@code tickloom_ws_messages_sent_total}, {@code tickloom_ws_messages_dropped_total}.
 */
final class HttpMetrics {
  private final MeterRegistry registry;
  final AtomicInteger wsConnections = new AtomicInteger();
  final Counter wsSent;
  final Counter wsDropped;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("tickloom.ws.connections", wsConnections, AtomicInteger::get)
        .description("Open WebSocket connections").register(registry);
    wsSent = Counter.builder("tickloom.ws.messages.sent").description("Frames handed to WebSocket clients").register(registry);
    wsDropped = Counter.builder("tickloom.ws.messages.dropped")
        .description("Frames dropped because a client's outbound queue was full (oldest first)").register(registry);
  }

  void request(String method, int status, long nanos) {
    Timer.builder("tickloom.http.requests")
        .description("HTTP requests by method and status")
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
