package io.tickloom.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickloom.cluster.IngestGate;
import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.book.BookService;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.replay.ReplayService;
import io.tickloom.persistence.BarQueries;
import io.tickloom.persistence.GapQueries;
import io.tickloom.persistence.IndicatorQueries;
import io.tickloom.persistence.TickQueries;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Everything the HTTP layer needs from the node, handed over once by whoever starts it ({@code deploy}).
 *
 * @param ticks blocking JDBC reads; called only on {@code blocking}
 * @param bars blocking JDBC reads; called only on {@code blocking}
 * @param gaps blocking JDBC reads; called only on {@code blocking}
 * @param indicators stored indicator values, blocking JDBC reads; called only on {@code blocking}
 * @param blocking executor for JDBC calls and the readiness check (a dedicated, bounded pool or dispatcher)
 * @param metrics registry served on {@code /metrics}; the HTTP layer adds its own meters to it
 * @param ready readiness (cluster member up, database reachable); may block briefly, called on {@code blocking}
 * @param ingest the door for {@code POST /api/v1/ingest/ticks} and instrument imports, or null (those answer 503)
 * @param orders the OMS for {@code /api/v1/orders}, or null (those answer 503)
 * @param keys the API keys ({@code TICKLOOM_API_KEYS})
 * @param books order books for {@code /api/v1/book}, or null (those answer 503)
 * @param replays replay sessions for {@code /api/v1/replays}, or null (those answer 503)
 * @param streams providers of the WebSocket channels that are not per instrument ({@code orders}, {@code replay:<id>})
 * @param databaseUp whether the node's database answered its last health check: while it does not, requests that need
 *     it are refused at once (503 with Retry-After) instead of waiting for a timeout
 */
public record HttpContext(
    ActorSystem<?> system,
    InstrumentDirectory instruments,
    TickQueries ticks,
    BarQueries bars,
    GapQueries gaps,
    IndicatorQueries indicators,
    LiveMarket live,
    Executor blocking,
    PrometheusMeterRegistry metrics,
    BooleanSupplier ready,
    HttpSettings settings,
    IngestGate ingest,
    OrderService orders,
    ApiKeys keys,
    BookService books,
    ReplayService replays,
    List<StreamChannels> streams,
    BooleanSupplier databaseUp) {

  /** Without books, replays and stream channels (add them with the {@code with...} methods). */
  public HttpContext(ActorSystem<?> system, InstrumentDirectory instruments, TickQueries ticks, BarQueries bars, GapQueries gaps,
      IndicatorQueries indicators, LiveMarket live, Executor blocking, PrometheusMeterRegistry metrics, BooleanSupplier ready,
      HttpSettings settings, IngestGate ingest, OrderService orders, ApiKeys keys) {
    this(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, orders, keys, null, null,
        List.of(), () -> true);
  }

  /** A read-only node: no ingest endpoint, no keys. */
  public HttpContext(ActorSystem<?> system, InstrumentDirectory instruments, TickQueries ticks, BarQueries bars, GapQueries gaps,
      LiveMarket live, Executor blocking, PrometheusMeterRegistry metrics, BooleanSupplier ready, HttpSettings settings) {
    this(system, instruments, ticks, bars, gaps, (token, tf, from, to, limit) -> List.of(), live, blocking, metrics, ready,
        settings, null, null, ApiKeys.none());
  }

  /** A node without the OMS: {@code /api/v1/orders} answers 503. */
  public HttpContext(ActorSystem<?> system, InstrumentDirectory instruments, TickQueries ticks, BarQueries bars, GapQueries gaps,
      IndicatorQueries indicators, LiveMarket live, Executor blocking, PrometheusMeterRegistry metrics, BooleanSupplier ready,
      HttpSettings settings, IngestGate ingest, ApiKeys keys) {
    this(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, null, keys);
  }

  public HttpContext {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(instruments, "instruments");
    Objects.requireNonNull(ticks, "ticks");
    Objects.requireNonNull(bars, "bars");
    Objects.requireNonNull(gaps, "gaps");
    Objects.requireNonNull(indicators, "indicators");
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(blocking, "blocking");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(ready, "ready");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(keys, "keys");
    streams = List.copyOf(Objects.requireNonNull(streams, "streams"));
    if (databaseUp == null) databaseUp = () -> true;
  }

  /** This context with the node's database health ({@link #databaseUp}). */
  public HttpContext withDatabaseHealth(BooleanSupplier up) {
    return new HttpContext(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, orders,
        keys, books, replays, streams, up);
  }

  public HttpContext withBooks(BookService books) {
    return new HttpContext(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, orders,
        keys, books, replays, streams, databaseUp);
  }

  public HttpContext withReplays(ReplayService replays) {
    return new HttpContext(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, orders,
        keys, books, replays, streams, databaseUp);
  }

  /** This context with {@code provider} added to the stream channels. */
  public HttpContext withStream(StreamChannels provider) {
    List<StreamChannels> all = new java.util.ArrayList<>(streams);
    all.add(provider);
    return new HttpContext(system, instruments, ticks, bars, gaps, indicators, live, blocking, metrics, ready, settings, ingest, orders,
        keys, books, replays, all, databaseUp);
  }
}
