package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timestamps;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TickStoreTest {
  static final long DAY = 86_400L * Timestamps.NANOS_PER_SECOND;
  static final long T0 = Timestamps.of(Instant.parse("2026-01-15T03:45:00Z"));
  static final Comparator<Tick> KEY_ORDER = Comparator.comparingLong(Tick::exchangeTs).thenComparingLong(Tick::dedupeKey);

  Database db;
  TickStore store;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    store = new TickStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Tick tick(long token, long ts, long seq) {
    return new Tick(token, ts, ts + 1_234, 250_005 + seq, 10 + seq, 9_000 + seq, seq, Feed.PRIMARY, Side.BUY, 250_000, 250_010, TickStatus.LIVE);
  }

  static List<Tick> ticks(long token, long ts0, int n) {
    List<Tick> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(tick(token, ts0 + i * 1_000_000L, i + 1));
    return out;
  }

  @Test
  void write_roundTripsEveryFieldExactly() {
    List<Tick> in = List.of(
        new Tick(7, T0, T0 + 5, 250_005, 3, 42, 1, Feed.PRIMARY, Side.BUY, 250_000, 250_010, TickStatus.LIVE),
        new Tick(7, T0 + 1, T0 + 6, Long.MAX_VALUE, Long.MIN_VALUE + 1, Tick.NO_TRADE_ID, 2, Feed.SECONDARY, null,
            Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.STALE),
        new Tick(7, T0 + 2, -1, -5, 0, 0, Long.MAX_VALUE, Feed.REPLAY, Side.SELL, Tick.NO_PRICE, 1, TickStatus.LIVE),
        new Tick(7, T0 + 3, 0, 1, 1, Long.MAX_VALUE, 4, Feed.IMPORT, null, -7, Tick.NO_PRICE, TickStatus.STALE));
    store.write(in);
    assertEquals(in, store.page(7, Long.MIN_VALUE, Long.MAX_VALUE, 100, null).items());
    List<Tick> scanned = new ArrayList<>();
    store.scan(7, T0, T0 + 4, scanned::add);
    assertEquals(in, scanned);
  }

  @Test
  void write_keepsDistinctTicksThatShareATimestamp() {
    Tick a = Tick.of(1, T0, T0, 100, 1, 1, Feed.PRIMARY);
    Tick b = Tick.of(1, T0, T0, 100, 1, 2, Feed.PRIMARY);
    store.write(List.of(a));
    store.write(List.of(b));
    assertEquals(List.of(a, b), store.latest(1, 10));
  }

  @Test
  void write_absorbsARedeliveredBatch() {
    List<Tick> batch = ticks(3, T0, 5_000); // several COPY buffers: the server may refuse before the end
    assertEquals(5_000, store.write(batch));
    assertEquals(0, store.write(batch));
    assertEquals(5_000, store.count(3));
    assertEquals(5_000, store.absorbedDuplicates());
    assertEquals(batch, store.page(3, T0, T0 + DAY, 10_000, null).items());
  }

  @Test
  void write_storesTheNewTicksOfAMixedBatchExactlyOnce() {
    List<Tick> all = ticks(4, T0, 30);
    store.write(all.subList(0, 20));
    List<Tick> mixed = new ArrayList<>(all.subList(10, 30)); // 10 repeats, 10 new
    mixed.add(all.get(25)); // and a repeat inside the batch itself
    assertEquals(10, store.write(mixed));
    assertEquals(30, store.count(4));
    assertEquals(11, store.absorbedDuplicates());
    assertEquals(all, store.page(4, T0, T0 + DAY, 1000, null).items());
  }

  @Test
  void write_keepsTheFirstStoredVersionOfARedeliveredTick() {
    Tick first = tick(5, T0, 1);
    store.write(List.of(first));
    store.write(List.of(first.withStatus(TickStatus.STALE).withReceiveTs(T0 + 99), tick(5, T0 + 1, 2)));
    assertEquals(List.of(first, tick(5, T0 + 1, 2)), store.latest(5, 10));
  }

  @Test
  void write_createsOnePartitionPerUtcDay() throws SQLException {
    long midnight = Math.floorDiv(T0, DAY) * DAY;
    List<Tick> batch = List.of(tick(6, midnight - 1, 1), tick(6, midnight, 2), tick(6, midnight + DAY - 1, 3), tick(6, midnight + DAY, 4));
    store.write(batch);
    assertEquals(Set.of("ticks_20260114", "ticks_20260115", "ticks_20260116"), partitions());
    assertEquals(List.of(1L, 2L, 1L), List.of(rows("ticks_20260114"), rows("ticks_20260115"), rows("ticks_20260116")));
    // a second store (another node) finds them already there
    new TickStore(db).write(List.of(tick(6, midnight + 5, 9)));
    assertEquals(3, partitions().size());
    assertEquals(batch.size() + 1, store.count(6));
  }

  @Test
  void write_fromManyThreadsIntoANewDayCreatesItsPartitionOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        long token = 100 + w;
        TickStore own = new TickStore(db); // each with an empty partition cache, as separate nodes
        done.add(pool.submit(() -> own.write(ticks(token, T0 + 3 * DAY, 100))));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
    assertEquals(Set.of("ticks_20260118"), partitions());
    for (int w = 0; w < 4; w++) assertEquals(100, store.count(100 + w));
  }

  @Test
  void write_recreatesAPartitionDroppedBehindItsBack() throws SQLException {
    store.write(List.of(tick(8, T0, 1)));
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE ticks_20260115");
    }
    store.write(List.of(tick(8, T0, 2)));
    assertEquals(1, store.count(8));
  }

  @Test
  void page_walksEveryTickOnceAcrossPagesWithSharedTimestamps() {
    Random rnd = new Random(42);
    List<Tick> all = new ArrayList<>();
    long ts = T0;
    for (int seq = 1; seq <= 500; seq++) {
      if (rnd.nextInt(3) == 0) ts += rnd.nextInt(2) * DAY / 3 + 1; // runs of equal timestamps, across days
      long tradeId = rnd.nextBoolean() ? 1_000_000 - seq : Tick.NO_TRADE_ID; // dedupe key order != seq order
      all.add(new Tick(9, ts, ts, 100, 1, tradeId, seq, Feed.PRIMARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE));
      all.add(tick(10, ts, seq)); // another token interleaved
    }
    store.write(all);
    List<Tick> expected = all.stream().filter(t -> t.token() == 9).sorted(KEY_ORDER).toList();
    for (int limit : new int[] {1, 7, 100, 499, 500, 1000}) {
      List<Tick> walked = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Page<Tick> p = store.page(9, Long.MIN_VALUE, Long.MAX_VALUE, limit, cursor);
        assertTrue(p.items().size() <= limit);
        walked.addAll(p.items());
        cursor = p.nextCursor();
        pages++;
      } while (cursor != null);
      assertEquals(expected, walked, "limit " + limit);
      assertEquals(Math.max(1, (500 + limit - 1) / limit), pages, "limit " + limit);
    }
  }

  @Test
  void page_honoursTheTimeRange() {
    store.write(ticks(11, T0, 10)); // one per millisecond
    Page<Tick> p = store.page(11, T0 + 2_000_000, T0 + 5_000_000, 10, null);
    assertEquals(List.of(2L, 3L, 4L), p.items().stream().map(t -> (t.exchangeTs() - T0) / 1_000_000).toList());
    assertNull(p.nextCursor());
  }

  @Test
  void page_rejectsACursorItDidNotProduce() {
    for (String bad : new String[] {"%%%", "bm90IGEgY3Vyc29y", "MTIzOmFiYw", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.page(1, 0, Long.MAX_VALUE, 10, bad));
      assertTrue(e.getMessage().startsWith("cursor"), e.getMessage());
    }
  }

  @Test
  void latest_returnsTheNewestOldestFirst() {
    List<Tick> in = ticks(12, T0, 20);
    store.write(in);
    assertEquals(in.subList(15, 20), store.latest(12, 5));
    assertTrue(store.latest(13, 5).isEmpty());
  }

  @Test
  void scan_streamsMoreThanOneFetchInOrder() {
    List<Tick> in = ticks(14, T0, 5_000);
    store.write(in);
    List<Tick> out = new ArrayList<>();
    store.scan(14, T0, T0 + DAY, out::add);
    assertEquals(in, out);
    Set<Long> seqs = new HashSet<>();
    store.scan(14, T0 + 100_000_000, T0 + 200_000_000, t -> seqs.add(t.seq()));
    assertEquals(100, seqs.size());
    assertFalse(seqs.contains(100L));
  }

  @Test
  void tickCopy_copiesTheSameRowsIntoAnotherTableOfTheSameShape() throws SQLException {
    List<Tick> in = ticks(15, T0, 3_000); // more than one 64 KiB buffer
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_ticks (LIKE ticks INCLUDING ALL)");
      assertEquals(3_000, new TickCopy().copy(c, "bench_ticks", in));
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(price), sum(dkey) FROM bench_ticks")) {
        rs.next();
        assertEquals(3_000, rs.getLong(1));
        assertEquals(in.stream().mapToLong(Tick::price).sum(), rs.getLong(2));
        assertEquals(in.stream().mapToLong(Tick::dedupeKey).sum(), rs.getLong(3));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new TickCopy().copy(null, "ticks; DROP TABLE ticks", in));
  }

  private Set<String> partitions() throws SQLException {
    Set<String> names = new HashSet<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'ticks'::regclass")) {
      while (rs.next()) names.add(rs.getString(1));
    }
    return names;
  }

  private long rows(String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
