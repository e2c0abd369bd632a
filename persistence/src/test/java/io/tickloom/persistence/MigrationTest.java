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
  static Database open(String url) {
    return Database.open(DatabaseSettings.external(url, TestDatabase.user(), TestDatabase.password(), 1));
  }

  @Test
  void migrate_runsOnceAndASecondOpenChangesNothing() throws SQLException {
    String url = TestDatabase.emptyDatabase();
    try (Database db = open(url)) {
      assertEquals(1, db.migrationsApplied());
      assertTablesExist(db);
    }
    try (Database db = open(url)) {
      assertEquals(0, db.migrationsApplied());
      assertTablesExist(db);
      assertEquals(1, count(db, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'"));
    }
  }

  @Test
  void migrate_appliesV1ToADatabaseThatAlreadyHoldsOtherTables() throws SQLException {
    String url = TestDatabase.emptyDatabase();
    try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE event_journal (ordering bigserial PRIMARY KEY)"); // e.g. the Pekko journal came first
    }
    try (Database db = open(url)) {
      assertEquals(1, db.migrationsApplied());
      assertTablesExist(db);
    }
  }

  private static void assertTablesExist(Database db) throws SQLException {
    for (String t : new String[] {"instruments", "ticks", "bars", "gaps"}) {
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
