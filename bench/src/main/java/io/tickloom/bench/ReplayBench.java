package io.tickloom.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterConfig;
import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.replay.ReplayOutput;
import io.tickloom.cluster.replay.ReplayRequest;
import io.tickloom.cluster.replay.ReplaySessions;
import io.tickloom.cluster.replay.ReplaySettings;
import io.tickloom.cluster.replay.ReplayStatus;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Replay throughput (issue 7): {@code N} stored ticks of {@code K} instruments (one trading day, loaded with COPY)
 * replayed at {@code max} through a {@link ReplaySessions} session — keyset pages per instrument, k-way merge, the live
 * entity's kernels (dedupe, sequencer, bars on every configured timeframe, indicators on every final bar) in session
 * state — counted at the subscriber. Baselines in the same run, every column read into a long, no object made: a bare
 * SQL scan of the same rows in the replay's order (the same keyset query shape, one instrument after the other, one
 * connection), and a sequential scan of the same rows in storage order (no ORDER BY: the raw read rate of the
 * table). Rounds alternate them; the result line gives medians.
 *
 * <p>The live path writes ticks interleaved across instruments, so an instrument's rows are spread over the whole day
 * partition and reading them in (token, time) order costs a heap page per row. {@code clustered} rewrites the
 * partition in key order first ({@code CLUSTER ... USING} its primary key), as a maintenance job could once a day
 * is complete, so the ordered reads become sequential.
 *
 * <p>{@code tf} is what the replay builds and streams: {@code all} (every configured timeframe, the whole live
 * pipeline) or a list such as {@code 1m} (a chart's replay: only that timeframe's lanes run).
 *
 * <p>Usage: {@code java -Xmx4g -cp ... io.tickloom.bench.ReplayBench [ticks=10000000] [instruments=100] [rounds=2]
 * [as-stored|clustered] [tf=all]}.
 */
public final class ReplayBench {
  private static final long SEC = 1_000_000_000L;
  private static final String SCAN = "SELECT token, exchange_ts, receive_ts, price, qty, trade_id, seq, feed, side, bid, ask, status FROM ticks "
      + "WHERE token = ? AND exchange_ts >= ? AND exchange_ts < ? ORDER BY exchange_ts, dkey";

