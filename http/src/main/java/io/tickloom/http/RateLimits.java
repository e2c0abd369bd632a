package io.tickloom.http;

import com.typesafe.config.Config;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The node's rate limits and quotas ({@code tickloom.http.limits}), per client: a client is its API key when it presents
 * one, else its remote address. Token buckets (a rate per second and a burst) for REST requests and order commands,
 * counters for WebSocket connections. Every refusal carries how long to wait ({@link Refused#retryAfterSeconds}).
 * Buckets of clients idle for a minute are forgotten, and at most {@code MAX_CLIENTS} are kept, so a client rotating
 * addresses cannot grow the table without bound. Thread-safe.
 */
final class RateLimits {
  /** One rate: {@code perSecond} tokens a second, at most {@code burst} saved up. 0 per second: unlimited. */
  record Rate(double perSecond, int burst) {
    static Rate of(Config c) {
      return new Rate(c.getDouble("per-second"), c.getInt("burst"));
    }

    boolean unlimited() {
      return perSecond <= 0;
    }
  }

  /**
   * @param rest REST requests below {@code /api/v1} per client
   * @param orders order placements, modifications and cancels per key
   * @param connectsPerClient new WebSocket connections per client
   * @param connectionsPerClient WebSocket connections one client holds at once
   * @param connectionsTotal WebSocket connections of the node at once
   * @param subscriptionChanges (token, channel) subscriptions a connection adds or removes, per second
   * @param messages messages a connection sends, per second
   * @param backfillsInFlight backfill reads one connection has running at once (more wait in its own queue)
   * @param replaysPerKey replay sessions one key holds at once (running, waiting or paused)
   * @param closeAfterIgnored messages ignored over the message rate within one second that close the connection (0:
   *     never): a client that sends at many times its rate is broken or hostile, and is disconnected as exchanges do
   * @param refusalDelay how long a 429 of the REST and order limits is held before it is sent (zero: at once), so a
   *     client that loops on refusals costs the node a handful of requests a second per connection, not thousands
   */
  record Settings(Rate rest, Rate orders, Rate connectsPerClient, int connectionsPerClient, int connectionsTotal, Rate subscriptionChanges,
      Rate messages, int closeAfterIgnored, int backfillsInFlight, int replaysPerKey, java.time.Duration refusalDelay) {
    static Settings fromConfig(Config c) {
      return new Settings(Rate.of(c.getConfig("rest")), Rate.of(c.getConfig("orders")), Rate.of(c.getConfig("websocket.connects")),
          c.getInt("websocket.connections-per-client"), c.getInt("websocket.connections-total"),
          Rate.of(c.getConfig("websocket.subscription-changes")), Rate.of(c.getConfig("websocket.messages")),
          c.getInt("websocket.close-after-ignored"), c.getInt("websocket.backfills-in-flight"), c.getInt("replays-per-key"), c.getDuration("refusal-delay"));
    }

    static final Settings UNLIMITED = new Settings(new Rate(0, 0), new Rate(0, 0), new Rate(0, 0), Integer.MAX_VALUE, Integer.MAX_VALUE,
        new Rate(0, 0), new Rate(0, 0), 0, Integer.MAX_VALUE, Integer.MAX_VALUE, java.time.Duration.ZERO);
  }

  /** A refusal: which limit, and when to try again. */
  record Refused(String limit, long retryAfterSeconds) {}

  /** A token bucket. */
  static final class Bucket {
    private final Rate rate;
    private final LongSupplier nanos;
    private double tokens;
    private long last;
    private volatile long touched;

    Bucket(Rate rate, LongSupplier nanos) {
      this.rate = rate;
      this.nanos = nanos;
      this.tokens = rate.burst();
      this.last = nanos.getAsLong();
      this.touched = last;
    }

    /** Takes {@code n} tokens if there are: 0; else the seconds until there will be (nothing taken). */
    synchronized long take(int n) {
      if (rate.unlimited()) return 0;
      long now = nanos.getAsLong();
      touched = now;
      tokens = Math.min(rate.burst(), tokens + (now - last) / 1e9 * rate.perSecond());
      last = now;
      if (tokens >= n) {
        tokens -= n;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((n - tokens) / rate.perSecond()));
    }
  }

  static final int MAX_CLIENTS = 100_000;
  private static final long IDLE_NANOS = 60_000_000_000L;

  private final Settings settings;
  private final LongSupplier nanos;
  private final Map<String, Bucket> rest = new ConcurrentHashMap<>();
  private final Map<String, Bucket> orders = new ConcurrentHashMap<>();
  private final Map<String, Bucket> connects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final AtomicInteger totalConnections = new AtomicInteger();

  RateLimits(Settings settings) {
    this(settings, System::nanoTime);
  }

  RateLimits(Settings settings, LongSupplier nanos) {
    this.settings = settings;
    this.nanos = nanos;
  }

  Settings settings() {
    return settings;
  }

  /** A REST request of {@code client} below /api/v1: null when it may go on. */
  Refused rest(String client) {
    return take(rest, client, settings.rest(), "rest: at most " + describe(settings.rest()) + " requests per client");
  }

  /** An order placement, modification or cancel of key {@code client}: null when it may go on. */
  Refused order(String client) {
    return take(orders, client, settings.orders(), "orders: at most " + describe(settings.orders()) + " order commands per API key");
  }

  /**
   * A new WebSocket connection of {@code client}: null when it is admitted (and counted: {@link #disconnected} when it
   * ends), else which limit refuses it.
   */
  Refused connect(String client) {
    Refused r = take(connects, client, settings.connectsPerClient(), "websocket: at most " + describe(settings.connectsPerClient())
        + " new connections per client");
    if (r != null) return r;
    if (totalConnections.incrementAndGet() > settings.connectionsTotal()) {
      totalConnections.decrementAndGet();
      return new Refused("websocket: the node holds its maximum of " + settings.connectionsTotal() + " connections", 5);
    }
    AtomicInteger mine = connections.computeIfAbsent(client, c -> new AtomicInteger());
    if (mine.incrementAndGet() > settings.connectionsPerClient()) {
      mine.decrementAndGet();
      totalConnections.decrementAndGet();
      return new Refused("websocket: at most " + settings.connectionsPerClient() + " connections per client at once", 5);
    }
    return null;
  }

  /** A connection admitted by {@link #connect} ended. */
  void disconnected(String client) {
    totalConnections.decrementAndGet();
    AtomicInteger mine = connections.get(client);
    if (mine != null && mine.decrementAndGet() <= 0) connections.remove(client, mine);
  }

  int connections() {
    return totalConnections.get();
  }

  /** A fresh bucket of {@code rate} (a connection's own limits). */
  Bucket bucket(Rate rate) {
    return new Bucket(rate, nanos);
  }

  private Refused take(Map<String, Bucket> buckets, String client, Rate rate, String limit) {
    if (rate.unlimited()) return null;
    if (buckets.size() > MAX_CLIENTS) prune(buckets);
    long wait = buckets.computeIfAbsent(client, c -> new Bucket(rate, nanos)).take(1);
    return wait == 0 ? null : new Refused(limit, wait);
  }

  /** Forgets clients idle for a minute (their buckets are full again anyway); if that is not enough, all. */
  private void prune(Map<String, Bucket> buckets) {
    long now = nanos.getAsLong();
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (now - it.next().touched > IDLE_NANOS) it.remove();
    }
    if (buckets.size() > MAX_CLIENTS) buckets.clear();
  }

  static String describe(Rate r) {
    String per = r.perSecond() == Math.rint(r.perSecond()) ? Long.toString((long) r.perSecond()) : Double.toString(r.perSecond());
    return per + "/s (burst " + r.burst() + ")";
  }
}
