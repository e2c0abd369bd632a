package io.tickloom.cluster.feed;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tickloom.kafka} (SPEC §8): the broker, the inbound topic and its dead-letter topic, the optional outbound
 * topics, and the consumer's batching. {@link #enabled()} when a bootstrap address is set
 * ({@code TICKLOOM_KAFKA_BOOTSTRAP}).
 */
public record KafkaSettings(
    String bootstrap,
    String groupId,
    String topic,
    String dlqTopic,
    String ticksOutTopic,
    String barsOutTopic,
    int maxPartitions,
    int batch,
    Duration batchDelay,
    Duration commitInterval,
    Duration lagInterval,
    Duration stopTimeout,
    int batchesInFlight,
    String instanceId,
    Duration sessionTimeout) {

  public static KafkaSettings fromConfig(Config root) {
    Config c = root.getConfig("tickloom.kafka");
    return new KafkaSettings(c.getString("bootstrap").trim(), c.getString("group-id"), c.getString("topic"), c.getString("dlq-topic"),
        c.getString("ticks-out-topic").trim(), c.getString("bars-out-topic").trim(), c.getInt("max-partitions"), c.getInt("batch"),
        c.getDuration("batch-delay"), c.getDuration("commit-interval"), c.getDuration("lag-interval"), c.getDuration("stop-timeout"),
        c.getInt("batches-in-flight"), c.getString("instance-id").trim(), c.getDuration("session-timeout"));
  }

  public boolean enabled() {
    return !bootstrap.isEmpty();
  }

  public KafkaSettings withBootstrap(String servers) {
    return new KafkaSettings(servers, groupId, topic, dlqTopic, ticksOutTopic, barsOutTopic, maxPartitions, batch, batchDelay,
        commitInterval, lagInterval, stopTimeout, batchesInFlight, instanceId, sessionTimeout);
  }

  public KafkaSettings withGroupId(String group) {
    return new KafkaSettings(bootstrap, group, topic, dlqTopic, ticksOutTopic, barsOutTopic, maxPartitions, batch, batchDelay,
        commitInterval, lagInterval, stopTimeout, batchesInFlight, instanceId, sessionTimeout);
  }

  public KafkaSettings withBatch(int n, Duration delay) {
    return new KafkaSettings(bootstrap, groupId, topic, dlqTopic, ticksOutTopic, barsOutTopic, maxPartitions, n, delay,
        commitInterval, lagInterval, stopTimeout, batchesInFlight, instanceId, sessionTimeout);
  }

  /** With static group membership under {@code id} (empty: dynamic membership). */
  public KafkaSettings withInstanceId(String id) {
    return new KafkaSettings(bootstrap, groupId, topic, dlqTopic, ticksOutTopic, barsOutTopic, maxPartitions, batch, batchDelay,
        commitInterval, lagInterval, stopTimeout, batchesInFlight, id, sessionTimeout);
  }

  public KafkaSettings withOutbound(String ticksTopic, String barsTopic) {
    return new KafkaSettings(bootstrap, groupId, topic, dlqTopic, ticksTopic, barsTopic, maxPartitions, batch, batchDelay,
        commitInterval, lagInterval, stopTimeout, batchesInFlight, instanceId, sessionTimeout);
  }
}
