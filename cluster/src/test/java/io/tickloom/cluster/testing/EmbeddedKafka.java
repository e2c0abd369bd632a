package io.tickloom.cluster.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM (KRaft, one combined broker+controller node), for tests and benchmarks: no mock
 * consumer anywhere. Starts in a few seconds; {@link #close()} removes its log directories.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static EmbeddedKafka start() {
    try {
      KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1)
          .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
          .build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("num.partitions", "1")
          .build();
      c.format();
      c.startup();
      c.waitForReadyBrokers();
      return new EmbeddedKafka(c);
    } catch (Exception e) {
      throw new IllegalStateException("starting the in-process Kafka broker failed", e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates topics with {@code partitions} partitions each (replication 1), waiting until they exist. */
  public void createTopics(int partitions, String... names) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("creating topics " + List.of(names) + " failed", e);
    }
  }

  /** The committed offsets of {@code group}, per partition of {@code topic} (partition → offset). */
  public Map<Integer, Long> committed(String group, String topic) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      java.util.TreeMap<Integer, Long> out = new java.util.TreeMap<>();
      offsets.forEach((tp, om) -> {
        if (tp.topic().equals(topic) && om != null) out.put(tp.partition(), om.offset());
      });
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("reading committed offsets of " + group + " failed", e);
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the in-process Kafka broker failed", e);
    }
  }
}
