package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Maps a {@link KafkaDriver}'s settings onto kafka-clients consumer properties. The result holds
 * secrets (the JAAS line): never log it.
 */
public final class ConsumerProperties {
  private ConsumerProperties() {}

  /**
   * Returns the consumer properties for the agent called {@code agentName}, whose dispatcher holds
   * {@code capacity} events: a poll returns at most half of that (and at most Kafka's 500), so that a batch
   * usually fits in whole and the partitions need not be paused between polls.
   */
  public static Map<String, Object> of(KafkaDriver driver, String agentName, int capacity) {
    Cluster cluster = driver.cluster();
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, cluster.clientId().orElse("asyncagent-" + agentName));
    putConnection(props, cluster);
    Group group = driver.group().orElseGet(() -> Group.of(agentName));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group.id());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, group.isolationLevel().kafkaName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) group.sessionTimeout().toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) group.heartbeatInterval().toMillis());
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) group.rebalanceTimeout().toMillis());
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        group.rebalanceStrategies().stream().map(RebalanceStrategy::assignorClass).collect(Collectors.joining(",")));
    group.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, group.fetchDefault());
    // The agent commits what its pipeline completed; Kafka's auto-commit would commit what was polled.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Where a group with no committed offset starts: KrakenD's "latest" by default. A timestamp start uses
    // "latest" for what no timestamp matches, and seeks the rest when partitions are assigned.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, driver.startFrom().autoOffsetReset());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(cluster.channelBufferSize(), capacity / 2)));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  /**
   * Puts what the consumer and the dead-letter producer share: brokers, timeouts, rack, SASL and TLS.
   * {@code keep_alive} has no property: the Java client always turns TCP keep-alive on.
   */
  static void putConnection(Map<String, Object> props, Cluster cluster) {
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", cluster.brokers()));
    props.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, cluster.metadataRetryBackoff().toMillis());
    props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, cluster.dialTimeout().toMillis());
    props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, cluster.dialTimeout().toMillis());
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(Integer.MAX_VALUE, Math.max(cluster.readTimeout().toMillis(), cluster.writeTimeout().toMillis())));
    cluster.rackId().ifPresent(rack -> props.put(CommonClientConfigs.CLIENT_RACK_CONFIG, rack));
    SecurityProperties.put(props, cluster);
  }
}
