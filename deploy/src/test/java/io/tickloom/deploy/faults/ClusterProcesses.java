package io.tickloom.deploy.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A Tickloom cluster of N node JVMs on this machine, as an operator would run it (README "Several nodes"): node i is
 * {@code java -cp <this JVM's class path> io.tickloom.deploy.Main run} on 127.0.0.i with its own free HTTP and Artery
 * ports, configured by the TICKLOOM_* environment plus a few JVM system properties (which ConfigFactory.load layers
 * over everything). Node 1 is the seed and the only node running the simulated feed; all share one external
 * PostgreSQL.
 *
 * <p>What the harness sets beyond a plain {@code run}, and why:
 * <ul>
 *   <li>{@code tickloom.cluster.around-the-clock = true}: venues open at any hour, as {@code tickloom demo} sets it, so
 *       the simulated market trades outside NSE hours;</li>
 *   <li>{@code tickloom.cluster.simulator.gap-rate = 0}, {@code late-rate = 0}, {@code reorder-rate = 0},
 *       {@code secondary-share = 0}: the simulator drops, delays, swaps and copies nothing on purpose, so every seq
 *       missing from the {@code ticks} table is a tick the product lost, a tick's exchange time is when it entered the
 *       system (its delay at the client is the product's: a swapped tick of a quiet option waits seconds for its
 *       neighbour), and every tick received is stored once or lost (no duplicate to tell apart);</li>
 *   <li>{@code pekko.cluster.min-nr-of-members = N}: no member is Up (and node 1's feed, which starts on Up, does not
 *       start) before all N joined, so the first shard allocation spreads the instruments over every node instead of
 *       putting them all on node 1 and rebalancing a few per 10 s;</li>
 *   <li>{@code pekko.loglevel = DEBUG} with a logback file ({@code faults/logback-node.xml}) that lets through DEBUG of
 *       the shard coordinator only: its "Shard [s] allocated at [region]" lines are how the harness learns which node
 *       owns which instrument ({@link ShardPlacement}); the file also writes UTC ISO timestamps;</li>
 *   <li>{@code tickloom.http.interface = 127.0.0.i}: each node's HTTP on its own address.</li>
 * </ul>
 * The node JVMs get this JVM's class path, which must hold tickloom-deploy and its runtime dependencies (deploy's test
 * class path does; so does that of a module depending on tickloom-deploy and its test-jar, as bench/ may).
 *
 * <p>Closing destroys every node JVM that still runs (also from a JVM shutdown hook, so a test JVM that dies leaves no
 * stray node behind).
 */
public final class ClusterProcesses implements AutoCloseable {
  public static final String LOGBACK_RESOURCE = "faults/logback-node.xml";

  private final List<NodeProcess> nodes;
  private final Thread reaper;

