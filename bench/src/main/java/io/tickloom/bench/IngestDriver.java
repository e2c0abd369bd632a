package io.tickloom.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickloom.cluster.MarketNode;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.persistence.TickCopy;
import io.tickloom.persistence.TickStore;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Source;

/**
 * End-to-end ingest load driver (issue 2's figures): simulated ticks for N instruments through the real
 * ingest stream and sharded instrument entities (dedupe, sequencing, bars for all ten timeframes).
 *
 * <ol>
 *   <li><b>in-memory</b>: the pipeline with tick storage off (bars and gaps still go to the store writer);
 *   <li><b>durable</b>: the pipeline storing every tick in PostgreSQL through {@link TickStore#write};
 *   <li><b>bare COPY</b>: the same rows, in the same batch size, COPYed by one connection into a table of the
 *       same shape (partitioned, same key) — the physical limit of this machine's PostgreSQL — and the ratio.
 * </ol>
 *
 * Usage: {@code java -cp ... io.tickloom.bench.IngestDriver [instruments=1000] [ticks=2000000] [all|memory|durable|indicators]
 * [rounds=3] [spacing µs=100]}. {@code indicators} measures the in-memory pipeline with the default indicator set on and
 * off, ticks {@code spacing} apart (100 µs with 1000 instruments: each trades ten times a second, so every tenth tick
 * closes a 1s bar, and 1.3 final bars over all ten timeframes come per ten ticks), each run timed until its bars and
 * indicator values are stored. Prints one line per measurement and a line of medians. Uses an embedded PostgreSQL under a temporary folder (deleted at the end).
 */
public final class IngestDriver {
  private static final long SEC = 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    int instruments = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    String mode = args.length > 2 ? args[2] : "all";
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    long spacingMicros = args.length > 4 ? Long.parseLong(args[4]) : 100;
    Path dir = Files.createTempDirectory("tickloom-bench");
    try (Database db = Database.open(DatabaseSettings.embedded(dir, 8))) {
      List<Instrument> universe = universe(instruments);
      long base = (System.currentTimeMillis() / 86_400_000L) * 86_400L * SEC + 4 * 3600 * SEC; // 04:00 UTC today
      System.out.printf("IngestDriver: %d instruments, %d ticks per run, %d cores, heap %d MiB%n", instruments, ticks,
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

      // Rounds alternate the measurements so that the machine's drift (this kind of machine is noisy) hits both
      // sides of each ratio alike; the result line gives medians.
      var ingest = io.tickloom.cluster.ClusterSettings.fromConfig(io.tickloom.cluster.ClusterConfig.load(ConfigFactory.empty())).ingest();
      long firstSeq = (ticks / 4) / instruments + 1;
      List<Double> memory = new ArrayList<>();
      List<Double> durable = new ArrayList<>();
      List<Double> copy = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      if (mode.equals("indicators")) {
        indicatorsOnOff(db, universe, ticks, rounds, base, spacingMicros * 1_000L);
        return;
      }
      for (int round = 0; round < rounds; round++) {
        long start = base + (2 + 2L * round) * 3600 * SEC;
        if (!mode.equals("durable")) {
          memory.add(run("in-memory (entities + bars, tick storage off)", db, universe, ticks / 4, ticks, start, false));
        }
        if (mode.equals("memory")) continue;
        long stored = start + 10 * 3600 * SEC;
        // The very rows the durable run will store (same times and sequence numbers), into a table of their own.
        double c = bareCopy(db, rows(universe, ticks, stored, firstSeq), ingest.maxBatch(), ingest.storeBatch(), ingest.storeParallelism());
        double d = run("durable (entities + bars + PostgreSQL tick store)", db, universe, ticks / 4, ticks, stored, true);
        long count = storedBetween(db, stored, stored + 3600 * SEC);
        if (count != ticks) throw new IllegalStateException("durable run stored " + count + " of " + ticks + " ticks");
        copy.add(c);
        durable.add(d);
        ratio.add(d / c);
        System.out.printf("round %d: durable/COPY = %.2f%n", round + 1, d / c);
      }
      System.out.printf("RESULT (median of %d) in-memory %.0f ticks/s | durable %.0f ticks/s | bare COPY %.0f rows/s | durable/COPY = %.2f%n",
          rounds, median(memory), median(durable), median(copy), median(ratio));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  /** Indicators on vs off, alternating within each round, on the same ticks (each run on a fresh node and day). */
  static void indicatorsOnOff(Database db, List<Instrument> universe, int ticks, int rounds, long base, long spacing) throws Exception {
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long day = 86_400L * SEC;
      double a = run("in-memory, indicators off (bars stored)", db, universe, ticks / 4, ticks, base + (2 * round + 1) * day,
          false, false, spacing);
      double b = run("in-memory, indicators on (bars + values stored)", db, universe, ticks / 4, ticks, base + (2 * round + 2) * day,
          false, true, spacing);
      off.add(a);
      on.add(b);
      ratio.add(b / a);
      System.out.printf("round %d: on/off = %.2f%n", round + 1, b / a);
    }
    System.out.printf("RESULT (median of %d) indicators off %.0f ticks/s | on %.0f ticks/s | on/off = %.2f%n", rounds, median(off),
        median(on), median(ratio));
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) return 0;
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  static List<Instrument> universe(int n) {
    List<Instrument> list = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) list.add(Instrument.cash(i, Exchange.NSE, "BENCH" + i, InstrumentKind.EQ, 5, 1, 2, 0));
    return list;
  }

