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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default database: a real PostgreSQL per data dir, kept across restarts (about 20 s: it creates three clusters). */
@Tag("embedded-server") // Failsafe only: Surefire excludes the tag, even under -Dtest=...
class EmbeddedDatabaseIT {
  static final Instrument TCS = Instrument.cash(2953217, Exchange.NSE, "TCS", InstrumentKind.EQ, 5, 1, 2, 0);

  @Test
  @Timeout(180)
  void embedded_runsSideBySidePerDataDirKeepsItsDataAcrossRestartsAndRefusesASecondOwner(@TempDir Path a, @TempDir Path b) {
    try (Database one = Database.open(new DatabaseSettings(null, "tickloom", "secret", a, 2));
        Database two = Database.open(DatabaseSettings.embedded(b, 1))) {
      assertTrue(one.isEmbedded());
      assertEquals(MigrationTest.shipped(), one.migrationsApplied());
      assertEquals("tickloom", one.user());
      assertEquals("postgres", two.user());
      assertTrue(one.jdbcUrl().matches("jdbc:postgresql://localhost:\\d+/tickloom"), one.jdbcUrl());
      assertNotEquals(one.jdbcUrl(), two.jdbcUrl());
      assertTrue(one.ping());
      assertTrue(two.ping());
      new InstrumentStore(one).upsert(List.of(TCS));
      assertEquals(List.of(), new InstrumentStore(two).all());
      assertTrue(Files.exists(a.resolve("postgres").resolve("PG_VERSION")));
      PersistenceException inUse = assertThrows(PersistenceException.class, () -> Database.open(DatabaseSettings.embedded(a, 1)));
      assertTrue(inUse.getMessage().contains("in use by another running node"), inUse.getMessage());
      one.close();
      assertFalse(one.ping());
    }
    try (Database again = Database.open(new DatabaseSettings(null, "tickloom", "secret", a, 2))) {
      assertEquals(0, again.migrationsApplied());
      assertEquals(Optional.of(TCS), new InstrumentStore(again).find(TCS.token()));
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
