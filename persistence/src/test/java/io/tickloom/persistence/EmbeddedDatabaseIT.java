package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default database: a real PostgreSQL per data dir, kept across restarts (about 20 s: three clusters are created). */
class EmbeddedDatabaseIT {
  static final Instrument TCS = Instrument.cash(2953217, Exchange.NSE, "TCS", InstrumentKind.EQ, 5, 1, 2, 0);

  @Test
  @Timeout(120)
  void embedded_keepsItsDataAcrossRestartsAndRefusesASecondOwner(@TempDir Path dataDir) {
    try (Database db = Database.open(new DatabaseSettings(null, "tickloom", "secret", dataDir, 2))) {
      assertTrue(db.isEmbedded());
      assertEquals(1, db.migrationsApplied());
      assertEquals("tickloom", db.user());
      assertTrue(db.jdbcUrl().matches("jdbc:postgresql://localhost:\\d+/tickloom"), db.jdbcUrl());
      assertTrue(db.ping());
      new InstrumentStore(db).upsert(List.of(TCS));
      assertTrue(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")));
      PersistenceException inUse = assertThrows(PersistenceException.class,
          () -> Database.open(DatabaseSettings.embedded(dataDir, 1)));
      assertTrue(inUse.getMessage().contains("in use by another running node"), inUse.getMessage());
      db.close();
      assertFalse(db.ping());
    }
    try (Database db = Database.open(new DatabaseSettings(null, "tickloom", "secret", dataDir, 2))) {
      assertEquals(0, db.migrationsApplied());
      assertEquals(Optional.of(TCS), new InstrumentStore(db).find(TCS.token()));
    }
  }

  @Test
  @Timeout(120)
  void embedded_nodesWithDifferentDataDirsRunSideBySide(@TempDir Path a, @TempDir Path b) {
    try (Database one = Database.open(DatabaseSettings.embedded(a, 1)); Database two = Database.open(DatabaseSettings.embedded(b, 1))) {
      assertNotEquals(one.jdbcUrl(), two.jdbcUrl());
      new InstrumentStore(one).upsert(List.of(TCS));
      assertTrue(two.ping());
      assertEquals(List.of(TCS), new InstrumentStore(one).all());
      assertEquals(List.of(), new InstrumentStore(two).all());
    }
  }

  @Test
  @Timeout(180)
  void embedded_stopsThePostmasterLeftByAKilledNodeAndKeepsItsData(@TempDir Path dataDir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process node = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EmbeddedNodeMain.class.getName(), dataDir.toString())
        .redirectErrorStream(true).start();
    ProcessHandle orphan = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder log = new StringBuilder();
      for (String line; (line = out.readLine()) != null && !line.equals("READY"); ) log.append(line).append('\n');
      assertTrue(node.isAlive(), "the node did not start:\n" + log);
      node.destroyForcibly(); // SIGKILL: no shutdown hooks, the postmaster stays up
      assertTrue(node.waitFor(30, TimeUnit.SECONDS));
      long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
      orphan = ProcessHandle.of(postmaster).orElseThrow();
      assertTrue(orphan.isAlive());

      try (Database db = Database.open(DatabaseSettings.embedded(dataDir, 1))) {
        assertFalse(orphan.isAlive());
        assertEquals(Optional.of(EmbeddedNodeMain.INSTRUMENT), new InstrumentStore(db).find(EmbeddedNodeMain.INSTRUMENT.token()));
      }
    } finally {
      node.destroyForcibly();
      if (orphan != null && orphan.isAlive()) orphan.destroy(); // only if the test failed half-way
    }
  }
}
