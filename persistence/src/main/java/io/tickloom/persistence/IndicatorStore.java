package io.tickloom.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.indicators.Rounding;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stored indicator values (one row per final bar, rewritten when a revision changes them) and the entities' warm-start
 * snapshots. Thread-safe; blocking JDBC.
 */
public final class IndicatorStore implements IndicatorQueries {
  private static final String STAGE = "CREATE TEMP TABLE IF NOT EXISTS indicator_stage"
      + " (token bigint, tf text, start_ts bigint, vals jsonb) ON COMMIT DELETE ROWS";
  private static final String COPY_TABLE = "COPY indicator_values (token, tf, start_ts, vals) FROM STDIN (FORMAT text)";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COPY_STAGE = "COPY indicator_stage (token, tf, start_ts, vals) FROM STDIN (FORMAT text)";
  private static final String MERGE_STAGE = "INSERT INTO indicator_values (token, tf, start_ts, vals)"
      + " SELECT token, tf, start_ts, vals FROM indicator_stage"
      + " ON CONFLICT (token, tf, start_ts) DO UPDATE SET vals = EXCLUDED.vals";
  private static final String RANGE = "SELECT start_ts, vals::text FROM ("
      + "SELECT start_ts, vals FROM indicator_values WHERE token = ? AND tf = ? AND start_ts >= ? AND start_ts < ?"
      + " ORDER BY start_ts DESC LIMIT ?) v ORDER BY start_ts";
  private static final String SAVE_SNAPSHOT = "INSERT INTO instrument_snapshots (token, taken_at, payload) VALUES (?, ?, ?)"
      + " ON CONFLICT (token) DO UPDATE SET taken_at = EXCLUDED.taken_at, payload = EXCLUDED.payload"
      + " WHERE instrument_snapshots.taken_at <= EXCLUDED.taken_at";
  private static final String LOAD_SNAPSHOT = "SELECT payload FROM instrument_snapshots WHERE token = ?";

  private static final JsonFactory JSON = new JsonFactory();

  private final DataSource ds;

  public IndicatorStore(DataSource ds) {
    this.ds = ds;
  }

  public IndicatorStore(Database db) {
    this(db.dataSource());
  }

  /** {@link #write(List, List)} with every row allowed to replace a stored one. */
  public void write(List<IndicatorRow> rows) {
    write(List.of(), rows);
  }

  /**
   * Stores the rows in one transaction. {@code fresh} are values of bars not stored yet: COPYed straight into the
   * table (the common case, the fast path). {@code replacing} may replace stored values (and later rows of a bar
   * replace earlier ones): COPYed into a per-connection staging table and upserted from it. When a fresh row turns out
   * to be stored already (a write retried after its answer was lost, two owners of an instrument for a moment), the
   * whole batch is written again the replacing way.
   *
   * @throws PersistenceException when the database fails; then none of the batch was written
   */
  public void write(List<IndicatorRow> fresh, List<IndicatorRow> replacing) {
    if (fresh.isEmpty() && replacing.isEmpty()) return;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (!fresh.isEmpty()) copy(c, COPY_TABLE, fresh);
        if (!replacing.isEmpty()) upsert(c, replacing);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
        List<IndicatorRow> all = new ArrayList<>(fresh);
        all.addAll(replacing);
        try {
          upsert(c, all);
          c.commit();
        } catch (SQLException | RuntimeException again) {
          c.rollback();
          throw again;
        }
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing indicator values of " + (fresh.size() + replacing.size()) + " bars failed", e);
    }
  }

  /** The last row of each (token, tf, start), in first-seen order, staged and upserted. */
  private static void upsert(Connection c, List<IndicatorRow> rows) throws SQLException {
    Map<String, IndicatorRow> last = new HashMap<>();
    List<String> order = new ArrayList<>(rows.size());
    for (IndicatorRow r : rows) {
      String key = r.token() + ":" + r.tf().label() + ":" + r.start();
      if (last.put(key, r) == null) order.add(key);
    }
    List<IndicatorRow> unique = new ArrayList<>(order.size());
    for (String key : order) unique.add(last.get(key));
    try (java.sql.Statement st = c.createStatement()) {
      st.execute(STAGE);
      copy(c, COPY_STAGE, unique);
      st.executeUpdate(MERGE_STAGE);
    }
  }

  /** COPY of the rows in text format. Names and numbers never contain tabs, newlines or backslashes. */
  private static void copy(Connection c, String sql, List<IndicatorRow> rows) throws SQLException {
    StringBuilder text = new StringBuilder(rows.size() * 400);
    for (IndicatorRow r : rows) {
      text.append(r.token()).append('\t').append(r.tf().label()).append('\t').append(r.start()).append('\t')
          .append(toJson(r.names(), r.values())).append('\n');
    }
    byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    org.postgresql.copy.CopyIn in = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  @Override
  public List<IndicatorRow> indicators(long token, Timeframe tf, long from, long to, int limit) {
    if (limit < 1) return List.of();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(RANGE)) {
      ps.setLong(1, token);
      ps.setString(2, tf.label());
      ps.setLong(3, from);
      ps.setLong(4, to);
      ps.setInt(5, limit);
      List<IndicatorRow> out = new ArrayList<>(Math.min(limit, 1024));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(fromJson(token, tf, rs.getLong(1), rs.getString(2)));
      }
      return Collections.unmodifiableList(out);
    } catch (SQLException e) {
      throw new PersistenceException("reading " + tf.label() + " indicator values of " + token + " failed", e);
    }
  }

  /** Replaces the instrument's snapshot unless a newer one ({@code takenAt}) is already stored. */
  public void saveSnapshot(long token, long takenAt, byte[] payload) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SAVE_SNAPSHOT)) {
      ps.setLong(1, token);
      ps.setLong(2, takenAt);
      ps.setBytes(3, payload);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException("storing the snapshot of " + token + " failed", e);
    }
  }

  /** The instrument's newest snapshot, if any. */
  public Optional<byte[]> loadSnapshot(long token) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(LOAD_SNAPSHOT)) {
      ps.setLong(1, token);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new PersistenceException("reading the snapshot of " + token + " failed", e);
    }
  }

  /**
   * The outputs with a value as a JSON object, each rounded as the API renders it ({@link Rounding}). Output names
   * are identifiers ({@code SMA_20}, {@code MACD_12_26_9.signal}) and need no escaping.
   */
  static String toJson(List<String> names, double[] values) {
    StringBuilder sb = new StringBuilder(24 * names.size() + 2);
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < names.size(); i++) {
      double v = values[i];
      if (Double.isNaN(v) || Double.isInfinite(v)) continue;
      if (!first) sb.append(',');
      first = false;
      sb.append('"').append(names.get(i)).append("\":");
      Rounding.appendTo(sb, v);
    }
    return sb.append('}').toString();
  }

  static IndicatorRow fromJson(long token, Timeframe tf, long start, String json) {
    List<String> names = new ArrayList<>();
    List<Double> vals = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("not an object: " + json);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        names.add(p.currentName());
        p.nextToken();
        vals.add(p.getDecimalValue().doubleValue());
      }
    } catch (IOException e) {
      throw new PersistenceException("stored indicator values of " + token + " at " + start + " are not readable", e);
    }
    double[] values = new double[vals.size()];
    for (int i = 0; i < values.length; i++) values[i] = vals.get(i);
    return new IndicatorRow(token, tf, start, List.copyOf(names), values);
  }
}
