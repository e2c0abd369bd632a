package io.tickloom.persistence;

import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timestamps;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The tick table (SPEC §9): written once, partitioned by UTC day of {@code exchangeTs}.
 *
 * <p>Write path ({@link #write}): make sure the batch's day partitions exist (known days are cached), then one
 * binary COPY straight into {@code ticks} in one transaction. When the COPY hits the key (SQLState 23505: some
 * tick of the batch is already stored, i.e. a redelivery) the transaction is rolled back and the batch goes
 * again through a per-session temporary staging table and {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}:
 * the new ticks are stored exactly once, the repeats are absorbed, nothing is ever half-written.
 *
 * <p>Read order is (exchangeTs, dedupeKey) — the key's order, so every read is an index range scan. Pages use
 * keyset pagination on that pair with an opaque cursor.
 *
 * <p>Thread-safe; blocking JDBC: call from a blocking dispatcher.
 */
public final class TickStore implements TickQueries {
  private static final long NANOS_PER_DAY = 86_400L * Timestamps.NANOS_PER_SECOND;
  private static final int PARTITION_LOCK = 0x7469636b; // "tick": advisory lock class for partition creation
  private static final int SCAN_FETCH_SIZE = 2_000;
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String CHECK_VIOLATION = "23514"; // also "no partition of relation ... found for row"

  private static final String SELECT = "SELECT token, exchange_ts, receive_ts, price, qty, trade_id, seq, feed, side, bid, ask, status FROM ticks ";
  private static final String PAGE_FIRST = SELECT
      + "WHERE token = ? AND exchange_ts >= ? AND exchange_ts < ? ORDER BY exchange_ts, dkey LIMIT ?";
  private static final String PAGE_AFTER = SELECT
      + "WHERE token = ? AND exchange_ts >= ? AND exchange_ts < ? AND (exchange_ts, dkey) > (?, ?) ORDER BY exchange_ts, dkey LIMIT ?";
  private static final String LATEST = SELECT + "WHERE token = ? ORDER BY exchange_ts DESC, dkey DESC LIMIT ?";
  private static final String SCAN = SELECT + "WHERE token = ? AND exchange_ts >= ? AND exchange_ts < ? ORDER BY exchange_ts, dkey";
  private static final String STAGE = "ticks_stage";
  private static final String CREATE_STAGE =
      "CREATE TEMP TABLE IF NOT EXISTS " + STAGE + " (LIKE ticks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
  private static final String MERGE_STAGE = "INSERT INTO ticks (" + TickCopy.COLUMNS + ") SELECT " + TickCopy.COLUMNS
      + " FROM " + STAGE + " ON CONFLICT DO NOTHING";

  private final DataSource ds;
  private final Set<Long> knownDays = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<TickCopy> encoders = new ConcurrentLinkedQueue<>();
  private final AtomicLong absorbed = new AtomicLong();

  public TickStore(DataSource ds) {
    this.ds = ds;
  }

  public TickStore(Database db) {
    this(db.dataSource());
  }

  /**
   * Stores {@code ticks} (any tokens, any days) in one transaction; ticks already stored (same token,
   * exchangeTs and dedupe key) are absorbed. Allocates per batch, not per tick.
   *
   * @return how many of {@code ticks} were new (the others were absorbed as already stored)
   * @throws PersistenceException when the database fails; then none of the batch was written and the call may be
   *     retried as is
   */
  public int write(List<Tick> ticks) {
    if (ticks.isEmpty()) return 0;
    TickCopy encoder = encoders.poll();
    if (encoder == null) encoder = new TickCopy();
    try {
      ensurePartitions(ticks);
      try {
        return writeOnce(encoder, ticks);
      } catch (SQLException e) {
        if (!CHECK_VIOLATION.equals(e.getSQLState())) throw e;
        knownDays.clear(); // a partition was dropped behind our back: re-check them all, once
        ensurePartitions(ticks);
        return writeOnce(encoder, ticks);
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing " + ticks.size() + " ticks failed", e);
    } finally {
      encoders.offer(encoder);
    }
  }

  /** Ticks absorbed as already stored since this store was created (a metric). */
  public long absorbedDuplicates() {
    return absorbed.get();
  }

  private int writeOnce(TickCopy encoder, List<Tick> ticks) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        encoder.copy(c, "ticks", ticks);
        c.commit();
        return ticks.size();
      } catch (SQLException e) {
        c.rollback();
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
      }
      try (Statement s = c.createStatement()) {
        s.execute(CREATE_STAGE);
        encoder.copy(c, STAGE, ticks);
        int inserted = s.executeUpdate(MERGE_STAGE);
        c.commit();
        absorbed.addAndGet(ticks.size() - inserted);
        return inserted;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void ensurePartitions(List<Tick> ticks) throws SQLException {
    long last = Long.MIN_VALUE; // no real day: floorDiv(Long.MIN_VALUE, NANOS_PER_DAY) is far greater
    for (int i = 0, n = ticks.size(); i < n; i++) {
      long day = Math.floorDiv(ticks.get(i).exchangeTs(), NANOS_PER_DAY);
      if (day == last) continue;
      last = day;
      if (!knownDays.contains(day)) {
        createPartition(day);
        knownDays.add(day);
      }
    }
  }

  /**
   * Creates the partition of UTC day {@code epochDay} unless it exists. CREATE TABLE + ATTACH PARTITION takes
   * only a SHARE UPDATE EXCLUSIVE lock on {@code ticks} (CREATE TABLE ... PARTITION OF would take ACCESS
   * EXCLUSIVE and queue every reader and writer behind a long scan); an advisory lock serialises creators.
   */
  private void createPartition(long epochDay) throws SQLException {
    String name = partitionName(epochDay);
    String from = bound(epochDay, "MINVALUE");
    String to = bound(epochDay + 1, "MAXVALUE");
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + PARTITION_LOCK + ", " + epochDay + ")");
        boolean exists;
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + name + "') IS NOT NULL")) {
          rs.next();
          exists = rs.getBoolean(1);
        }
        if (!exists) {
          s.execute("CREATE TABLE " + name + " (LIKE ticks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
          s.execute("ALTER TABLE ticks ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** {@code ticks_20260115} for 2026-01-15; years outside 0..9999 spell their sign. */
  static String partitionName(long epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    String date = String.format("%04d%02d%02d", Math.abs(d.getYear()), d.getMonthValue(), d.getDayOfMonth());
    return "ticks_" + (d.getYear() < 0 ? "m" : "") + date;
  }

  private static String bound(long epochDay, String infinite) {
    try {
      return Long.toString(Math.multiplyExact(epochDay, NANOS_PER_DAY));
    } catch (ArithmeticException e) {
      return infinite;
    }
  }

  /** Stored ticks of {@code token} (all days); for tests and checks. */
  public long count(long token) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ticks WHERE token = ?")) {
      ps.setLong(1, token);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new PersistenceException("counting ticks of " + token + " failed", e);
    }
  }

  /** {@inheritDoc} Ordered by (exchangeTs, dedupeKey). */
  @Override
  public Page<Tick> page(long token, long from, long to, int limit, String cursor) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive, got " + limit);
    long[] after = cursor == null ? null : decodeCursor(cursor);
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(after == null ? PAGE_FIRST : PAGE_AFTER)) {
      int i = 1;
      ps.setLong(i++, token);
      ps.setLong(i++, from);
      ps.setLong(i++, to);
      if (after != null) {
        ps.setLong(i++, after[0]);
        ps.setLong(i++, after[1]);
      }
      ps.setLong(i, limit + 1L);
      List<Tick> items = new ArrayList<>(Math.min(limit + 1, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) items.add(tick(rs));
      }
      if (items.size() <= limit) return new Page<>(items, null);
      items.remove(limit);
      return new Page<>(items, encodeCursor(items.get(limit - 1)));
    } catch (SQLException e) {
      throw new PersistenceException("reading ticks of " + token + " failed", e);
    }
  }

  @Override
  public List<Tick> latest(long token, int n) {
    if (n < 1) return List.of();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(LATEST)) {
      ps.setLong(1, token);
      ps.setInt(2, n);
      List<Tick> items = new ArrayList<>(Math.min(n, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) items.add(tick(rs));
      }
      Collections.reverse(items);
      return items;
    } catch (SQLException e) {
      throw new PersistenceException("reading the latest ticks of " + token + " failed", e);
    }
  }

  /** {@inheritDoc} Ordered by (exchangeTs, dedupeKey); streams with a server-side cursor (constant memory). */
  @Override
  public void scan(long token, long from, long to, Consumer<Tick> sink) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false); // pgjdbc only honours the fetch size inside a transaction
      try (PreparedStatement ps = c.prepareStatement(SCAN)) {
        ps.setFetchSize(SCAN_FETCH_SIZE);
        ps.setLong(1, token);
        ps.setLong(2, from);
        ps.setLong(3, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) sink.accept(tick(rs));
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new PersistenceException("scanning ticks of " + token + " failed", e);
    }
  }

  private static Tick tick(ResultSet rs) throws SQLException {
    long token = rs.getLong(1);
    long exchangeTs = rs.getLong(2);
    long receiveTs = rs.getLong(3);
    long price = rs.getLong(4);
    long qty = rs.getLong(5);
    long tradeId = rs.getLong(6);
    if (rs.wasNull()) tradeId = Tick.NO_TRADE_ID;
    long seq = rs.getLong(7);
    short feed = rs.getShort(8);
    short side = rs.getShort(9);
    boolean noSide = rs.wasNull();
    long bid = rs.getLong(10);
    if (rs.wasNull()) bid = Tick.NO_PRICE;
    long ask = rs.getLong(11);
    if (rs.wasNull()) ask = Tick.NO_PRICE;
    short status = rs.getShort(12);
    return new Tick(token, exchangeTs, receiveTs, price, qty, tradeId, seq, Codes.feed(feed),
        noSide ? null : Codes.side(side), bid, ask, Codes.status(status));
  }

  /** The opaque cursor after {@code t}: base64url of {@code "exchangeTs:dedupeKey"}. */
  static String encodeCursor(Tick t) {
    String plain = t.exchangeTs() + ":" + t.dedupeKey();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
  }

  static long[] decodeCursor(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      int colon = plain.indexOf(':');
      if (colon < 0) throw new IllegalArgumentException("no separator");
      return new long[] {Long.parseLong(plain.substring(0, colon)), Long.parseLong(plain.substring(colon + 1))};
    } catch (IllegalArgumentException e) { // includes NumberFormatException
      throw new IllegalArgumentException("cursor '" + cursor + "' is not one this query returned", e);
    }
  }
}
