package io.tickloom.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Events a consumer could not apply (V8 {@code dead_letters}): recorded with their origin so the stream goes on, listed
 * and retried by an operator. Blocking JDBC.
 */
public final class DeadLetterStore {
  /** One dead letter: where the event comes from, its type, why it failed, when, how often it was retried, and if resolved. */
  public record DeadLetter(long id, String source, String persistenceId, long seqNr, String eventType, String error, long createdAt,
      int retries, Long resolvedAt) {}

  private final DataSource ds;

  public DeadLetterStore(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Records a dead letter on {@code c} (the consumer's own transaction, so it commits with the consumer's offset); a second
   * failure of the same event updates the row.
   */
  public static void record(Connection c, String source, String persistenceId, long seqNr, String eventType, String error, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letters (source, persistence_id, seq_nr, event_type, error, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, persistence_id, seq_nr) DO UPDATE SET error = EXCLUDED.error, resolved_at = NULL")) {
      ps.setString(1, source);
      ps.setString(2, clean(persistenceId));
      ps.setLong(3, seqNr);
      ps.setString(4, eventType);
      ps.setString(5, clean(error));
      ps.setLong(6, now);
      ps.executeUpdate();
    }
  }

  /** Text as PostgreSQL stores it: NUL (which text cannot hold, and may be what made the event fail) shown as \\0, at most 2000 chars. */
  static String clean(String s) {
    if (s == null) return "";
    String t = s.replace("\u0000", "\\0");
    return t.length() > 2000 ? t.substring(0, 2000) : t;
  }

  /** Dead letters oldest first; {@code open} only the unresolved ones; at most {@code limit}. */
  public List<DeadLetter> list(boolean open, int limit) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, source, persistence_id, seq_nr, event_type, error, created_at, retries, resolved_at FROM dead_letters"
            + (open ? " WHERE resolved_at IS NULL" : "") + " ORDER BY id LIMIT ?")) {
      ps.setInt(1, limit);
      List<DeadLetter> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long resolved = rs.getLong(9);
          Long resolvedAt = rs.wasNull() ? null : resolved; // wasNull speaks of the last column read: ask it now
          out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
              rs.getLong(7), rs.getInt(8), resolvedAt));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new PersistenceException("reading dead letters failed", e);
    }
  }

  /** Marks a retry of {@code id}: resolved ({@code ok}) or failed again with {@code error}. */
  public void retried(long id, boolean ok, String error, long now) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE dead_letters SET retries = retries + 1, resolved_at = ?, error = COALESCE(?, error) WHERE id = ?")) {
      if (ok) ps.setLong(1, now);
      else ps.setNull(1, java.sql.Types.BIGINT);
      ps.setString(2, ok ? null : clean(error));
      ps.setLong(3, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException("updating dead letter " + id + " failed", e);
    }
  }
}
