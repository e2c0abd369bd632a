package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tickloom cluster --nodes 2} as {@link LocalCluster} starts it: two nodes on 127.0.0.1 and 127.0.0.2 form one
 * cluster, the simulated feed on node 1 reaches entities on both nodes (sharding spreads the instruments), and node 2,
 * which runs no feed, serves the live state of every instrument, wherever its entity runs.
 */
class LocalClusterIT {
  static LocalCluster cluster;
  static ActorTestKit probes;

  @BeforeAll
  static void start() throws Exception {
    int clusterPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      clusterPort = s.getLocalPort();
    }
    cluster = LocalCluster.start(2, 0, clusterPort, TestNodes.overrides(
        "tickloom.cluster.simulator.ticks-per-second = 500",
        "tickloom.cluster.simulator.depth-per-second = 200"));
    probes = ActorTestKit.create("cluster-probes");
  }

  @AfterAll
  static void stop() throws Exception {
    if (probes != null) probes.shutdownTestKit();
    if (cluster != null) cluster.close();
  }

  @Test
  void twoNodesFormOneClusterAndTheSecondServesLiveStateOfInstrumentsOnBoth() {
    TickloomNode first = cluster.nodes().get(0);
    TickloomNode second = cluster.nodes().get(1);
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
      Set<String> up = new HashSet<>();
      Cluster.get(second.system()).state().getMembers().forEach(m -> {
        if (m.status() == MemberStatus.up()) up.add(m.address().host().get());
      });
      assertEquals(Set.of("127.0.0.1", "127.0.0.2"), up);
      return null;
    });
    // Node 2 runs no feed: its live answers come from entities on either node, fed by node 1's simulator.
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
      try {
        JsonNode instruments = TestNodes.get(second, "/api/v1/instruments?query=&limit=100", 200).get("items");
        assertTrue(instruments.size() > 20, instruments.toString());
        int live = 0;
        for (JsonNode i : instruments) {
          JsonNode forming = TestNodes.get(second, "/api/v1/candles?token=" + i.get("token").asLong() + "&tf=1m&limit=1", 200).get("items");
          if (forming.size() == 1 && !forming.get(0).get("final").asBoolean()) live++;
        }
        assertTrue(live >= instruments.size() / 2, live + " of " + instruments.size() + " instruments show a forming bar through node 2");
        long reliance = TestNodes.get(second, "/api/v1/instruments?query=RELIANCE&limit=1", 200).get("items").get(0).get("token").asLong();
        JsonNode book = TestNodes.get(second, "/api/v1/book/" + reliance + "?depth=5", 200);
        assertTrue(book.get("features").has("mid"), book.toString());
        TestNodes.get(first, "/health/ready", 200);
        TestNodes.get(second, "/health/ready", 200);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }
}
