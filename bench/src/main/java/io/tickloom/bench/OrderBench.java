package io.tickloom.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterConfig;
import io.tickloom.cluster.oms.OmsConfig;
import io.tickloom.cluster.oms.OrderAck;
import io.tickloom.cluster.oms.OrderEntity;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderRequest;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.oms.OrderStatus;
import io.tickloom.cluster.oms.RiskCheck;
import io.tickloom.cluster.oms.TimeInForce;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.DatabaseSettings;
import io.tickloom.protocol.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * End-to-end OMS driver (issue 6's figures) on one node with the embedded PostgreSQL (durable: fsync on), the
 * sharded event-sourced {@link OrderEntity} and the Pekko Persistence JDBC journal. Each order is placed,
 * accepted and filled: three commands, three journaled events, each answered only after its event is written.
 *
 * <ol>
 *   <li><b>throughput</b>: {@code orders} lifecycles with {@code inFlight} orders at once, after a warm-up of
 *       a tenth of that; prints orders/s and events/s journaled;
 *   <li><b>latency</b>: orders started at a fixed {@code rate} per second for {@code seconds}, each timed from
 *       its scheduled start (so a stall is charged to every order it delays: no coordinated omission); prints
 *       place→ack percentiles (the place's reply, sent once {@code OrderSubmitted} is journaled) and the whole
 *       place→accept→fill lifecycle's; first at a quarter of {@code rate}, then at {@code rate}. Orders whose asks fail
 *       (time out) are counted, not timed.
 * </ol>
 *
 * Usage: {@code java -cp ... io.tickloom.bench.OrderBench [orders=20000] [inFlight=512] [rate=1000] [seconds=30] [journalPool]}.
 * After the throughput run, a <b>baseline</b>: the same journal and tag rows inserted straight into PostgreSQL on as many
 * connections as the journal pool has (one event per transaction, then batched), so the OMS's cost over the database is a
 * ratio, measured on the same machine in the same run.
 * The database lives in a temporary folder, deleted at the end. Orders spread over 16 accounts.
 */
public final class OrderBench {
  private static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);
  private static final int ACCOUNTS = 16;

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    String journalPool = args.length > 4 ? "\ntickloom.oms.journal-pool-size = " + Integer.parseInt(args[4]) : "";
    Path dir = Files.createTempDirectory("tickloom-orderbench");
    try (Database db = Database.open(DatabaseSettings.embedded(dir, 4))) {
      Config node = ClusterConfig.load(ConfigFactory.parseString(
          "pekko.remote.artery.canonical.port = 0\npekko.loglevel = WARNING\ntickloom.oms.ask-timeout = 60s" + journalPool));
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "orderbench", OmsConfig.withJournal(node, db));
      try {
        Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
        OrderService oms = OrderService.start(system);
        System.out.printf("OrderBench: %d cores, heap %d MiB, journal pool %d, PostgreSQL embedded (durable)%n",
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, oms.settings().journalPoolSize());

        throughput(system, oms, "warmup", Math.max(1000, orders / 10), inFlight);
        double perSecond = throughput(system, oms, "run", orders, inFlight);
        System.out.printf("throughput: %,.0f orders/s journaled (%,.0f events/s), %d in flight%n", perSecond, perSecond * 3, inFlight);
        // The same rows straight into PostgreSQL, on as many connections as the journal has: what the database alone allows.
        int pool = oms.settings().journalPoolSize();
        double oneByOne = baseline(db, "one event per transaction", orders, pool, 1);
        double batched = baseline(db, "events batched per transaction", orders, pool, Math.max(1, inFlight * 3 / pool));
        System.out.printf("baseline: bare inserts of the same %,d journal + %,d tag rows on %d connections: %,.0f orders/s one event per "
            + "transaction, %,.0f orders/s batched; OMS / baseline = %.2f / %.2f%n", orders * 3, orders * 3, pool, oneByOne, batched,
            perSecond / oneByOne, perSecond / batched);

        // First at a quarter of the rate (a node that is not saturated), then at the rate: an overload leaves
        // entities retrying their recovery for a while, which would spoil a run after it.
        if (seconds > 0 && rate >= 8) latency(oms, rate / 4, seconds);
        if (seconds > 0) latency(oms, rate, seconds);
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static OrderRequest request(String run, long i) {
    return OrderRequest.limit(run + "-" + i, "B" + (i % ACCOUNTS), 408065, i % 2 == 0 ? Side.BUY : Side.SELL, 100, 250_000,
        TimeInForce.DAY);
  }

  /** Place → accept → fill of one order; completes with the place's reply time (nanoTime) and checks the end state. */
  private static CompletionStage<Long> lifecycle(OrderService oms, OrderRequest r) {
    OrderId id = r.orderId();
    long[] placed = new long[1];
    return oms.place(r, MARKET)
        .thenCompose(ack -> {
          placed[0] = System.nanoTime();
          if (!ack.created()) throw new IllegalStateException("order " + id + " already existed");
          return oms.report(id, OrderEntity.Accept::new);
        })
        .thenCompose(ack -> oms.report(id, ref -> new OrderEntity.Fill(100, 250_000, "T-" + id.uuid(), ref)))
        .thenApply(ack -> {
          if (ack.order().status() != OrderStatus.FILLED) throw new IllegalStateException(id + " ended " + ack.order().status());
          return placed[0];
        });
  }

  private static double throughput(ActorSystem<?> system, OrderService oms, String run, int orders, int inFlight) throws Exception {
    long t0 = System.nanoTime();
    Source.range(1, orders)
        .mapAsyncUnordered(inFlight, i -> lifecycle(oms, request(run, i)))
        .runWith(Sink.ignore(), system)
        .toCompletableFuture().get(30, TimeUnit.MINUTES);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("  %-7s %,d orders in %.2f s%n", run, orders, secs);
    return orders / secs;
  }

  /**
   * Bare PostgreSQL: {@code orders} x 3 event rows (event_journal, with a payload of the size a journaled order event
   * has, ~150 bytes) and their event_tag rows, written by {@code connections} threads, {@code perTx} events per
   * transaction, commit waiting for the WAL flush as the journal's does. Returns orders/s.
   */
  private static double baseline(Database db, String name, int orders, int connections, int perTx) throws Exception {
    int events = orders * 3;
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    byte[] payload = new byte[150];
    new java.util.Random(1).nextBytes(payload);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
    long t0 = System.nanoTime();
    try {
      List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
      for (int w = 0; w < connections; w++) {
        workers.add(pool.submit(() -> {
          try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
              java.sql.PreparedStatement j = c.prepareStatement("INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, "
                  + "write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload) VALUES (?,?,false,'bench',?,'',33,'E',?) "
                  + "RETURNING ordering");
              java.sql.PreparedStatement t = c.prepareStatement("INSERT INTO event_tag (event_id, tag) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            while (true) {
              int first = next.getAndAdd(perTx);
              if (first >= events) return null;
              int last = Math.min(events, first + perTx);
              for (int e = first; e < last; e++) {
                j.setString(1, "baseline-" + name.charAt(0) + "|" + (e / 3));
                j.setLong(2, e % 3 + 1);
                j.setLong(3, System.currentTimeMillis());
                j.setBytes(4, payload);
                try (java.sql.ResultSet rs = j.executeQuery()) {
                  rs.next();
                  t.setLong(1, rs.getLong(1));
                }
                t.setString(2, "order-" + (e / 3) % 4);
                t.executeUpdate();
              }
              c.commit();
            }
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : workers) f.get(30, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("  baseline %s (%d per transaction): %,d orders in %.2f s%n", name, perTx, orders, secs);
    return orders / secs;
  }

  private static void latency(OrderService oms, int rate, int seconds) throws Exception {
    Histogram place = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    Histogram whole = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    int orders = rate * seconds;
    long interval = 1_000_000_000L / rate;
    CompletableFuture<?>[] done = new CompletableFuture<?>[orders];
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < orders; i++) {
      long scheduled = start + i * interval;
      long wait;
      while ((wait = scheduled - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      done[i] = lifecycle(oms, request("lat" + rate, i)).toCompletableFuture().handle((placedAt, e) -> {
        if (e != null) {
          failures.incrementAndGet();
          return null;
        }
        long end = System.nanoTime();
        synchronized (place) {
          place.recordValue(placedAt - scheduled);
          whole.recordValue(end - scheduled);
        }
        return null;
      });
    }
    CompletableFuture.allOf(done).get(10, TimeUnit.MINUTES);
    System.out.printf("latency at %,d orders/s for %d s (%,d orders, %d failed), from the scheduled start, ms:%n", rate, seconds, orders,
        failures.get());
    print("place->ack", place);
    print("place->accept->fill", whole);
  }

  private static void print(String name, Histogram h) {
    System.out.printf("  %-20s p50 %6.2f  p90 %6.2f  p99 %6.2f  p99.9 %6.2f  max %7.2f%n", name, ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
