package io.tickloom.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickloom.protocol.Timeframe;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
  /** Decimals kept, as the API and the offline command render them. */
  public static final int DECIMALS = 8;

  private static final String STAGE = "CREATE TEMP TABLE IF NOT EXISTS indicator_stage"
      + " (token bigint, tf text, start_ts bigint, vals jsonb) ON COMMIT DELETE ROWS";
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

  /**
   * Stores the rows in one transaction; a row already stored for the same (token, tf, start) is replaced (the later
   * computation wins: rows are written in the order the entity produced them).
   *
   * @throws PersistenceException when the database fails; then none of the batch was written
   */
  public void write(List<IndicatorRow> rows) {
    if (rows.isEmpty()) return;
    // Within one statement batch a key may appear twice (a bar and then its recomputation): keep the last.
    Map<String, IndicatorRow> last = new HashMap<>();
    List<IndicatorRow> ordered = new ArrayList<>(rows.size());
    for (IndicatorRow r : rows) {
      if (last.put(r.token() + ":" + r.tf().label() + ":" + r.start(), r) == null) ordered.add(r);
    }
    // COPY into a per-connection staging table, then one upsert from it: several times faster than row inserts for the
    // thousands of rows a busy writer batch holds. Names and numbers never contain tabs, newlines or backslashes.
    StringBuilder text = new StringBuilder(ordered.size() * 400);
    for (IndicatorRow first : ordered) {
      IndicatorRow r = last.get(first.token() + ":" + first.tf().label() + ":" + first.start());
      text.append(r.token()).append('\t').append(r.tf().label()).append('\t').append(r.start()).append('\t')
          .append(toJson(r.names(), r.values())).append('\n');
    }
    byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute(STAGE);
        org.postgresql.copy.CopyIn in = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY_STAGE);
        try {
          in.writeToCopy(bytes, 0, bytes.length);
          in.endCopy();
        } finally {
          if (in.isActive()) in.cancelCopy();
        }
        st.executeUpdate(MERGE_STAGE);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing indicator values of " + rows.size() + " bars failed", e);
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

  /** {@code value} rounded half-even to {@link #DECIMALS} decimals, trailing zeros kept off; null for NaN/infinite. */
  public static BigDecimal round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) return null;
    return new BigDecimal(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  static String toJson(List<String> names, double[] values) {
    StringWriter w = new StringWriter(32 * names.size());
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      for (int i = 0; i < names.size(); i++) {
        BigDecimal v = round(values[i]);
        if (v != null) {
          g.writeFieldName(names.get(i));
          g.writeNumber(v);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
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
