package io.tickloom.persistence;

import io.tickloom.protocol.Gap;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Sequence gaps (SPEC §4: every gap is stored and queryable), one row per (token, fromSeq), upserted as the gap
 * opens, fills and closes. A closed gap (FILLED or LOST) is never reopened by a stale OPEN update, so a retried
 * or reordered batch cannot move a gap backwards. Thread-safe; blocking JDBC.
 */
public final class GapStore implements GapQueries {
  private static final String UPSERT = "INSERT INTO gaps (token, from_seq, to_seq, opened_at, closed_at, filled, state)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token, from_seq) DO UPDATE SET to_seq = EXCLUDED.to_seq,"
      + " opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at, filled = EXCLUDED.filled, state = EXCLUDED.state"
      + " WHERE gaps.state = 'OPEN' OR EXCLUDED.state <> 'OPEN'";
  private static final String QUERY = "SELECT token, from_seq, to_seq, opened_at, closed_at, filled, state FROM gaps"
      + " WHERE token = ? AND opened_at >= ? AND opened_at < ? ORDER BY opened_at, from_seq LIMIT ?";

  private final DataSource ds;

  public GapStore(DataSource ds) {
    this.ds = ds;
  }

  public GapStore(Database db) {
    this(db.dataSource());
  }

  /**
   * Inserts or updates gaps in one transaction; of several updates of one gap in the batch the last one wins.
   *
   * @throws PersistenceException when the database fails; then none of the batch was written
   */
  public void upsert(List<Gap> gaps) {
    if (gaps.isEmpty()) return;
    // One multi-row statement may not update a row twice: keep the last update of each gap.
    Map<GapKey, Gap> last = new LinkedHashMap<>();
    for (Gap g : gaps) last.put(new GapKey(g.token(), g.fromSeq()), g);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        for (Gap g : last.values()) {
          ps.setLong(1, g.token());
          ps.setLong(2, g.fromSeq());
          ps.setLong(3, g.toSeq());
          ps.setLong(4, g.openedAt());
          ps.setLong(5, g.closedAt());
          ps.setLong(6, g.filled());
          ps.setString(7, g.state().name());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing " + gaps.size() + " gaps failed", e);
    }
  }

  @Override
  public List<Gap> gaps(long token, long from, long to, int limit) {
    if (limit < 1) return List.of();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(QUERY)) {
      ps.setLong(1, token);
      ps.setLong(2, from);
      ps.setLong(3, to);
      ps.setInt(4, limit);
      List<Gap> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Gap(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
              Gap.State.valueOf(rs.getString(7))));
        }
      }
      return Collections.unmodifiableList(out);
    } catch (SQLException e) {
      throw new PersistenceException("reading gaps of " + token + " failed", e);
    }
  }

  private record GapKey(long token, long fromSeq) {}
}
