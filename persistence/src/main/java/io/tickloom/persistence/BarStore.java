package io.tickloom.persistence;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Final bars, every revision kept (SPEC §4: a late tick produces revision + 1, never a silently changed bar).
 * Key (token, tf, start, revision): writing the same revision again is absorbed, so a retried batch is harmless.
 * Readers get the highest revision of each start. Thread-safe; blocking JDBC.
 */
public final class BarStore implements BarQueries {
  private static final String INSERT = "INSERT INTO bars (token, tf, start_ts, end_ts, open, high, low, close, volume, trades, vwap, revision)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String COPY = "COPY bars (token, tf, start_ts, end_ts, open, high, low, close, volume, trades, vwap, revision)"
      + " FROM STDIN (FORMAT text)";
  private static final String LATEST_REVISIONS = "SELECT token, start_ts, end_ts, open, high, low, close, volume, trades, vwap, revision FROM ("
      + "SELECT DISTINCT ON (start_ts) * FROM bars WHERE token = ? AND tf = ? AND start_ts >= ? AND start_ts < ?"
      + " ORDER BY start_ts DESC, revision DESC LIMIT ?) b ORDER BY start_ts";

  private final DataSource ds;

  public BarStore(DataSource ds) {
    this.ds = ds;
  }

  public BarStore(Database db) {
    this(db.dataSource());
  }

  /**
   * Stores final bars in one transaction; a (token, tf, start, revision) already stored is absorbed. The batch is
   * COPYed (several times faster than inserts for the thousands of bars a busy writer batch holds); when one of its
   * bars is stored already (a retried write, a bar stored again after a takeover), the batch is inserted instead with
   * conflicts ignored.
   *
   * @throws IllegalArgumentException when a bar is not final (forming bars are not stored)
   * @throws PersistenceException when the database fails; then none of the batch was written
   */
  public void write(List<Bar> bars) {
    if (bars.isEmpty()) return;
    for (Bar b : bars) {
      if (!b.isFinal()) throw new IllegalArgumentException("only final bars are stored, got a forming " + b.tf().label() + " bar at " + b.start());
    }
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        copy(c, bars);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (!"23505".equals(e.getSQLState())) throw e;
        insert(c, bars);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing " + bars.size() + " bars failed", e);
    }
  }

  private static void copy(Connection c, List<Bar> bars) throws SQLException {
    StringBuilder text = new StringBuilder(bars.size() * 120);
    for (Bar b : bars) {
      text.append(b.token()).append('\t').append(b.tf().label()).append('\t').append(b.start()).append('\t').append(b.end())
          .append('\t').append(b.open()).append('\t').append(b.high()).append('\t').append(b.low()).append('\t').append(b.close())
          .append('\t').append(b.volume()).append('\t').append(b.trades()).append('\t').append(b.vwap()).append('\t')
          .append(b.revision()).append('\n');
    }
    byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    org.postgresql.copy.CopyIn in = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY);
    try {
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  private static void insert(Connection c, List<Bar> bars) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Bar b : bars) {
        ps.setLong(1, b.token());
        ps.setString(2, b.tf().label());
        ps.setLong(3, b.start());
        ps.setLong(4, b.end());
        ps.setLong(5, b.open());
        ps.setLong(6, b.high());
        ps.setLong(7, b.low());
        ps.setLong(8, b.close());
        ps.setLong(9, b.volume());
        ps.setLong(10, b.trades());
        ps.setLong(11, b.vwap());
        ps.setInt(12, b.revision());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  @Override
  public List<Bar> bars(long token, Timeframe tf, long from, long to, int limit) {
    if (limit < 1) return List.of();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(LATEST_REVISIONS)) {
      ps.setLong(1, token);
      ps.setString(2, tf.label());
      ps.setLong(3, from);
      ps.setLong(4, to);
      ps.setInt(5, limit);
      List<Bar> out = new ArrayList<>(Math.min(limit, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Bar(rs.getLong(1), tf, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
              rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), true, rs.getInt(11)));
        }
      }
      return Collections.unmodifiableList(out);
    } catch (SQLException e) {
      throw new PersistenceException("reading " + tf.label() + " bars of " + token + " failed", e);
    }
  }
}
