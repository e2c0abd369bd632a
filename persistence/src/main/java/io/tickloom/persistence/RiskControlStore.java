package io.tickloom.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The run-time kill switches (V7 {@code risk_controls}): one row per scope ({@link #ALL} or an account). Blocking JDBC. */
public final class RiskControlStore {
  /** The scope of a switch that halts every account. */
  public static final String ALL = "*";

  /** One switch: {@code scope}, whether it halts, why, who threw it and when (epoch ns). */
  public record Control(String scope, boolean halted, String reason, String updatedBy, long updatedAt) {}

  private final DataSource ds;

  public RiskControlStore(DataSource ds) {
    this.ds = ds;
  }

  /** Every switch ever thrown, halted or not, by scope. */
  public List<Control> all() {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT scope, halted, reason, updated_by, updated_at FROM risk_controls ORDER BY scope");
        ResultSet rs = ps.executeQuery()) {
      List<Control> out = new ArrayList<>();
      while (rs.next()) out.add(new Control(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
      return out;
    } catch (SQLException e) {
      throw new PersistenceException("reading the kill switches failed", e);
    }
  }

  /** Throws ({@code halted}) or releases the switch of {@code scope}. */
  public void set(Control control) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO risk_controls (scope, halted, reason, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET "
            + "halted = EXCLUDED.halted, reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")) {
      ps.setString(1, control.scope());
      ps.setBoolean(2, control.halted());
      ps.setString(3, control.reason());
      ps.setString(4, control.updatedBy());
      ps.setLong(5, control.updatedAt());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException("setting the kill switch of " + control.scope() + " failed", e);
    }
  }
}
