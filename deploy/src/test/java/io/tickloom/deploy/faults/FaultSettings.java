package io.tickloom.deploy.faults;

import java.time.Duration;

/**
 * Durations and rates of a fault scenario, read from system properties so a soak run (bench/) stretches what CI keeps
 * short. Every property is {@code tickloom.faults.<name>}; durations take {@link Duration#parse} ({@code PT40S}) or a
 * plain number of seconds.
 *
 * @param quiet the window before the fault that the fault window is compared with ({@code quiet}, default 15 s)
 * @param observe the window after the fault in which the figures are taken ({@code observe}, default 40 s)
 * @param outage how long PostgreSQL stays down in the outage scenario ({@code outage}, default 30 s)
 * @param rejoinAfter how long after the kill the node is started again in the rejoin scenario ({@code rejoin-after}, 15 s)
 * @param orderSettle how long after the order loop stopped an order may still be pending before it counts as stuck
 *     ({@code order-settle}, default 10 s)
 * @param catchUp the longest wait for storage and the WebSocket to get past the end of the window before the figures are
 *     taken ({@code catch-up}, default 60 s; when it runs out the figures are taken anyway and say so)
 * @param nodeReady how long a node JVM may take to answer {@code /health/ready} ({@code node-ready}, default 90 s)
 * @param nodes node JVMs ({@code nodes}, default 3)
 * @param ordersPerSecond rate of the order loop ({@code orders-per-second}, default 5; 0 turns it off)
 * @param simTicksPerSecond rate of the simulated feed over the whole universe ({@code sim-ticks-per-second}, default 200, the
 *     product's default)
 * @param nodeHeap {@code -Xmx} of each node JVM ({@code node-heap}, default 768m)
 * @param strict whether the target assertions (nothing lost, nothing stuck, short pause) are on ({@code strict}, default on;
 *     {@code -Dtickloom.faults.strict=false} only prints them)
 */
public record FaultSettings(
    Duration quiet,
    Duration observe,
    Duration outage,
    Duration rejoinAfter,
    Duration orderSettle,
    Duration catchUp,
    Duration nodeReady,
    int nodes,
    double ordersPerSecond,
    int simTicksPerSecond,
    String nodeHeap,
    boolean strict) {

  public static final String PREFIX = "tickloom.faults.";

  public FaultSettings {
    if (nodes < 2 || nodes > 9) throw new IllegalArgumentException(PREFIX + "nodes must be 2 to 9, got " + nodes);
    if (ordersPerSecond < 0) throw new IllegalArgumentException(PREFIX + "orders-per-second must be >= 0");
    if (simTicksPerSecond <= 0) throw new IllegalArgumentException(PREFIX + "sim-ticks-per-second must be > 0");
  }

  /** The settings the system properties give, over the CI defaults. */
  public static FaultSettings fromSystemProperties() {
    return new FaultSettings(
        duration("quiet", Duration.ofSeconds(15)),
        duration("observe", Duration.ofSeconds(40)),
        duration("outage", Duration.ofSeconds(30)),
        duration("rejoin-after", Duration.ofSeconds(15)),
        duration("order-settle", Duration.ofSeconds(10)),
        duration("catch-up", Duration.ofSeconds(60)),
        duration("node-ready", Duration.ofSeconds(90)),
        Integer.parseInt(property("nodes", "3")),
        Double.parseDouble(property("orders-per-second", "5")),
        Integer.parseInt(property("sim-ticks-per-second", "200")),
        property("node-heap", "768m"),
        Boolean.parseBoolean(property("strict", "true")));
  }

  private static String property(String name, String fallback) {
    String v = System.getProperty(PREFIX + name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static Duration duration(String name, Duration fallback) {
    String v = property(name, null);
    if (v == null) return fallback;
    if (v.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(v));
    return Duration.parse(v);
  }
}
