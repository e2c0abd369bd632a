package io.tickloom.deploy.faults;

import io.tickloom.cluster.oms.OrderId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Places orders at a fixed rate through {@code POST /api/v1/orders}, round-robin over the nodes that are alive, each with
 * a unique {@code clientOrderId}, and records every answer (status, body, latency). An answer that asks to come back
 * (429, 503, 502, 504) or no answer at all (connection refused or reset, timeout) is retried with the SAME clientOrderId on
 * the next live node until one answers otherwise or the retry budget is spent; a client of an idempotent API does
 * exactly that. Market orders of one unit, alternately BUY and SELL, over the given instruments (the paper venue fills
 * them at the last price, so an order that ends PENDING_NEW is stuck, not resting).
 *
 * <p>Nothing blocks the pacing thread: requests are asynchronous, retries scheduled. Thread-safe.
 */
public final class OrderLoop implements AutoCloseable {
  /** One request and what came of it: {@code status} -1 when nothing came back ({@code body} then says why). */
  public record Attempt(int n, URI node, long sentAt, long latencyNanos, int status, String body) {
    public boolean answered() {
      return status > 0;
    }

    public boolean retryable() {
      return status < 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }
  }

  /** One order the loop tried to place, with every attempt. */
  public static final class Order {
    private final String clientOrderId;
    private final String orderId;
    private final long token;
    private final String side;
    private final long firstSentAt;
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean done;
    private volatile boolean gaveUp;

    Order(String clientOrderId, String orderId, long token, String side, long firstSentAt) {
      this.clientOrderId = clientOrderId;
      this.orderId = orderId;
      this.token = token;
      this.side = side;
      this.firstSentAt = firstSentAt;
    }

    public String clientOrderId() { return clientOrderId; }
    /** The id the OMS gives this order ({@code ACCOUNT.uuid}, derived from account and client order id). */
    public String orderId() { return orderId; }
    public long token() { return token; }
    public String side() { return side; }
    public long firstSentAt() { return firstSentAt; }
    public List<Attempt> attempts() {
      synchronized (attempts) {
        return List.copyOf(attempts);
      }
    }
    /** No more attempts will be made (answered, refused, or out of retry budget). */
    public boolean done() { return done; }
    /** Retries ran out without a final answer. */
    public boolean gaveUp() { return gaveUp; }

    /** The last answer's status (-1: none). */
    public int lastStatus() {
      List<Attempt> a = attempts();
      return a.isEmpty() ? -1 : a.get(a.size() - 1).status();
    }

    /** Whether any attempt was acknowledged (201 created, 200 idempotent repeat). */
    public boolean acknowledged() {
      for (Attempt a : attempts()) if (a.status() == 200 || a.status() == 201) return true;
      return false;
    }

    /**
     * Whether some attempt's outcome leaves open that the order was recorded: no answer at all, or a 502/503/504 that does
     * not say "nothing was done" (the OMS's timeout answer says the request may have been recorded).
     */
    public boolean mayHaveActed() {
      for (Attempt a : attempts()) {
        if (a.status() < 0) return true;
        if ((a.status() == 502 || a.status() == 503 || a.status() == 504) && (a.body() == null || !a.body().contains("nothing was done"))) return true;
      }
      return false;
    }

