package io.tickloom.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tickloom.cluster.ClusterConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds a node's configuration: {@code overrides} (tests, --config FILE) over application.conf (which reads the
 * TICKLOOM_* environment) over every module's reference.conf; then derives the Pekko seed nodes from
 * {@code tickloom.node.seed-nodes} (empty: the node seeds itself, a single-node cluster).
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static final String SYSTEM_NAME = "tickloom";
  /** The demo's API key when TICKLOOM_API_KEYS is not set (SPEC §2): key {@code demo}, account DEMO, every role. */
  public static final String DEMO_KEYS = "demo:DEMO:trader+feed+admin";

  public static Config load(Config overrides) {
    // Resolve after layering so ${?ENV} and ${...} references see the overrides (DEPENDENCIES.md pitfall 3).
    Config c = ClusterConfig.load(overrides);
    return withSeeds(c);
  }

  public static Config demo(Config overrides) {
    // The demo: simulated feed, venues open around the clock, and (unless TICKLOOM_CLUSTER_PORT says otherwise)
    // a free Artery port, so several demos run side by side with only their data dir and HTTP port set.
    return load(overrides.withFallback(ConfigFactory.parseMap(Map.of(
        "tickloom.cluster.around-the-clock", true))).withFallback(
        ConfigFactory.parseString("tickloom.node.feeds = sim\ntickloom.node.feeds = ${?TICKLOOM_FEEDS}\n"
            + "tickloom.http.api-keys = \"" + DEMO_KEYS + "\"\ntickloom.http.api-keys = ${?TICKLOOM_API_KEYS}\n"
            + "pekko.remote.artery.canonical.port = 0\npekko.remote.artery.canonical.port = ${?TICKLOOM_CLUSTER_PORT}")));
  }

  static Config withSeeds(Config c) {
    List<String> seeds = new ArrayList<>();
    for (String s : csv(c.getString("tickloom.node.seed-nodes"))) {
      if (!s.matches("[^:]+:\\d+")) throw new IllegalArgumentException("TICKLOOM_SEED_NODES entries must be host:port, got '" + s + "'");
      seeds.add("pekko://" + SYSTEM_NAME + "@" + s);
    }
    // No seeds: the node joins itself once started (TickloomNode), which also works with port 0.
    Config derived = seeds.isEmpty() ? ConfigFactory.empty()
        : ConfigFactory.empty().withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
    List<String> roles = csv(c.getString("tickloom.node.roles"));
    if (!roles.isEmpty()) derived = derived.withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles));
    return derived.withFallback(c);
  }

  static List<String> csv(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
