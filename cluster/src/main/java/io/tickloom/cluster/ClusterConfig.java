package io.tickloom.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Loads a node's configuration: {@code overrides} over application.conf over {@code tickloom-pekko.conf} (the
 * Pekko settings every node needs: cluster provider, Artery, sharding) over every library's reference.conf,
 * resolved once at the end so {@code ${?ENV}} substitutions see every layer.
 */
public final class ClusterConfig {
  private ClusterConfig() {}

  public static Config load(Config overrides) {
    return ConfigFactory.load(overrides
        .withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
        .withFallback(ConfigFactory.parseResourcesAnySyntax("tickloom-pekko")));
  }
}