  /**
   * Round-robin over the universe, 1 µs apart in exchange time, seq per instrument, random-walk prices; a
   * fixed seed, so a second pass yields the same rows. With {@code live}, each tick is stamped with the wall
   * clock when it is produced, as a feed does on receipt (the entities' idle clock relies on it).
   */
  static final class Ticks implements java.util.Iterator<Tick> {
    private final SplittableRandom rnd = new SplittableRandom(42);
    private final long[] tokens;
    private final long[] price;
    private final long[] seq;
    private final int count;
    private final long startTs;
    private final boolean live;
    private final long spacing;
    private long now;
    private int i;

    Ticks(List<Instrument> universe, int count, long startTs, boolean live, long firstSeq) {
      this(universe, count, startTs, live, firstSeq, 1_000L);
    }

    Ticks(List<Instrument> universe, int count, long startTs, boolean live, long firstSeq, long spacing) {
      this.spacing = spacing;
      this.tokens = universe.stream().mapToLong(Instrument::token).toArray();
      this.price = new long[tokens.length];
      this.seq = new long[tokens.length];
      java.util.Arrays.fill(price, 100_000);
      java.util.Arrays.fill(seq, firstSeq - 1);
      this.count = count;
      this.startTs = startTs;
      this.live = live;
    }

    @Override
    public boolean hasNext() {
      return i < count;
    }

    @Override
    public Tick next() {
      int k = i % tokens.length;
      price[k] = Math.max(5, price[k] + (rnd.nextInt(3) - 1) * 5L);
      long ts = startTs + i * spacing;
      if (!live) now = ts;
      else if ((i & 1023) == 0) now = System.currentTimeMillis() * 1_000_000L;
      i++;
      return new Tick(tokens[k], ts, now, price[k], 1 + rnd.nextInt(100), Tick.NO_TRADE_ID, ++seq[k], Feed.PRIMARY,
          rnd.nextBoolean() ? Side.BUY : Side.SELL, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
    }
  }

  static List<Tick> rows(List<Instrument> universe, int count, long startTs, long firstSeq) {
    return rows(universe, count, startTs, firstSeq, 1_000L);
  }

  static List<Tick> rows(List<Instrument> universe, int count, long startTs, long firstSeq, long spacing) {
    List<Tick> out = new ArrayList<>(count);
    new Ticks(universe, count, startTs, false, firstSeq, spacing).forEachRemaining(out::add);
    return out;
  }

  static double run(String name, Database db, List<Instrument> universe, int warmup, int ticks, long startTs, boolean store) throws Exception {
    return run(name, db, universe, warmup, ticks, startTs, store, true, 0);
  }

