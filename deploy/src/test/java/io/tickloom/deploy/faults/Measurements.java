package io.tickloom.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes {@link FaultFigures} from what a {@link FaultRun} gathered and from the product's outside: the feed node's
 * {@code /metrics}, SQL on the {@code ticks}, {@code gaps}, {@code orders} and {@code event_journal} tables, the
 * recorder's frames, the order loop's answers, {@code GET /api/v1/orders/{id}}, and the coordinator's lines in the node
 * logs ({@link ShardPlacement}). Definitions are in {@link FaultFigures}' parameter docs.
 */
final class Measurements {
  private static final Set<String> PENDING = Set.of("PENDING_NEW", "PENDING_CANCEL", "PENDING_MODIFY");
  private static final Set<String> FINAL = Set.of("FILLED", "REJECTED", "CANCELLED", "EXPIRED");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FaultRun run;
  private final Timeline t;
  private final boolean caughtUp;
  private final long loopStopped;
  private final List<String> notes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  Measurements(FaultRun run, boolean caughtUp, long loopStopped) {
    this.run = run;
    this.t = run.timeline();
    this.caughtUp = caughtUp;
    this.loopStopped = loopStopped;
  }

  FaultFigures figures(String scenario) throws Exception {
    notes.addAll(run.notes);
    // Who owned which instrument at the fault.
    ShardPlacement placement = ShardPlacement.read(run.cluster.nodes());
    Set<Long> affected = new HashSet<>();
    Set<Long> survivors = new HashSet<>();
    int unplaced = 0;
    if (run.faultedNode == 0) {
      affected.addAll(run.symbols.keySet());
      survivors.addAll(run.symbols.keySet());
    } else {
      String faultedHost = run.cluster.node(run.faultedNode).address().host();
      for (long token : run.symbols.keySet()) {
        String host = placement.hostAt(token, t.faultAt());
        if (host == null) unplaced++;
        else if (host.equals(faultedHost)) affected.add(token);
        else survivors.add(token);
      }
      Map<String, Integer> perHost = new TreeMap<>();
      for (long token : run.symbols.keySet()) {
        String host = placement.hostAt(token, t.faultAt());
        perHost.merge(host == null ? "unknown" : host, 1, Integer::sum);
      }
      notes.add("instrument entities per node at the fault (coordinator log, " + placement.decisions() + " decisions): " + perHost);
      List<String> odd = placement.shardsNotOf(run.symbols.keySet());
      if (!odd.isEmpty()) notes.add("coordinator allocated instrument shards no listed token maps to (shard-id formula off?): " + odd);
    }
    long balancedAfterMs = -1;
    if (run.rejoinedAt > 0) {
      String host = run.cluster.node(run.faultedNode).address().host();
      long at = placement.balancedAt(host, run.cluster.nodes().size(), run.rejoinedAt, t.measuredAt());
      balancedAfterMs = at < 0 ? Long.MAX_VALUE : (at - run.rejoinedAt) / 1_000_000;
    }
    FaultFigures.Cluster cluster = new FaultFigures.Cluster(run.cluster.nodes().size(), run.faultedNode, run.faultExitCode,
        t.faultAt() / 1_000_000, run.symbols.size(), affected.size(), survivors.size(), unplaced, caughtUp,
        (t.measuredAt() - t.faultAt()) / 1_000_000, balancedAfterMs);
    // The counters are read now, the rows they must match last (after the orders' settling time), so that ticks still in
    // flight now (a backlog after a stall) have been stored by then: what is still missing is lost or stuck.
    FaultRun.Sample counters = run.readCounters();
    FaultFigures.Stream stream = stream(affected, survivors);
    FaultFigures.Orders orders = orders();
    FaultFigures.Ingest ingest = ingest(counters);
    notes.addAll(LogEvidence.notes(run.cluster.nodes()));
    return new FaultFigures(scenario, cluster, ingest, stream, orders, List.copyOf(notes));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // ingest

  private FaultFigures.Ingest ingest(FaultRun.Sample counters) throws Exception {
    PrometheusText m = run.metrics(1);
    FaultRun.Sample end = counters;
    if (end == null) {
      notes.add("node 1's /metrics did not answer at the end: ingest counters are 0");
      end = new FaultRun.Sample(FaultClock.now(), 0, 0, 0, 0, 0);
    }
    // Rows of the ticks received by the counters' reading: every tick received then and not among them now is lost (or
    // stuck), whatever the product counted it as. Waits (bounded) until they are all there or the count stopped growing.
    long readAt = end.at();
    long expected = end.received() - end.unknownOrInvalid();
    long[] storedByRead = {rowsReceivedBy(readAt)};
    long[] grewAt = {System.nanoTime()};
    Await.within(Duration.ofSeconds(20), Duration.ofMillis(500), () -> {
      long now = rowsReceivedBy(readAt);
      if (now != storedByRead[0]) grewAt[0] = System.nanoTime();
      storedByRead[0] = now;
      return now >= expected || System.nanoTime() - grewAt[0] > 3_000_000_000L;
    });
    long notStored = Math.max(0, expected - storedByRead[0]);

    long storedRows;
    long holes = 0;
    long holesAfterFault = 0;
    int tokensWithHoles;
    int stalled;
    long gapsOpened;
    long gapsLost;
    try (Connection c = run.db.connect()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ticks"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        storedRows = rs.getLong(1);
      }
      // Seqs from 1 per instrument, one per trade; count the missing ones below the highest seq stored before the
      // delivery window's end (a swapped neighbour comes within ms).
      long cut = t.deliveryWindowEnd();
      Map<Long, long[]> last = new HashMap<>(); // token -> {seq, ts} of the previous distinct seq
      Map<Long, Long> maxBeforeCut = new HashMap<>();
      List<long[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT DISTINCT ON (token, seq) token, seq, exchange_ts FROM ticks ORDER BY token, seq")) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long[] r = {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            rows.add(r);
            if (r[2] < cut) maxBeforeCut.merge(r[0], r[1], Math::max);
          }
        }
      }
      Set<Long> holed = new HashSet<>();
      List<String> holeNotes = new ArrayList<>();
      for (long[] r : rows) {
        long token = r[0];
        Long limit = maxBeforeCut.get(token);
        if (limit == null || r[1] > limit) continue;
        long[] prev = last.get(token);
        long prevSeq = prev == null ? 0 : prev[0];
        long prevTs = prev == null ? Long.MIN_VALUE : prev[1];
        long missing = r[1] - prevSeq - 1;
        if (missing > 0) {
          holes += missing;
          holed.add(token);
          if (r[2] >= t.faultAt()) holesAfterFault += missing;
          if (holeNotes.size() < 10) {
            holeNotes.add(String.format("%s seq %d..%d (exchange time %s .. %s)", run.symbols.getOrDefault(token, Long.toString(token)),
                prevSeq + 1, r[1] - 1, prev == null ? "start" : rel(prevTs), rel(r[2])));
          }
        }
        last.put(token, new long[] {r[1], r[2]});
      }
      tokensWithHoles = holed.size();
      if (!holeNotes.isEmpty()) notes.add("seq holes in the ticks table (first 10): " + holeNotes);
      // Instruments whose storage did not get past the observation.
      Map<Long, Long> newest = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT token, max(exchange_ts) FROM ticks GROUP BY token"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) newest.put(rs.getLong(1), rs.getLong(2));
      }
      Map<Long, Integer> stalledSince = new TreeMap<>();
      for (long token : run.symbols.keySet()) {
        long n = newest.getOrDefault(token, 0L);
        if (n < t.observeEnd()) stalledSince.put(token, (int) ((n - t.faultAt()) / 1_000_000));
      }
      stalled = stalledSince.size();
      if (!stalledSince.isEmpty()) notes.add("stalled instruments, newest stored tick at fault + ms: " + named(stalledSince, 30));
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count(*), count(*) FILTER (WHERE state = 'LOST') FROM gaps WHERE opened_at >= ?")) {
        ps.setLong(1, t.quietStart());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          gapsOpened = rs.getLong(1);
          gapsLost = rs.getLong(2);
        }
      }
    }
    return new FaultFigures.Ingest(m.count("tickloom_ingest_source_ticks_total"), end.received(), end.stored(), end.undelivered(),
        end.duplicates(), end.unknownOrInvalid(), m.count("tickloom_ingest_store_failures_total"), notStored, storedRows, holes,
        holesAfterFault, tokensWithHoles, stalled, gapsOpened, gapsLost, stall(t.quietStart(), t.faultAt()), stall(t.faultAt(), t.measuredAt()));
  }

  /** Rows in the ticks table received (by node 1's clock) at or before {@code at}. */
  private long rowsReceivedBy(long at) throws SQLException {
    try (Connection c = run.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ticks WHERE receive_ts <= ?")) {
      ps.setLong(1, at);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** {@code at} as seconds relative to the fault ({@code F+12.345s}, {@code F-3.000s}). */
  String rel(long at) {
    return String.format(java.util.Locale.ROOT, "F%+.3fs", (at - t.faultAt()) / 1e9);
  }

  /** Longest run of samples in [from, to] over which the stored counter did not move, in ms (-1 without samples). */
  private double stall(long from, long to) {
    List<FaultRun.Sample> s;
    synchronized (run.samples) {
      s = new ArrayList<>(run.samples);
    }
    FaultRun.Sample flatSince = null;
    FaultRun.Sample prev = null;
    long longest = -1;
    for (FaultRun.Sample x : s) {
      if (x.at() < from || x.at() > to) continue;
      if (prev == null) {
        longest = 0;
      } else if (x.stored() == prev.stored()) {
        if (flatSince == null) flatSince = prev;
        longest = Math.max(longest, x.at() - flatSince.at());
      } else {
        flatSince = null;
      }
      prev = x;
    }
    return longest < 0 ? -1 : longest / 1e6;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // stream

  private FaultFigures.Stream stream(Set<Long> affected, Set<Long> survivors) throws SQLException {
    WsRecorder ws = run.ws;
    List<WsRecorder.TickFrame> frames = ws.ticks();
    Map<Long, Set<Long>> got = new HashMap<>();
    long duplicates = 0;
    for (WsRecorder.TickFrame f : frames) {
      if (!got.computeIfAbsent(f.token(), k -> new HashSet<>()).add(f.dkey())) duplicates++;
    }
    // Stored ticks of the window against the frames.
    Set<Long> subscribed = new HashSet<>(ws.tokens());
    Map<Long, Set<Long>> stored = new HashMap<>();
    long storedInWindow = 0;
    long misses = 0;
    long missesInFault = 0;
    Map<Long, Integer> missesPerToken = new TreeMap<>();
    try (Connection c = run.db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT token, dkey, exchange_ts FROM ticks WHERE exchange_ts BETWEEN ? AND ?")) {
      ps.setLong(1, t.quietStart());
      ps.setLong(2, t.deliveryWindowEnd());
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long token = rs.getLong(1);
          long dkey = rs.getLong(2);
          if (!subscribed.contains(token)) continue;
          storedInWindow++;
          stored.computeIfAbsent(token, k -> new HashSet<>()).add(dkey);
          if (!got.getOrDefault(token, Set.of()).contains(dkey)) {
            misses++;
            missesPerToken.merge(token, 1, Integer::sum);
            if (rs.getLong(3) >= t.faultAt()) missesInFault++;
          }
        }
      }
    }
    long deliveredNotStored = 0;
    for (WsRecorder.TickFrame f : frames) {
      if (t.inDeliveryWindow(f.exchangeTs()) && !stored.getOrDefault(f.token(), Set.of()).contains(f.dkey())) deliveredNotStored++;
    }
    long explained = ws.droppedFrames() + ws.unknownFrames().size();
    long silent = Math.max(0, misses - explained);
    if (!missesPerToken.isEmpty()) notes.add("misses per instrument: " + named(missesPerToken, 12));
    if (!ws.unknownFrames().isEmpty()) notes.add("unknown frame types received: " + ws.unknownFrames().size() + ", first: " + ws.unknownFrames().get(0));
    if (!ws.errorFrames().isEmpty()) notes.add("error frames: " + ws.errorFrames().size() + ", first: " + ws.errorFrames().get(0).text());
    for (WsRecorder.Closure cl : ws.closures()) notes.add("recorder connection " + cl.connection() + " " + cl.why() + " at " + rel(cl.at()));
    if (!ws.droppedNotices().isEmpty()) {
      List<String> when = new ArrayList<>();
      for (WsRecorder.RawFrame d : ws.droppedNotices()) if (when.size() < 10) when.add(rel(d.arrival()) + " " + d.text());
      notes.add("dropped notices (first 10): " + when);
    }

    // Survivors: the longest silence over all their ticks, and the worst delay, quiet vs fault window.
    long[] survivorArrivals = frames.stream().filter(f -> survivors.contains(f.token())).mapToLong(WsRecorder.TickFrame::arrival).sorted().toArray();
    double quietPause = maxGapMs(survivorArrivals, t.quietStart(), t.faultAt());
    double faultPause = maxGapMs(survivorArrivals, t.faultAt(), t.measuredAt());
    double quietLatency = -1;
    double faultLatency = -1;
    Map<Long, Long> worstLatency = new HashMap<>();
    for (WsRecorder.TickFrame f : frames) {
      if (!survivors.contains(f.token())) continue;
      double l = f.latency() / 1e6;
      if (t.inQuiet(f.arrival())) quietLatency = Math.max(quietLatency, l);
      if (t.inFault(f.arrival())) {
        faultLatency = Math.max(faultLatency, l);
        worstLatency.merge(f.token(), f.latency(), Math::max);
      }
    }
    String worst = worstLatency.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(e -> run.symbols.get(e.getKey()) + " " + FaultFigures.ms(e.getValue() / 1e6)).orElse("-");

    // Affected: first tick produced after the fault (the recovery) at the client.
    Map<Long, Long> firstAfter = new HashMap<>();
    for (WsRecorder.TickFrame f : frames) {
      if (affected.contains(f.token()) && f.exchangeTs() >= t.recoveredAt()) firstAfter.merge(f.token(), f.arrival(), Math::min);
    }
    double[] resumes = new double[affected.size()];
    int never = 0;
    int k = 0;
    Map<Long, Integer> slowest = new TreeMap<>();
    for (long token : affected) {
      Long first = firstAfter.get(token);
      if (first == null) {
        never++;
        resumes[k++] = Double.POSITIVE_INFINITY;
      } else {
        resumes[k++] = (first - t.recoveredAt()) / 1e6;
        slowest.put(token, (int) ((first - t.recoveredAt()) / 1_000_000));
      }
    }
    Arrays.sort(resumes);
    double resumeMax = resumes.length == 0 ? -1 : resumes[resumes.length - 1];
    double resumeP50 = resumes.length == 0 ? -1 : resumes[(resumes.length - 1) / 2];
    if (!slowest.isEmpty()) notes.add("resume ms per affected instrument: " + named(slowest, 40));
    long quietFrames = frames.stream().filter(f -> t.inQuiet(f.arrival())).count();
    return new FaultFigures.Stream(frames.size(), quietFrames, duplicates, ws.droppedNotices().size(), ws.droppedFrames(), ws.unknownFrames().size(),
        ws.errorFrames().size(), ws.closures().size(), storedInWindow, misses, missesInFault, missesPerToken.size(), silent, deliveredNotStored,
        quietPause, faultPause, quietLatency, faultLatency, worst, resumeMax, resumeP50, never);
  }

  /** Longest interval in [from, to] without an arrival (the window's edges count as arrivals), in ms; -1 for an empty window. */
  static double maxGapMs(long[] sortedArrivals, long from, long to) {
    if (to <= from) return -1;
    long prev = from;
    long max = 0;
    for (long a : sortedArrivals) {
      if (a < from) continue;
      if (a > to) break;
      max = Math.max(max, a - prev);
      prev = a;
    }
    max = Math.max(max, to - prev);
    return max / 1e6;
  }

  private String named(Map<Long, Integer> perToken, int limit) {
    StringBuilder b = new StringBuilder("{");
    perToken.entrySet().stream().sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()).limit(limit)
        .forEach(e -> b.append(b.length() > 1 ? ", " : "").append(run.symbols.getOrDefault(e.getKey(), e.getKey().toString())).append('=').append(e.getValue()));
    if (perToken.size() > limit) b.append(", ... ").append(perToken.size() - limit).append(" more");
    return b.append('}').toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // orders

  private FaultFigures.Orders orders() throws Exception {
    List<OrderLoop.Order> placed = run.orders.orders();
    int acked = 0;
    int refused = 0;
    int gaveUp = 0;
    int got503 = 0;
    long attempts = 0;
    long unanswered = 0;
    List<Long> latencies = new ArrayList<>();
    for (OrderLoop.Order o : placed) {
      if (o.acknowledged()) acked++;
      else if (o.gaveUp()) gaveUp++;
      else if (o.done()) refused++;
      if (o.answered503()) got503++;
      for (OrderLoop.Attempt a : o.attempts()) {
        attempts++;
        if (a.answered()) latencies.add(a.latencyNanos());
        else unanswered++;
      }
    }
    latencies.sort(null);
    notes.add("order answers by status: " + answersByStatus(placed));
    notes.add("order latency (answered): quiet window p50 " + FaultFigures.ms(latency(placed, t.quietStart(), t.faultAt(), 0.5)) + " p99 "
        + FaultFigures.ms(latency(placed, t.quietStart(), t.faultAt(), 0.99)) + "; fault window p50 "
        + FaultFigures.ms(latency(placed, t.faultAt(), t.measuredAt(), 0.5)) + " p99 " + FaultFigures.ms(latency(placed, t.faultAt(), t.measuredAt(), 0.99)));
    // The entity's state, asked until nothing is pending or order-settle has passed since the loop stopped.
    Map<String, String> state = new HashMap<>();
    long deadline = loopStopped + run.settings.orderSettle().toNanos();
    while (true) {
      for (OrderLoop.Order o : placed) {
        String s = state.get(o.orderId());
        if (s == null || PENDING.contains(s) || s.equals("UNKNOWN")) state.put(o.orderId(), entityState(o.orderId()));
      }
      boolean settled = state.values().stream().noneMatch(s -> PENDING.contains(s) || s.equals("UNKNOWN"));
      if (settled || FaultClock.now() >= deadline) break;
      Thread.sleep(1000);
    }
    Map<String, Integer> states = new TreeMap<>();
    state.values().forEach(s -> states.merge(s, 1, Integer::sum));
    Map<String, Integer> rejections = new TreeMap<>();
    int asked = 0;
    for (Map.Entry<String, String> e : state.entrySet()) {
      if (e.getValue().equals("REJECTED") && asked++ < 30) rejections.merge(rejectionReason(e.getKey()), 1, Integer::sum);
    }
    if (!rejections.isEmpty()) notes.add("rejection reasons (journal events of up to 30 rejected orders): " + rejections);
    // The journal and the read side.
    Map<String, Integer> journal = new HashMap<>();
    Map<String, String> readSide = new HashMap<>();
    try (Connection c = run.db.connect()) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT persistence_id, count(*) FROM event_journal WHERE persistence_id LIKE ? GROUP BY persistence_id")) {
        ps.setString(1, "order|" + FaultRun.ACCOUNT + ".%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) journal.put(rs.getString(1).substring("order|".length()), rs.getInt(2));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT order_id, status FROM orders WHERE account = ?")) {
        ps.setString(1, FaultRun.ACCOUNT);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) readSide.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    int stuck = 0;
    int existsAnyway = 0;
    int existsUnconfirmed = 0;
    int lostAcked = 0;
    int readStuck = 0;
    int readMissing = 0;
    List<String> stuckIds = new ArrayList<>();
    for (OrderLoop.Order o : placed) {
      String s = state.get(o.orderId());
      boolean exists = !"NONE".equals(s) && !"UNKNOWN".equals(s) || journal.containsKey(o.orderId());
      if (PENDING.contains(s)) {
        stuck++;
        if (stuckIds.size() < 5) stuckIds.add(o.orderId() + " (" + s + ", answers " + statuses(o) + ")");
      }
      if (!o.acknowledged() && exists && (o.gaveUp() || o.answered503() || o.lastStatus() < 0)) {
        if (o.mayHaveActed()) existsUnconfirmed++;
        else existsAnyway++;
      }
      if (o.acknowledged() && !exists) lostAcked++;
      String rs = readSide.get(o.orderId());
      if (exists && rs == null) readMissing++;
      if (rs != null && PENDING.contains(rs) && s != null && FINAL.contains(s)) readStuck++;
    }
    if (!stuckIds.isEmpty()) notes.add("stuck orders, first: " + stuckIds);
    if (journal.isEmpty() && acked > 0) notes.add("no journal rows matched 'order|" + FaultRun.ACCOUNT + ".%': the persistence id format may have changed");
    return new FaultFigures.Orders(placed.size(), acked, refused, gaveUp, got503, attempts, unanswered, percentile(latencies, 0.5),
        percentile(latencies, 0.99), latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1) / 1e6, states, stuck, existsAnyway, existsUnconfirmed,
        lostAcked, readStuck, readMissing);
  }

  /** Attempts per answer status, with the first body of each (bodies of 2xx answers left out). */
  private static String answersByStatus(List<OrderLoop.Order> placed) {
    Map<Integer, Integer> count = new TreeMap<>();
    Map<Integer, String> sample = new HashMap<>();
    for (OrderLoop.Order o : placed) {
      for (OrderLoop.Attempt a : o.attempts()) {
        count.merge(a.status(), 1, Integer::sum);
        if (a.status() / 100 != 2) sample.putIfAbsent(a.status(), a.body() == null ? "" : a.body().length() > 240 ? a.body().substring(0, 240) + "..." : a.body());
      }
    }
    StringBuilder b = new StringBuilder();
    count.forEach((status, n) -> b.append(b.length() > 0 ? "; " : "").append(status < 0 ? "no answer" : status).append(" x").append(n)
        .append(sample.containsKey(status) ? " e.g. " + sample.get(status) : ""));
    return b.toString();
  }

  /** Percentile {@code p} of the latencies of answered attempts sent in [from, to], in ms; -1 when none. */
  private static double latency(List<OrderLoop.Order> placed, long from, long to, double p) {
    List<Long> l = new ArrayList<>();
    for (OrderLoop.Order o : placed) {
      for (OrderLoop.Attempt a : o.attempts()) if (a.answered() && a.sentAt() >= from && a.sentAt() <= to) l.add(a.latencyNanos());
    }
    l.sort(null);
    return percentile(l, p);
  }

  private static String statuses(OrderLoop.Order o) {
    StringBuilder b = new StringBuilder();
    for (OrderLoop.Attempt a : o.attempts()) b.append(b.length() > 0 ? "," : "").append(a.status());
    return b.toString();
  }

  /** The reason of the order's rejection event ({@code GET /api/v1/orders/{id}/events}), or why it is not known. */
  private String rejectionReason(String orderId) {
    for (URI node : run.cluster.liveHttp()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/api/v1/orders/" + orderId + "/events"))
            .timeout(Duration.ofSeconds(6)).header("X-API-Key", FaultRun.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) continue;
        for (JsonNode e : JSON.readTree(r.body()).path("items")) {
          if (e.path("type").asText().contains("Reject")) return e.path("reason").asText("(no reason field)");
        }
        return "(no rejection event)";
      } catch (java.io.IOException e) {
        // try the next node
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "(events not readable)";
  }

  /** The order's state per its entity on a live node: the status, NONE (404) or UNKNOWN (no usable answer). */
  private String entityState(String orderId) {
    for (URI node : run.cluster.liveHttp()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/api/v1/orders/" + orderId)).timeout(Duration.ofSeconds(6))
            .header("X-API-Key", FaultRun.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return "NONE";
        if (r.statusCode() == 200) {
          JsonNode view = JSON.readTree(r.body());
          return view.path("status").asText("UNKNOWN");
        }
      } catch (java.io.IOException e) {
        // try the next node
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "UNKNOWN";
      }
    }
    return "UNKNOWN";
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return -1;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }
}