    /** Whether some attempt got a 503 answer. */
    public boolean answered503() {
      for (Attempt a : attempts()) if (a.status() == 503) return true;
      return false;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "faults-order-loop");
    t.setDaemon(true);
    return t;
  });
  private final Supplier<List<URI>> liveNodes;
  private final String apiKey;
  private final String account;
  private final List<Long> tokens;
  private final double perSecond;
  private final Duration requestTimeout;
  private final Duration retryBudget;
  private final String runId;
  private final ConcurrentLinkedQueue<Order> orders = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong roundRobin = new AtomicLong();
  private volatile boolean placing;

  /**
   * @param liveNodes HTTP base URIs of the nodes to use now (asked before every attempt)
   * @param requestTimeout how long one request may take before it counts as unanswered
   * @param retryBudget how long after its first attempt an order is still retried
   */
  public OrderLoop(Supplier<List<URI>> liveNodes, String apiKey, String account, List<Long> tokens, double perSecond,
      Duration requestTimeout, Duration retryBudget) {
    if (tokens.isEmpty()) throw new IllegalArgumentException("no instruments to trade");
    this.liveNodes = liveNodes;
    this.apiKey = apiKey;
    this.account = account;
    this.tokens = List.copyOf(tokens);
    this.perSecond = perSecond;
    this.requestTimeout = requestTimeout;
    this.retryBudget = retryBudget;
    this.runId = Long.toString(System.currentTimeMillis(), 36);
  }

  /** Starts placing (no-op at rate 0). */
  public void start() {
    if (perSecond <= 0) return;
    placing = true;
    long periodMicros = Math.round(1_000_000 / perSecond);
    timer.scheduleAtFixedRate(this::placeNext, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Places no new order from now on (retries of those placed go on within their budget). */
  public void stopPlacing() {
    placing = false;
  }

  /** Waits until every order placed is done (answered or out of budget); whether that happened within {@code within}. */
  public boolean awaitDone(Duration within) {
    return Await.within(within, Duration.ofMillis(100), () -> orders.stream().allMatch(Order::done));
  }

  /** Every order the loop ever tried, in placing order. */
  public List<Order> orders() {
    return List.copyOf(orders);
  }

  public String account() {
    return account;
  }

  public String apiKey() {
    return apiKey;
  }

  private void placeNext() {
    if (!placing) return;
    int n = next.incrementAndGet();
    long token = tokens.get(n % tokens.size());
    String side = n % 2 == 0 ? "BUY" : "SELL";
    String clientOrderId = "faults-" + runId + "-" + n;
    Order o = new Order(clientOrderId, OrderId.of(account, clientOrderId).value(), token, side, FaultClock.now());
    orders.add(o);
    send(o, 1);
  }

  private void send(Order o, int attempt) {
    List<URI> live = liveNodes.get();
    if (live.isEmpty()) {
      record(o, new Attempt(attempt, null, FaultClock.now(), 0, -1, "no live node"), attempt);
      return;
    }
    URI node = live.get((int) Math.floorMod(roundRobin.getAndIncrement(), live.size()));
    String body = "{\"clientOrderId\":\"" + o.clientOrderId + "\",\"account\":\"" + account + "\",\"token\":" + o.token
        + ",\"side\":\"" + o.side + "\",\"qty\":\"1\",\"type\":\"MARKET\",\"tif\":\"DAY\"}";
    HttpRequest request = HttpRequest.newBuilder(node.resolve("/api/v1/orders")).timeout(requestTimeout)
        .header("Content-Type", "application/json").header("X-API-Key", apiKey)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    long sent = FaultClock.now();
    long t0 = System.nanoTime();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).whenComplete((r, e) -> {
      long latency = System.nanoTime() - t0;
      Attempt a = e != null ? new Attempt(attempt, node, sent, latency, -1, e.toString())
          : new Attempt(attempt, node, sent, latency, r.statusCode(), r.body());
      record(o, a, attempt);
    });
  }

  private void record(Order o, Attempt a, int attempt) {
    o.attempts.add(a);
    if (!a.retryable()) {
      o.done = true;
      return;
    }
    long elapsed = FaultClock.now() - o.firstSentAt;
    if (elapsed > retryBudget.toNanos() || timer.isShutdown()) {
      o.gaveUp = true;
      o.done = true;
      return;
    }
    long backoffMs = Math.min(1000, 100L << Math.min(attempt, 4));
    try {
      timer.schedule(() -> send(o, attempt + 1), backoffMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      o.gaveUp = true;
      o.done = true;
    }
  }

  @Override
  public void close() {
    placing = false;
    timer.shutdownNow();
    for (Order o : orders) {
      if (!o.done) {
        o.gaveUp = true;
        o.done = true;
      }
    }
  }
}