  /**
   * @param spacing exchange-time distance of consecutive ticks; 0: 1 µs, timed until the ticks are processed (the
   *     classic figure); else that spacing, timed until the derived bars (and values) are stored too
   */
  static double run(String name, Database db, List<Instrument> universe, int warmup, int ticks, long startTs, boolean store,
      boolean indicators, long spacing) throws Exception {
    Config config = ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\npekko.loglevel = WARNING\n"
        + "tickloom.cluster.around-the-clock = on\n" + (indicators ? "" : "tickloom.cluster.indicators.names = []\n")
        + "tickloom.cluster.indicators.warm-start = off\ntickloom.cluster.ask-timeout = 120s\ntickloom.cluster.writer-flush-timeout = 600s");
    config = io.tickloom.cluster.ClusterConfig.load(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
    try {
      Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      MarketNode node = store ? MarketNode.start(system, db, meters) : MarketNode.startWithoutTickStorage(system, db, meters);
      node.registerInstruments(universe);
      node.ingest(Source.fromIterator(() -> new Ticks(universe, warmup, startTs - 3600 * SEC, true, 1)))
          .second().toCompletableFuture().get(10, TimeUnit.MINUTES);
      // Sequence numbers go on after the warm-up's, as a feed's would (a restart from 1 would be deduplicated).
      long firstSeq = warmup / universe.size() + 1;
      // The rows exist before the clock starts, as they do for the bare COPY: both runs measure moving the same
      // ticks into place, not making them. (Receive stamps do not matter: entities time idleness themselves.)
      List<Tick> rows = rows(universe, ticks, startTs, firstSeq, spacing == 0 ? 1_000L : spacing);
      if (spacing != 0) node.flushWriter().toCompletableFuture().get(10, TimeUnit.MINUTES);
      double retriesBefore = meters.get("tickloom.ingest.retries").tag("kind", "ticks").counter().count();
      long t0 = System.nanoTime();
      node.ingest(Source.from(rows)).second().toCompletableFuture().get(30, TimeUnit.MINUTES);
      if (spacing != 0) node.flushWriter().toCompletableFuture().get(10, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - t0) / 1e9;
      double rate = ticks / secs;
      node.flushWriter().toCompletableFuture().get(1, TimeUnit.MINUTES);
      System.out.printf("%-55s %,12.0f ticks/s  (%,d ticks in %.2f s)%n", name, rate, ticks, secs);
      System.out.printf("    accepted %,.0f, duplicates %,.0f, rejected %,.0f, final and revised bars %,.0f%n",
          meters.get("tickloom.ingest.accepted").counter().count(), meters.get("tickloom.ingest.duplicates").counter().count(),
          meters.get("tickloom.ingest.rejected").counter().count(), meters.get("tickloom.bars.final").counter().count());
      System.out.printf("    entity batches sent again (no answer in lane-ask-timeout) %,.0f in the warm-up, %,.0f in the timed run%n", retriesBefore,
          meters.get("tickloom.ingest.retries").tag("kind", "ticks").counter().count() - retriesBefore);
      return rate;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The baseline: the same rows COPYed into a table of the same shape (partitioned by day, same key), with the
   * same write concurrency and batch size as the pipeline's store stage, and the rows of each ingest batch in
   * the order the pipeline writes them (grouped by instrument) — so the ratio is the pipeline's own overhead.
   */
  static double bareCopy(Database db, List<Tick> ticks, int ingestBatch, int storeBatch, int connections) throws Exception {
    List<Tick> ordered = new ArrayList<>(ticks.size());
    for (int i = 0; i < ticks.size(); i += ingestBatch) {
      List<Tick> chunk = new ArrayList<>(ticks.subList(i, Math.min(ticks.size(), i + ingestBatch)));
      chunk.sort(java.util.Comparator.comparingLong(Tick::token)); // stable: time order within an instrument
      ordered.addAll(chunk);
    }
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      long day = Math.floorDiv(ticks.get(0).exchangeTs(), 86_400 * SEC);
      s.execute("DROP TABLE IF EXISTS ticks_baseline");
      s.execute("CREATE TABLE ticks_baseline (LIKE ticks INCLUDING ALL) PARTITION BY RANGE (exchange_ts)");
      s.execute("CREATE TABLE ticks_baseline_d PARTITION OF ticks_baseline FOR VALUES FROM (" + day * 86_400 * SEC + ") TO ("
          + (day + 1) * 86_400 * SEC + ")");
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < connections; w++) {
      workers.add(pool.submit(() -> {
        TickCopy copy = new TickCopy();
        try (Connection c = db.dataSource().getConnection()) {
          for (int i = next.getAndAdd(storeBatch); i < ordered.size(); i = next.getAndAdd(storeBatch)) {
            copy.copy(c, "ticks_baseline", ordered.subList(i, Math.min(ordered.size(), i + storeBatch)));
          }
        }
        return null;
      }));
    }
    for (var f : workers) f.get();
    double secs = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    double rate = ticks.size() / secs;
    System.out.printf("%-55s %,12.0f rows/s   (%,d rows in %.2f s)%n", "bare COPY, same rows, same table shape", rate, ticks.size(), secs);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE ticks_baseline");
    }
    return rate;
  }

  static long storedBetween(Database db, long from, long to) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT count(*) FROM ticks WHERE exchange_ts >= ? AND exchange_ts < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
