package io.tickloom.deploy.faults;

import io.tickloom.cluster.ClusterConfig;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.ShardRegion;

/**
 * Which node owned an instrument's entity at a given time, learnt from outside: no endpoint of the product says where an
 * entity lives, so the harness reads the shard coordinator's DEBUG lines from the node logs
 * ({@code instrument: Shard [17] allocated at [Actor[pekko://tickloom@127.0.0.2:40123/system/sharding/instrument#..]]},
 * {@code instrument: Rebalance shard [17] from [...]}) and maps a token to its shard the way Pekko's default extractor
 * does ({@link ShardRegion.HashCodeMessageExtractor#shardId}: {@code |entityId.hashCode % number-of-shards|}, entity id
 * = the token's decimal text as in {@code InstrumentEntity.entityId}).
 *
 * <p>A coordinator writes a local region without an address ({@code pekko://tickloom/system/...}); such a line is owned
 * by the node whose log it is in. Lines of every node and incarnation are merged in time order, so a coordinator that
 * moved (its node left) is followed too.
 */
public final class ShardPlacement {
  public static final String TYPE = "instrument";
  private static final Pattern LINE = Pattern.compile("^(\\S+Z) DEBUG .* - " + TYPE + ": (Shard \\[(\\S+)] allocated at|Rebalance shard \\[(\\S+)] from) \\[Actor\\[pekko://[^@/\\]]+(@([^:/]+):\\d+)?/");

  /** One coordinator decision: at {@code at} shard {@code shard} went to {@code host} (null: being moved, owner unknown). */
  public record Move(long at, String shard, String host) {}

  private final Map<String, List<Move>> byShard = new HashMap<>();
  private final int numberOfShards;

  private ShardPlacement(List<Move> moves, int numberOfShards) {
    this.numberOfShards = numberOfShards;
    moves.sort(Comparator.comparingLong(Move::at));
    for (Move m : moves) byShard.computeIfAbsent(m.shard(), s -> new ArrayList<>()).add(m);
  }

  /** Reads every log of {@code nodes} (all incarnations). */
  public static ShardPlacement read(Collection<NodeProcess> nodes) throws IOException {
    List<Move> moves = new ArrayList<>();
    for (NodeProcess n : nodes) {
      for (Path log : n.logs()) {
        if (!Files.exists(log)) continue;
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
          if (!line.contains(TYPE + ": ")) continue;
          Matcher m = LINE.matcher(line);
          if (!m.find()) continue;
          long at = FaultClock.nanos(Instant.parse(m.group(1)));
          boolean allocated = m.group(3) != null;
          String shard = allocated ? m.group(3) : m.group(4);
          String host = !allocated ? null : m.group(6) != null ? m.group(6) : n.address().host();
          moves.add(new Move(at, shard, host));
        }
      }
    }
    return new ShardPlacement(moves, numberOfShards());
  }

  /** The instrument's shard id, as the nodes compute it. */
  public String shardOf(long token) {
    return ShardRegion.HashCodeMessageExtractor$.MODULE$.shardId(Long.toString(token), numberOfShards);
  }

  /** Host (127.0.0.i) owning {@code token}'s shard at epoch nanos {@code at}; null when unknown or being moved. */
  public String hostAt(long token, long at) {
    List<Move> moves = byShard.get(shardOf(token));
    if (moves == null) return null;
    String host = null;
    for (Move m : moves) {
      if (m.at() > at) break;
      host = m.host();
    }
    return host;
  }

  /** Shards on {@code host} at epoch nanos {@code at}, and the shards placed anywhere then. */
  private int[] count(String host, long at) {
    int mine = 0;
    int placed = 0;
    for (List<Move> moves : byShard.values()) {
      String h = null;
      for (Move m : moves) {
        if (m.at() > at) break;
        h = m.host();
      }
      if (h == null) continue;
      placed++;
      if (h.equals(host)) mine++;
    }
    return new int[] {mine, placed};
  }

  /**
   * The first coordinator decision in {@code [from, to]} after which {@code host} holds its share of the placed shards
   * (placed / nodes, less one: the allocation strategy leaves a difference of one); -1 when that never happened.
   */
  public long balancedAt(String host, int nodes, long from, long to) {
    java.util.TreeSet<Long> times = new java.util.TreeSet<>();
    times.add(from);
    for (List<Move> moves : byShard.values()) for (Move m : moves) if (m.at() >= from && m.at() <= to) times.add(m.at());
    for (long at : times) {
      int[] c = count(host, at);
      if (c[1] > 0 && c[0] >= c[1] / nodes - 1) return at;
    }
    return -1;
  }

  /** Every decision about {@code token}'s shard, oldest first. */
  public List<Move> history(long token) {
    return byShard.getOrDefault(shardOf(token), List.of());
  }

  /** How many coordinator decisions were read (0 means the DEBUG lines are missing: the placement is unknown). */
  public int decisions() {
    return byShard.values().stream().mapToInt(List::size).sum();
  }

  /** Shards the coordinator allocated that no token of {@code tokens} maps to (a sanity check of {@link #shardOf}). */
  public List<String> shardsNotOf(Collection<Long> tokens) {
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (long t : tokens) expected.add(shardOf(t));
    List<String> odd = new ArrayList<>();
    for (String s : byShard.keySet()) if (!expected.contains(s)) odd.add(s);
    return odd;
  }

  private static int numberOfShards() {
    return ClusterConfig.load(ConfigFactory.empty()).getInt("pekko.cluster.sharding.number-of-shards");
  }
}
