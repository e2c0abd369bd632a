package io.tickloom.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault scenario's world and time line: the external PostgreSQL, the node JVMs ({@link ClusterProcesses}; node 1
 * seeds and runs the simulated feed), a {@link WsRecorder} on node 1 subscribed to the ticks of every instrument, and an
 * {@link OrderLoop} over the live nodes. A {@link FaultScenario} drives it: {@link #quiet()}, a fault between
 * {@link #markFault()} and {@link #markRecovered()}, {@link #observe}, then {@link #finish} takes the figures.
 * Meanwhile the feed node's ingest counters are sampled every second ({@link Sample}).
 *
 * <p>Everything lives under one folder ({@code dir}: node logs, PostgreSQL data and log). Closing ends every process,
 * also when the scenario failed half-way.
 */
public final class FaultRun implements AutoCloseable {
  public static final String ACCOUNT = "FAULTS";
  public static final String API_KEY = "faults-key";
  /** Subscriptions the recorder holds per connection: the server's default {@code max-subscriptions}. */
  static final int MAX_SUBSCRIPTIONS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One reading of the ingest counters: the feed node's pipeline counters (read just before {@code at}), and
   * {@code duplicates} summed over the nodes alive (entities count duplicates where they run).
   */
  public record Sample(long at, long received, long stored, long undelivered, long duplicates, long unknownOrInvalid) {}

  final FaultSettings settings;
  final Path dir;
  ExternalPostgres db;
  ClusterProcesses cluster;
  WsRecorder ws;
  OrderLoop orders;
  /** token -> symbol of every instrument the feed node lists. */
  final Map<Long, String> symbols = new LinkedHashMap<>();
  final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  long quietStart;
  long faultAt;
  /** Epoch ns when a rejoined node was ready again; 0 when none rejoined. */
  long rejoinedAt;
  long recoveredAt;
  long observeEnd;
  long measuredAt;
  int faultedNode;
  int faultExitCode = -1;
  final List<String> notes = new ArrayList<>();

  private FaultRun(FaultSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  /**
   * Starts the database, the nodes, the recorder and the order loop, and returns once ticks reach the recorder. On any
   * failure everything started is stopped again.
   */
  public static FaultRun start(FaultSettings settings, Path dir) throws Exception {
    FaultRun run = new FaultRun(settings, dir);
    try {
      run.startAll();
      return run;
    } catch (Exception | Error e) {
      System.out.println("[faults] start failed; logs:\n" + (run.cluster == null ? "  (no nodes)" : run.cluster.logPaths()));
      run.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Files.createDirectories(dir);
    log("run folder " + dir.toAbsolutePath());
    db = ExternalPostgres.start(dir.resolve("postgres"));
    log("PostgreSQL on port " + db.port() + " (log " + db.log() + ")");
    cluster = ClusterProcesses.start(settings.nodes(), new ClusterProcesses.Settings(db.jdbcUrl(), ExternalPostgres.USER, "",
        API_KEY + ":" + ACCOUNT + ":trader+feed+admin", settings.simTicksPerSecond(), settings.nodeHeap(), Map.of(), dir),
        settings.nodeReady());
    log("cluster of " + settings.nodes() + " node JVMs ready:\n" + cluster.logPaths());
    JsonNode items = getJson(cluster.node(1), "/api/v1/instruments?limit=1000").get("items");
    for (JsonNode i : items) symbols.put(i.get("token").asLong(), i.get("symbol").asText());
    if (symbols.isEmpty()) throw new IllegalStateException("node 1 lists no instruments");
    ws = WsRecorder.open(cluster.node(1).address().ws(), List.copyOf(symbols.keySet()), List.of("ticks"), MAX_SUBSCRIPTIONS,
        Duration.ofSeconds(30));
    log("recorder subscribed to the ticks of " + symbols.size() + " instruments on node 1");
    List<Long> equities = new ArrayList<>();
    for (JsonNode i : items) if ("EQ".equals(i.path("kind").asText())) equities.add(i.get("token").asLong());
    orders = new OrderLoop(cluster::liveHttp, API_KEY, ACCOUNT, equities.isEmpty() ? List.copyOf(symbols.keySet()) : equities,
        // a client of an idempotent API retries a "come back later" for as long as the outage may last
        settings.ordersPerSecond(), Duration.ofSeconds(10), Duration.ofSeconds(20).plus(settings.outage()));
    // Warm: every instrument's entity placed (the coordinator's first allocations come with the first ticks) and ticking
    // at the client, and every node knowing every instrument (a node learns the feed node's instruments from the store a
    // while after it started; until then it refuses their orders); before that the "quiet" window would measure the
    // cluster's start, not its steady state.
    long t0 = FaultClock.now();
    String[] missing = {""};
    Await.until(settings.nodeReady(), Duration.ofMillis(500), () -> {
      sample();
      ShardPlacement p = ShardPlacement.read(cluster.nodes());
      long now = FaultClock.now();
      for (long token : symbols.keySet()) {
        if (p.hostAt(token, now) == null) {
          missing[0] = "no shard decision yet for " + symbols.get(token);
          return false;
        }
      }
      java.util.Set<Long> ticking = new java.util.HashSet<>();
      for (WsRecorder.TickFrame f : ws.ticks()) ticking.add(f.token());
      if (!ticking.containsAll(symbols.keySet())) {
        missing[0] = (symbols.size() - ticking.size()) + " instruments without a tick frame yet";
        return false;
      }
      for (NodeProcess n : cluster.nodes()) {
        int listed = getJson(n, "/api/v1/instruments?limit=1000").get("items").size();
        if (listed < symbols.size()) {
          missing[0] = "node " + n.index() + " lists " + listed + " of " + symbols.size() + " instruments";
          return false;
        }
      }
      return true;
    }, () -> "not warm: " + missing[0] + "; logs:\n" + cluster.logPaths());
    notes.add("warm-up took " + (FaultClock.now() - t0) / 1_000_000 + " ms (every instrument placed, ticking at the client, known to every node)");
    orders.start();
    log("warm after " + (FaultClock.now() - t0) / 1_000_000 + " ms: every instrument placed, ticking and known to every node; order loop at "
        + settings.ordersPerSecond() + "/s");
  }

  /** Holds the quiet window (the baseline). */
  public void quiet() {
    quietStart = FaultClock.now();
    log("quiet window " + settings.quiet());
    Await.window(settings.quiet(), Duration.ofSeconds(1), this::sample);
  }

  /** Marks the fault (call right before acting). */
  public void markFault() {
    faultAt = FaultClock.now();
    recoveredAt = faultAt;
  }

  /** Marks the moment the failed part is back. */
  public void markRecovered() {
    recoveredAt = FaultClock.now();
  }

  /** Holds (part of) the observation window, sampling meanwhile. */
  public void observe(Duration length) {
    Await.window(length, Duration.ofSeconds(1), this::sample);
    observeEnd = FaultClock.now();
  }

  /** Kills node {@code i} with SIGKILL, as the fault. */
  public void kill(int i) throws Exception {
    faultedNode = i;
    markFault();
    faultExitCode = cluster.kill(i);
    log("node " + i + " killed (SIGKILL), exit code " + faultExitCode);
  }

  /** Stops node {@code i} with SIGTERM (graceful leave), as the fault. */
  public void leave(int i) throws Exception {
    faultedNode = i;
    markFault();
    faultExitCode = cluster.stop(i, Duration.ofSeconds(60));
    log("node " + i + " left (SIGTERM), exit code " + faultExitCode + " after " + (FaultClock.now() - faultAt) / 1_000_000 + " ms");
  }

  /**
   * Starts node {@code i} again (same address and ports) and waits until it is ready. Resume times still count from the
   * fault: the killed node's instruments must not wait for it to come back.
   */
  public void rejoin(int i) throws Exception {
    long t = FaultClock.now();
    cluster.restart(i, settings.nodeReady());
    rejoinedAt = FaultClock.now();
    String text = "node " + i + " restarted at fault+" + (t - faultAt) / 1_000_000 + " ms, ready (rejoined) after "
        + (FaultClock.now() - t) / 1_000_000 + " ms";
    notes.add(text);
    log(text);
  }

  /**
   * Ends the scenario and takes the figures: stops placing orders, waits (bounded) until storage and the recorder are
   * past the window's end and the orders have settled, then computes {@link FaultFigures} and prints them.
   */
  public FaultFigures finish(String scenario) throws Exception {
    if (observeEnd == 0) observeEnd = FaultClock.now();
    orders.stopPlacing();
    // Caught up: every instrument has a tick stored from after the observation, and the client got one; ticks of the
    // window have then had their chance to be stored and delivered.
    long past = observeEnd + Timeline.DELIVERY_MARGIN_NANOS;
    boolean caughtUp = Await.within(settings.catchUp(), Duration.ofSeconds(1), () -> {
      sample();
      return instrumentsStoredSince(past) >= symbols.size() && ws.maxExchangeTs() >= past;
    });
    measuredAt = FaultClock.now();
    if (!caughtUp) {
      notes.add("not caught up within " + settings.catchUp() + " after the observation: " + instrumentsStoredSince(past) + " of "
          + symbols.size() + " instruments have a tick stored from after it; the figures are taken anyway");
    }
    long loopStopped = FaultClock.now();
    Duration retrying = Duration.ofSeconds(25).plus(settings.outage());
    if (!orders.awaitDone(retrying)) notes.add("some orders were still being retried " + retrying.toSeconds() + " s after the loop stopped");
    FaultFigures f = new Measurements(this, caughtUp, loopStopped).figures(scenario);
    System.out.println(f.summary());
    Artifacts.write(this);
    Path report = dir.resolve("figures-" + scenario + ".txt");
    Files.writeString(report, f.summary());
    log("figures written to " + report);
    return f;
  }

  Timeline timeline() {
    return new Timeline(quietStart, faultAt, recoveredAt, observeEnd, measuredAt);
  }

  /** The feed node's counters now (empty when it does not answer). */
  PrometheusText metrics(int node) {
    try {
      HttpResponse<String> r = cluster.node(node).get("/metrics", Duration.ofSeconds(5));
      return r.statusCode() == 200 ? PrometheusText.parse(r.body()) : PrometheusText.empty();
    } catch (Exception e) {
      return PrometheusText.empty();
    }
  }

  /** Reads the ingest counters now (node 1's pipeline, every live node's duplicates); null when node 1 does not answer. */
  Sample readCounters() {
    PrometheusText m = metrics(1);
    long at = FaultClock.now(); // just after node 1 answered: its counters are at most this recent
    if (m.isEmpty()) return null;
    long duplicates = 0;
    for (NodeProcess n : cluster.nodes()) {
      if (n.alive()) duplicates += (n.index() == 1 ? m : metrics(n.index())).count("tickloom_ingest_duplicates_total");
    }
    return new Sample(at, m.count("tickloom_ingest_received_total"), m.count("tickloom_ingest_stored_total"),
        m.count("tickloom_ingest_undelivered_total"), duplicates,
        m.count("tickloom_ingest_unknown_instrument_total") + m.count("tickloom_ingest_invalid_total"));
  }

  private void sample() {
    Sample s = readCounters();
    if (s != null) samples.add(s);
  }

  long maxStoredExchangeTs() throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(exchange_ts) FROM ticks")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Instruments with a tick stored whose exchange time is at or after {@code since}. */
  long instrumentsStoredSince(long since) throws Exception {
    try (Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
        "SELECT count(DISTINCT token) FROM ticks WHERE exchange_ts >= ?")) {
      ps.setLong(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      return -1; // the database is away: not caught up
    }
  }

  JsonNode getJson(NodeProcess node, String path) throws Exception {
    HttpResponse<String> r = node.get(path, Duration.ofSeconds(10));
    if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + " on node " + node.index() + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  public ClusterProcesses cluster() {
    return cluster;
  }

  public ExternalPostgres database() {
    return db;
  }

  public WsRecorder recorder() {
    return ws;
  }

  public OrderLoop orders() {
    return orders;
  }

  public FaultSettings settings() {
    return settings;
  }

  static void log(String text) {
    System.out.println("[faults " + java.time.LocalTime.now() + "] " + text);
  }

  @Override
  public void close() {
    if (orders != null) orders.close();
    if (ws != null) ws.close();
    if (cluster != null) cluster.close();
    if (db != null) {
      try {
        db.close();
      } catch (Exception e) {
        log("stopping PostgreSQL failed: " + e);
      }
    }
  }
}
