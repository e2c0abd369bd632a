package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MigrationTest {
  /** The migrations this module ships (V1, V2, ...), counted on the classpath (a folder, or the jar under Failsafe). */
  static int shipped() {
    try {
      java.net.URI uri = MigrationTest.class.getResource("/db/migration").toURI();
      if ("jar".equals(uri.getScheme())) {
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(uri, java.util.Map.of())) {
          return count(fs.provider().getPath(uri));
        }
      }
      return count(java.nio.file.Path.of(uri));
    } catch (java.io.IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int count(java.nio.file.Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  static Database open(String url) {
    return Database.open(DatabaseSettings.external(url, TestDatabase.user(), TestDatabase.password(), 1));
  }

  @Test
  void migrate_runsOnceAndASecondOpenChangesNothing() throws SQLException {
    String url = TestDatabase.emptyDatabase();
    assertTrue(shipped() >= 2);
    try (Database db = open(url)) {
      assertEquals(shipped(), db.migrationsApplied());
      assertTablesExist(db);
    }
    try (Database db = open(url)) {
      assertEquals(0, db.migrationsApplied());
      assertTablesExist(db);
      assertEquals(1, count(db, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'"));
    }
  }

  @Test
  void migrate_appliesEveryVersionToADatabaseThatAlreadyHoldsOtherTables() throws SQLException {
    String url = TestDatabase.emptyDatabase();
    try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE event_journal (ordering bigserial PRIMARY KEY)"); // e.g. the Pekko journal came first
    }
    try (Database db = open(url)) {
      assertEquals(shipped(), db.migrationsApplied());
      assertTablesExist(db);
    }
  }

  private static void assertTablesExist(Database db) throws SQLException {
    for (String t : new String[] {"instruments", "ticks", "bars", "gaps", "indicator_values", "instrument_snapshots"}) {
      assertEquals(1, count(db, "SELECT count(*) FROM pg_class WHERE relname = '" + t + "'"), t);
    }
    assertEquals(1, count(db, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'ticks'::regclass"));
    assertTrue(db.ping());
  }

  private static long count(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
