package io.tickloom.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Real PostgreSQL for tests (test-jar of tickloom-persistence; depend on it with {@code <type>test-jar</type>}
 * in test scope).
 *
 * <p>One embedded PostgreSQL per JVM, started on first use (a few seconds, mostly initdb; more the very first time, when the
 * binaries are unpacked) in a temporary folder that is deleted when the JVM exits. Durability is off (fsync,
 * synchronous_commit, full_page_writes): fine for tests, never for a node. Each test takes its own database:
 *
 * <pre>{@code
 * try (Database db = TestDatabase.fresh()) {         // empty, migrated database of its own
 *   new TickStore(db).write(ticks);
 *   journalConfig(db.jdbcUrl(), db.user(), db.password()); // the same database for Pekko Persistence JDBC
 * }
 * }</pre>
 *
 * Closing the {@link Database} closes its pool only; the server stays up for the next test. Thread-safe.
 */
public final class TestDatabase {
  private TestDatabase() {}

  private static final String TEMPLATE = "tl_template";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  /** A new database with the current schema, opened with a pool of 4. */
  public static Database fresh() {
    return fresh(4);
  }

  /** A new database with the current schema, opened with a pool of {@code poolSize}. */
  public static Database fresh(int poolSize) {
    String name = createDatabase(TEMPLATE);
    return Database.open(DatabaseSettings.external(url(name), user(), password(), poolSize));
  }

  /** Creates a new, empty database (no schema) and returns its JDBC URL. */
  public static String emptyDatabase() {
    return url(createDatabase("template1"));
  }

  /** JDBC URL of database {@code name} in the shared test server. */
  public static String url(String name) {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
  }

  public static String user() {
    return EmbeddedServer.SUPERUSER;
  }

  public static String password() {
    return "";
  }

  private static String createDatabase(String template) {
    String name = "tl_" + COUNTER.incrementAndGet();
    execute("CREATE DATABASE " + name + " TEMPLATE " + template);
    return name;
  }

  private static void execute(String sql) {
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test database: " + sql + " failed: " + e.getMessage(), e);
    }
  }

  private static synchronized EmbeddedPostgres server() {
    if (server != null) return server;
    try {
      Path dir = Files.createTempDirectory("tickloom-test-pg");
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("data"))
          .setCleanDataDirectory(true)
          .setRegisterShutdownHook(false)
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException | RuntimeException ignored) {
          // the JVM is exiting; the folder below is removed regardless
        }
        deleteTree(dir);
      }, "tickloom-test-pg-stop"));
      server = pg;
      // A migrated template: fresh() copies it instead of migrating each new database.
      execute("CREATE DATABASE " + TEMPLATE);
      Database.open(DatabaseSettings.external(url(TEMPLATE), user(), password(), 1)).close();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("starting the test PostgreSQL failed", e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
