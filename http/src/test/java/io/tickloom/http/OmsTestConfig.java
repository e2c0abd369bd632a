package io.tickloom.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.ClusterConfig;
import io.tickloom.cluster.oms.OmsConfig;
import io.tickloom.persistence.Database;

/** The configuration of a one-member test cluster running the OMS on {@code db}'s journal, with an HTTP server on a free port. */
final class OmsTestConfig {
  private OmsTestConfig() {}

  /** The common settings with {@code extra} HOCON lines layered over them. */
  static Config on(Database db, String... extra) {
    return OmsConfig.withJournal(ClusterConfig.load(ConfigFactory.parseString(String.join("\n", extra)).withFallback(
        ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.run-coordinated-shutdown-when-down = off
            tickloom.http.interface = "127.0.0.1"
            tickloom.http.port = 0
            tickloom.oms.ask-timeout = 15s
            pekko.actor.testkit.typed.system-shutdown-default = 30s
            """))), db);
  }
}
