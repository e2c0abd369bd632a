package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tickloom.persistence.Database;

/**
 * Layers the OMS configuration ({@code oms.conf}: {@code tickloom.oms} and the Pekko Persistence JDBC journal)
 * over a node's configuration, pointing the journal at the node's PostgreSQL. The journal gets its own small
 * pool (Slick over HikariCP) on the same database as the stores, so tick writes and journal writes do not wait
 * for each other's connections. Use the result to create the node's ActorSystem:
 *
 * <pre>{@code
 * Database db = Database.open(settings);
 * ActorSystem.create(guardian, name, OmsConfig.withJournal(nodeConfig, db));
 * }</pre>
 */
public final class OmsConfig {
  private OmsConfig() {}

  private static final String DB = "pekko-persistence-jdbc.shared-databases.tickloom.db.";

  /**
   * {@code node} with the OMS layered over it and the journal on {@code db}'s database, resolved. Keys under
   * {@code tickloom.oms} in {@code node} (application.conf, test overrides) win over oms.conf; the journal plugin
   * settings of oms.conf win over the node's (Pekko's reference.conf defaults are in it).
   */
  public static Config withJournal(Config node, Database db) {
    return withJournal(node, db.jdbcUrl(), db.user(), db.password());
  }

  /** As {@link #withJournal(Config, Database)}, for a database given by its JDBC URL and role. */
  public static Config withJournal(Config node, String url, String user, String password) {
    Config oms = ConfigFactory.parseResourcesAnySyntax("oms");
    if (!oms.hasPath("tickloom.oms")) throw new IllegalStateException("oms.conf is not on the classpath");
    if (node.hasPath("tickloom.oms")) oms = node.getConfig("tickloom.oms").atPath("tickloom.oms").withFallback(oms);
    int pool = oms.getInt("tickloom.oms.journal-pool-size");
    return ConfigFactory.empty()
        .withValue(DB + "url", ConfigValueFactory.fromAnyRef(url))
        .withValue(DB + "user", ConfigValueFactory.fromAnyRef(user == null ? "" : user))
        .withValue(DB + "password", ConfigValueFactory.fromAnyRef(password == null ? "" : password))
        .withValue(DB + "numThreads", ConfigValueFactory.fromAnyRef(pool))
        .withValue(DB + "maxConnections", ConfigValueFactory.fromAnyRef(pool))
        .withValue(DB + "minConnections", ConfigValueFactory.fromAnyRef(Math.min(2, pool)))
        .withFallback(oms)
        .withFallback(node)
        .resolve();
  }
}
