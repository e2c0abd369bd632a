package io.tickloom.deploy.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The cluster's PostgreSQL as the harness controls it: a zonky embedded server in its own data folder on a FIXED port,
 * so it can be stopped (an outage, a restart) and started again on the same port with the same data while the node
 * JVMs keep their JDBC URL. The nodes connect as the superuser ({@code postgres}, trust authentication on localhost) to
 * the database {@value #DATABASE}, which the first start creates; the nodes migrate its schema themselves.
 *
 * <p>Durable like a node's embedded default (synchronous commit on); a smaller buffer pool than a node's, since three
 * node JVMs share the machine. Server output goes to {@code postgres.log} beside the data folder. Not thread-safe:
 * the scenario thread starts and stops it.
 */
public final class ExternalPostgres implements AutoCloseable {
  public static final String DATABASE = "tickloom";
  public static final String USER = "postgres";

  private final Path dataDir;
  private final Path log;
  private final int port;
  private EmbeddedPostgres pg;

  private ExternalPostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling("postgres.log");
    this.port = port;
  }

  /** Creates (initdb) and starts a server under {@code dir} on a free port of 127.0.0.1 that it keeps from then on. */
  public static ExternalPostgres start(Path dir) throws IOException, SQLException {
    Files.createDirectories(dir);
    ExternalPostgres db = new ExternalPostgres(dir.resolve("data"), freePort());
    db.start();
    try (Connection c = db.connect("postgres"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
      if (!rs.next()) s.execute("CREATE DATABASE " + DATABASE);
    }
    return db;
  }

  /** Starts the server again on the same port with the same data (after {@link #stop}). */
  public void start() throws IOException {
    if (pg != null) return;
    pg = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setRegisterShutdownHook(false)
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("shared_buffers", "128MB")
        .setServerConfig("max_connections", "200")
        .setServerConfig("max_wal_size", "2GB")
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
  }

  /** Stops the server (pg_ctl stop, fast mode: open sessions are cut, committed data stays). */
  public void stop() throws IOException {
    if (pg == null) return;
    try {
      pg.close();
    } finally {
      pg = null;
    }
  }

  public boolean running() {
    return pg != null;
  }

  public int port() {
    return port;
  }

  /** The nodes' JDBC URL (TICKLOOM_DB_URL). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public Path log() {
    return log;
  }

  /** A new connection to the nodes' database, for the harness's own queries (the caller closes it). */
  public Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String database) throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", USER);
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
