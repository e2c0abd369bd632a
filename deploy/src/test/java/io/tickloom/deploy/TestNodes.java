package io.tickloom.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.persistence.TestDatabase;
import java.nio.file.Files;

/** Configuration of a real node for integration tests: a fresh database, free HTTP and Artery ports, no JVM hook. */
final class TestNodes {
  private TestNodes() {}

  /** The test node's settings with {@code extra} HOCON lines layered over them. */
  static Config overrides(String... extra) throws Exception {
    String url = TestDatabase.emptyDatabase();
    var dir = Files.createTempDirectory("tickloom-node-it");
    return ConfigFactory.parseString(String.join("\n", extra)).withFallback(ConfigFactory.parseString(String.join("\n",
        "tickloom.persistence.url = \"" + url + "\"",
        "tickloom.persistence.user = \"" + TestDatabase.user() + "\"",
        "tickloom.persistence.password = \"" + TestDatabase.password() + "\"",
        "tickloom.persistence.data-dir = \"" + dir + "\"",
        "tickloom.http.port = 0",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")));
  }
}
