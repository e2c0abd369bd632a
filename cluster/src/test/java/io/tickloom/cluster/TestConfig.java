package io.tickloom.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Cluster test configuration: a free Artery port, a node that seeds itself, fast heartbeats, and 30 s (not the testkit's
 * 10 s) for a node to stop: leaving the cluster, stopping shards, projections and the journal's pool took longer than
 * 10 s on the 2-core CI machine under load.
 */
public final class TestConfig {
  private TestConfig() {}

  public static Config node(String extra) {
    return ClusterConfig.load(ConfigFactory.parseString(extra + "\n"
            + "pekko.remote.artery.canonical.port = 0\n"
            + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
            + "pekko.coordinated-shutdown.terminate-actor-system = on\n"
            + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
            + "pekko.cluster.run-coordinated-shutdown-when-down = off\n"
            + "tickloom.cluster.heartbeat-interval = 50ms\n"
            + "pekko.actor.testkit.typed.system-shutdown-default = 30s\n"));
  }
}