  public static void main(String[] args) throws Exception {
    int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int instruments = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    boolean clustered = args.length > 3 && args[3].equals("clustered");
    String tfArg = args.length > 4 ? args[4] : "all";
    Path dir = Files.createTempDirectory("tickloom-replay-bench");
    Config config = ClusterConfig.load(ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING\ntickloom.cluster.around-the-clock = on\n"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "replay-bench", config);
    ExecutorService blocking = Executors.newFixedThreadPool(8);
    try (Database db = Database.open(DatabaseSettings.embedded(dir, 12))) {
      List<Instrument> universe = IngestDriver.universe(instruments);
      // One session (09:15-15:30 IST = 03:45-10:00 UTC) of yesterday, ticks evenly spread over it.
      long from = (System.currentTimeMillis() / 86_400_000L - 1) * 86_400L * SEC + (3 * 3600 + 45 * 60) * SEC;
      long to = from + (6 * 3600 + 15 * 60) * SEC;
      long spacing = (to - from) / ticks;
      System.out.printf("ReplayBench: %,d ticks, %d instruments, %d cores, heap %d MiB%n", ticks, instruments,
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      TickStore store = new TickStore(db);
      long t0 = System.nanoTime();
      IngestDriver.Ticks gen = new IngestDriver.Ticks(universe, ticks, from, false, 1, spacing);
      List<Tick> batch = new ArrayList<>(100_000);
      while (gen.hasNext()) {
        batch.add(gen.next());
        if (batch.size() == 100_000 || !gen.hasNext()) {
          store.write(batch);
          batch.clear();
        }
      }
      System.out.printf("loaded %,d ticks with COPY in %.1f s%n", ticks, (System.nanoTime() - t0) / 1e9);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        if (clustered) {
          long t1 = System.nanoTime();
          try (ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'ticks'::regclass")) {
            List<String> parts = new ArrayList<>();
            while (rs.next()) parts.add(rs.getString(1));
            for (String part : parts) s.execute("CLUSTER " + part + " USING " + part + "_pkey");
          }
          System.out.printf("partitions clustered by (token, exchange_ts, dkey) in %.1f s%n", (System.nanoTime() - t1) / 1e9);
        }
        s.execute("VACUUM ANALYZE ticks");
      }

      ClusterSettings settings = ClusterSettings.fromConfig(config);
      ReplaySessions sessions = new ReplaySessions(system, store, new InstrumentRegistry(universe), settings, blocking, ReplaySettings.DEFAULTS);
      List<Long> tokens = universe.stream().map(Instrument::token).toList();
      List<Timeframe> replayed = tfArg.equals("all") ? settings.timeframes()
          : java.util.Arrays.stream(tfArg.split(",")).map(Timeframe::parse).toList();
      List<Double> replay = new ArrayList<>();
      List<Double> scan = new ArrayList<>();
      List<Double> seq = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      List<Double> seqRatio = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double sc = bareScan(db, tokens, from, to, ticks);
        double sq = sequentialScan(db, from, to, ticks);
        double rp = replay(system, sessions, tokens, from, to, ticks, replayed);
        scan.add(sc);
        seq.add(sq);
        replay.add(rp);
        ratio.add(rp / sc);
        seqRatio.add(rp / sq);
        System.out.printf("round %d: replay / ordered scan = %.2f, replay / sequential scan = %.2f%n", round, rp / sc, rp / sq);
      }
      System.out.printf("RESULT (median of %d, %s, tf %s) replay at max %.0f ticks/s | bare SQL scan in replay order %.0f rows/s | sequential scan %.0f rows/s"
          + " | replay / ordered scan = %.2f | replay / sequential scan = %.2f%n", rounds, clustered ? "clustered" : "as stored", tfArg,
          IngestDriver.median(replay), IngestDriver.median(scan), IngestDriver.median(seq), IngestDriver.median(ratio), IngestDriver.median(seqRatio));
    } finally {
      system.terminate();
      blocking.shutdownNow();
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  static double replay(ActorSystem<Void> system, ReplaySessions sessions, List<Long> tokens, long from, long to, int expected,
      List<Timeframe> timeframes) throws Exception {
    ReplayStatus s = sessions.start(new ReplayRequest(tokens, from, to, ReplayRequest.MAX, timeframes, false));
    long t0 = System.nanoTime();
    long[] counts = sessions.subscribe(s.id()).orElseThrow().runWith(Sink.fold(new long[2], (acc, o) -> {
      if (o instanceof ReplayOutput.Batch b) {
        acc[0] += b.ticks().size();
        acc[1] += b.bars().size();
      }
      return acc;
    }), system).toCompletableFuture().get(30, TimeUnit.MINUTES);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (counts[0] != expected) throw new IllegalStateException("replayed " + counts[0] + " of " + expected + " ticks");
    double rate = counts[0] / secs;
    System.out.printf("%-62s %,12.0f ticks/s  (%,d ticks, %,d final bars on %d timeframes, %.2f s)%n", "replay at max (merge, kernels, bars, indicators)",
        rate, counts[0], counts[1], timeframes.size(), secs);
    return rate;
  }

  /** The same rows in storage order (a sequential scan of the partition), every column read, nothing built. */
  static double sequentialScan(Database db, long from, long to, int expected) throws Exception {
    return scan(db, "SELECT token, exchange_ts, receive_ts, price, qty, trade_id, seq, feed, side, bid, ask, status"
        + " FROM ticks WHERE exchange_ts >= ? AND exchange_ts < ?", List.of(new long[] {from, to}), expected,
        "sequential scan, same rows in storage order");
  }

  /** The same rows in the same order with plain JDBC, every column read, nothing built. */
  static double bareScan(Database db, List<Long> tokens, long from, long to, int expected) throws Exception {
    List<long[]> bindings = new java.util.ArrayList<>(tokens.size());
    for (long token : tokens) bindings.add(new long[] {token, from, to});
    return scan(db, SCAN, bindings, expected, "bare SQL scan, same rows and order (JDBC, no objects)");
  }

  /**
   * Runs {@code sql} once per binding on one connection (a cursor of 10,000 rows), reads every one of the 12 columns as
   * a {@code long}, checks the row count and prints and returns rows/s.
   */
  private static double scan(Database db, String sql, List<long[]> bindings, int expected, String label) throws Exception {
    long t0 = System.nanoTime();
    long rows = 0;
    long sink = 0;
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(10_000);
        for (long[] binding : bindings) {
          for (int i = 0; i < binding.length; i++) ps.setLong(i + 1, binding[i]);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              for (int i = 1; i <= 12; i++) sink += rs.getLong(i);
              rows++;
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    if (rows != expected) throw new IllegalStateException("scanned " + rows + " of " + expected + " rows (" + sink + ")");
    double rate = rows / secs;
    System.out.printf("%-62s %,12.0f rows/s   (%,d rows, %.2f s)%n", label, rate, rows, secs);
    return rate;
  }
}