  private ClusterProcesses(List<NodeProcess> nodes) {
    this.nodes = nodes;
    this.reaper = new Thread(this::destroyAll, "faults-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * The settings every node shares.
   *
   * @param dbUrl the external PostgreSQL (TICKLOOM_DB_URL), user and password
   * @param apiKeys TICKLOOM_API_KEYS
   * @param simTicksPerSecond rate of node 1's simulated feed
   * @param heap -Xmx of each JVM
   * @param properties more -D system properties for every node (layered over the harness's)
   * @param dir where the node logs and data dirs go
   */
  public record Settings(String dbUrl, String dbUser, String dbPassword, String apiKeys, int simTicksPerSecond, String heap,
      Map<String, String> properties, Path dir) {}

  /**
   * Starts {@code n} node JVMs (node 1, then the others at once) and waits until each answers ready (all must have
   * joined before any is Up, see the class doc). Fails as soon as a node JVM exits; on failure every started JVM is
   * destroyed and the failing node's log path and tail are in the exception.
   */
  public static ClusterProcesses start(int n, Settings s, Duration readyWithin) throws IOException, TimeoutException {
    Files.createDirectories(s.dir());
    List<NodeProcess.Address> addresses = new ArrayList<>();
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    for (int i = 1; i <= n; i++) {
      String host = "127.0.0." + i;
      addresses.add(new NodeProcess.Address(i, host, freePort(host, taken), freePort(host, taken)));
    }
    List<NodeProcess> nodes = new ArrayList<>();
    for (NodeProcess.Address a : addresses) nodes.add(node(a, addresses.get(0), n, s));
    ClusterProcesses cluster = new ClusterProcesses(nodes);
    try {
      // Node 1 first, until its HTTP answers (it opens and migrates the database before binding): nodes that start at
      // once on an empty database race in Flyway's baseline and all but one fail ("Unable to baseline schema history
      // table ... as it already exists, and is empty"). Then the others together.
      nodes.get(0).start();
      awaitAll(List.of(nodes.get(0)), "/health/live", readyWithin, nodes);
      for (NodeProcess node : nodes.subList(1, nodes.size())) node.start();
      awaitAll(nodes, "/health/ready", readyWithin, nodes);
      return cluster;
    } catch (IOException | TimeoutException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Polls {@code path} on every node of {@code waitFor} until each answers 200; fails at once when one of {@code all}
   * exits, with its log's path and tail.
   */
  private static void awaitAll(List<NodeProcess> waitFor, String path, Duration within, List<NodeProcess> all) throws TimeoutException {
    long deadline = System.nanoTime() + within.toNanos();
    java.util.Set<Integer> done = new java.util.HashSet<>();
    while (true) {
      for (NodeProcess n : all) {
        if (n.currentLog() != null && !n.alive()) {
          throw new IllegalStateException("node " + n.index() + " exited with " + n.exitCode() + " while the cluster started; log "
              + n.currentLog() + ":\n" + n.tail(40));
        }
      }
      for (NodeProcess n : waitFor) {
        if (!done.contains(n.index()) && n.answers(path)) done.add(n.index());
      }
      if (done.size() == waitFor.size()) return;
      if (System.nanoTime() > deadline) {
        StringBuilder b = new StringBuilder("not every node answered " + path + " within " + within + " (answered: " + done + ")");
        for (NodeProcess n : waitFor) if (!done.contains(n.index())) b.append("\nnode ").append(n.index()).append(", log ")
            .append(n.currentLog()).append(":\n").append(n.tail(15));
        throw new TimeoutException(b.toString());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted");
      }
    }
  }

  private static NodeProcess node(NodeProcess.Address a, NodeProcess.Address seed, int n, Settings s) throws IOException {
    Path data = s.dir().resolve("node" + a.index() + "-data");
    Files.createDirectories(data);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TICKLOOM_DB_URL", s.dbUrl());
    env.put("TICKLOOM_DB_USER", s.dbUser());
    env.put("TICKLOOM_DB_PASSWORD", s.dbPassword());
    env.put("TICKLOOM_HTTP_PORT", Integer.toString(a.httpPort()));
    env.put("TICKLOOM_CLUSTER_HOST", a.host());
    env.put("TICKLOOM_CLUSTER_PORT", Integer.toString(a.clusterPort()));
    env.put("TICKLOOM_SEED_NODES", seed.artery());
    env.put("TICKLOOM_FEEDS", a.index() == 1 ? "sim" : "");
    env.put("TICKLOOM_API_KEYS", s.apiKeys());
    env.put("TICKLOOM_DATA_DIR", data.toString());

    Map<String, String> props = new LinkedHashMap<>();
    props.put("logback.configurationFile", LOGBACK_RESOURCE);
    props.put("tickloom.http.interface", a.host());
    props.put("tickloom.cluster.around-the-clock", "true");
    props.put("tickloom.cluster.simulator.ticks-per-second", Integer.toString(s.simTicksPerSecond()));
    props.put("tickloom.cluster.simulator.gap-rate", "0");
    props.put("tickloom.cluster.simulator.late-rate", "0");
    props.put("tickloom.cluster.simulator.secondary-share", "0");
    props.put("tickloom.cluster.simulator.reorder-rate", "0");
    props.put("pekko.cluster.min-nr-of-members", Integer.toString(n));
    props.put("pekko.loglevel", "DEBUG");
    props.putAll(s.properties());

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + s.heap());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.tickloom.deploy.Main");
    cmd.add("run");
    // The environment of this JVM minus any TICKLOOM_* of its own, plus the node's.
    Map<String, String> full = new LinkedHashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!k.startsWith("TICKLOOM_")) full.put(k, v);
    });
    full.putAll(env);
    return new NodeProcess(a, cmd, full, s.dir());
  }

  /** Node {@code i} (1-based). */
  public NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** HTTP base URIs of the nodes whose JVM runs now. */
  public List<URI> liveHttp() {
    List<URI> live = new ArrayList<>();
    for (NodeProcess n : nodes) if (n.alive()) live.add(n.address().http());
    return live;
  }

  /** SIGKILL of node {@code i}; answers its exit code. */
  public int kill(int i) throws InterruptedException, TimeoutException {
    return node(i).kill();
  }

  /** SIGTERM of node {@code i} (graceful leave); answers its exit code. */
  public int stop(int i, Duration within) throws InterruptedException, TimeoutException {
    return node(i).stop(within);
  }

  /** Starts node {@code i} again at the same address and ports and waits until it is ready (it rejoins the cluster). */
  public void restart(int i, Duration readyWithin) throws IOException, TimeoutException {
    node(i).start();
    node(i).awaitReady(readyWithin);
  }

  /** Log paths of every node and incarnation, for failure messages. */
  public String logPaths() {
    StringBuilder b = new StringBuilder();
    for (NodeProcess n : nodes) b.append("  node ").append(n.index()).append(": ").append(n.logs()).append('\n');
    return b.toString();
  }

  private void destroyAll() {
    for (NodeProcess n : nodes) n.destroy();
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }

  /** A port free at {@code host} now and not handed out before in this cluster. */
  private static int freePort(String host, java.util.Set<Integer> taken) throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        if (taken.add(s.getLocalPort())) return s.getLocalPort();
      }
    }
  }
}
