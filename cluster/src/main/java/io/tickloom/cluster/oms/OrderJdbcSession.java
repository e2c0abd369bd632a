package io.tickloom.cluster.oms;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;

/**
 * A {@link JdbcSession} on one pooled connection of the node's {@link DataSource} (the stores' HikariCP pool), in a
 * transaction (auto-commit off): the projection runs its handler and stores its offset through it, then commits, so
 * read rows and offset change together or not at all. Created per transaction by the projection, on its JDBC
 * dispatcher; {@link #close} returns the connection to the pool.
 */
final class OrderJdbcSession implements JdbcSession {
  private final Connection connection;

  OrderJdbcSession(DataSource ds) {
    Connection c = null;
    try {
      c = ds.getConnection();
      c.setAutoCommit(false);
      this.connection = c;
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("no connection for the order projection: " + e.getMessage(), e);
    }
  }

  @Override
  public <R> R withConnection(Function<Connection, R> func) throws Exception {
    return func.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
