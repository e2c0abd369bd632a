package io.tickloom.persistence;

import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.LiveBook;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The order-book log ({@code book_log}, V5): the depth messages each instrument entity applied and periodic states of
 * its book, in application order, and the book as of any instant rebuilt from them. Appends are one COPY per batch
 * (the node's writer gathers them); reads stream the rows. Thread-safe; blocking JDBC.
 *
 * <p>A batch is written in one transaction, all or nothing; a retry after a failed write appends again (a failure
 * before commit wrote nothing).
 */
public final class BookStore {
  private static final String COPY = "COPY book_log (token, ts, kind, payload) FROM STDIN (FORMAT text)";
  private static final String LAST_STATE = "SELECT id, payload FROM book_log WHERE token = ? AND kind = 1 AND ts <= ?"
      + " ORDER BY id DESC LIMIT 1";
  /** The first state after the one a book starts from: the messages to apply end before it (their ts only grows). */
  private static final String NEXT_STATE = "SELECT id FROM book_log WHERE token = ? AND kind = 1 AND id > ? ORDER BY id LIMIT 1";
  private static final String PRUNE = "DELETE FROM book_log b USING (SELECT token, max(id) AS keep_from FROM book_log"
      + " WHERE kind = 1 AND ts <= ? GROUP BY token) s WHERE b.token = s.token AND b.id < s.keep_from";
  private static final String MESSAGES =
      "SELECT payload FROM book_log WHERE token = ? AND kind = 0 AND id > ? AND id < ? AND ts <= ? ORDER BY id";
  private static final int KIND_MESSAGE = 0;
  private static final int KIND_STATE = 1;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * One log entry: a message the book applied, or a state of the book ({@link LiveBook#writeState}), with the book
   * clock after it.
   */
  public record Entry(long token, long ts, DepthMessage message, byte[] state) {
    public static Entry message(long token, long ts, DepthMessage m) {
      return new Entry(token, ts, m, null);
    }

    public static Entry state(long token, long ts, byte[] state) {
      return new Entry(token, ts, null, state);
    }
  }

  private final DataSource ds;

  public BookStore(DataSource ds) {
    this.ds = ds;
  }

  public BookStore(Database db) {
    this(db.dataSource());
  }

  /** Appends {@code entries} in their order (one COPY, one transaction). */
  public void append(List<Entry> entries) {
    if (entries.isEmpty()) return;
    StringBuilder text = new StringBuilder(entries.size() * 160);
    for (Entry e : entries) {
      byte[] payload = e.state() != null ? e.state() : LiveBook.encode(e.message());
      text.append(e.token()).append('\t').append(e.ts()).append('\t').append(e.state() != null ? KIND_STATE : KIND_MESSAGE)
          .append("\t\\\\x");
      for (byte b : payload) text.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      text.append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        org.postgresql.copy.CopyIn in = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
          in.writeToCopy(bytes, 0, bytes.length);
          in.endCopy();
        } finally {
          if (in.isActive()) in.cancelCopy();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing " + entries.size() + " book log entries failed", e);
    }
  }

  /**
   * The book of {@code token} as of {@code at} (epoch nanos): the last stored state with {@code ts <= at}, then every
   * stored message after it with {@code ts <= at}, applied in order; empty when nothing is stored at or before
   * {@code at}. Streams the messages (a fetch size, not all in memory).
   */
  public Optional<LiveBook> bookAt(long token, long at) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false); // a cursor, so the messages stream
      try {
        LiveBook book = null;
        long fromId = 0;
        try (PreparedStatement ps = c.prepareStatement(LAST_STATE)) {
          ps.setLong(1, token);
          ps.setLong(2, at);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              fromId = rs.getLong(1);
              book = LiveBook.readState(rs.getBytes(2));
            }
          }
        }
        // The state chosen is the last with ts <= at, so the next one has ts > at, and so has every message after it
        // (ts grows within an entity's life; a new life starts with a state): the scan stops there, not at the log's end.
        long untilId = Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement(NEXT_STATE)) {
          ps.setLong(1, token);
          ps.setLong(2, fromId);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) untilId = rs.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(MESSAGES)) {
          ps.setFetchSize(5_000);
          ps.setLong(1, token);
          ps.setLong(2, fromId);
          ps.setLong(3, untilId);
          ps.setLong(4, at);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (book == null) book = new LiveBook();
              book.apply(LiveBook.decode(token, rs.getBytes(1)));
            }
          }
        }
        c.commit();
        return Optional.ofNullable(book);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("reading the book of " + token + " failed", e);
    }
  }

  /**
   * Retention: deletes, per instrument, every entry before its last state with {@code ts <= cutoff}. A book as of any
   * instant at or after {@code cutoff} rebuilds exactly as before (it starts from that state or a later one); instants
   * before it answer from what is left. One statement; call it off the actor threads.
   *
   * @return entries deleted
   */
  public long prune(long cutoff) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
      ps.setLong(1, cutoff);
      return ps.executeLargeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException("pruning the book log before " + cutoff + " failed", e);
    }
  }
}
