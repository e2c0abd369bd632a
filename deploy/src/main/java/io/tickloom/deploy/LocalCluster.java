package io.tickloom.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tickloom cluster --nodes N} (SPEC §7): N nodes of one cluster in this JVM, node i on 127.0.0.i (Artery on the
 * same port at each address, HTTP on {@code basePort + i - 1}), all seeded by node 1. Node 1 runs the demo's feeds and,
 * unless {@code tickloom.persistence.url} is set, the embedded PostgreSQL; the others use node 1's database (a cluster
 * shares one store, SPEC §9) and run no feed of their own: their instrument entities take their share of the
 * instruments through sharding, and every node serves the whole API. Closing stops the nodes in reverse order, so the
 * database goes last.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  private final List<TickloomNode> nodes;

  private LocalCluster(List<TickloomNode> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code n} nodes (1 to 9) one after the other; if one fails, those started are stopped.
   *
   * @param overrides layered over each node's demo configuration (e.g. an external database, simulator rates)
   * @param basePort HTTP port of node 1 (0: a free port for every node)
   * @param clusterPort Artery port at every node's address
   */
  public static LocalCluster start(int n, int basePort, int clusterPort, Config overrides) throws Exception {
    if (n < 1 || n > 9) throw new IllegalArgumentException("--nodes must be 1 to 9, got " + n);
    List<TickloomNode> started = new ArrayList<>();
    try {
      String seed = "127.0.0.1:" + clusterPort;
      for (int i = 1; i <= n; i++) {
        Config c = overrides
            .withValue("tickloom.http.port", ConfigValueFactory.fromAnyRef(basePort == 0 ? 0 : basePort + i - 1))
            .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef("127.0.0." + i))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(clusterPort))
            .withValue("tickloom.node.seed-nodes", ConfigValueFactory.fromAnyRef(seed))
            // the feed starts when all n are up, so the shards are spread over all of them from the start
            .withValue("pekko.cluster.min-nr-of-members", ConfigValueFactory.fromAnyRef(n))
            // one shutdown for all (close below, reverse order), not one JVM hook per node racing the database's stop
            .withValue("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", ConfigValueFactory.fromAnyRef("off"))
            .withValue("pekko.coordinated-shutdown.exit-jvm", ConfigValueFactory.fromAnyRef("off"));
        if (i > 1) {
          c = c.withValue("tickloom.node.feeds", ConfigValueFactory.fromAnyRef(""));
          if (!overrides.hasPath("tickloom.persistence.url")) {
            TickloomNode first = started.get(0);
            c = c.withValue("tickloom.persistence.url", ConfigValueFactory.fromAnyRef(first.database().jdbcUrl()))
                .withValue("tickloom.persistence.user", ConfigValueFactory.fromAnyRef(first.database().user()))
                .withValue("tickloom.persistence.password", ConfigValueFactory.fromAnyRef(first.database().password()));
          }
        }
        started.add(TickloomNode.start(NodeConfig.demo(c)));
        log.info("cluster node {} of {} up: 127.0.0.{}:{}, http {}", i, n, i, clusterPort, started.get(i - 1).httpPort());
      }
      return new LocalCluster(started);
    } catch (Exception | Error e) {
      new LocalCluster(started).close();
      throw e;
    }
  }

  public List<TickloomNode> nodes() {
    return nodes;
  }

  /**
   * Stops the nodes in reverse order (node 1, which may own the embedded database, last). On Ctrl-C the JVM's shutdown
   * breaks the nodes' connections to each other at once, so node 1's feed cannot drain into entities on the other
   * nodes: its last in-flight batch is cut (logged), as when a node of a real cluster is killed; stored data stays
   * consistent (ticks are stored only after their entity answered).
   */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close();
      } catch (Exception e) {
        log.warn("stopping cluster node {} failed: {}", i + 1, e.toString());
      }
    }
  }
}
