package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import io.asyncagent.kafka.Sasl;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
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
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", cluster.brokers()));
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, cluster.clientId().orElse("asyncagent-" + agentName));
    props.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, cluster.metadataRetryBackoff().toMillis());
    Group group = driver.group().orElseGet(() -> Group.of(agentName));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group.id());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, group.isolationLevel().kafkaName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) group.sessionTimeout().toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) group.heartbeatInterval().toMillis());
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) group.rebalanceTimeout().toMillis());
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        group.rebalanceStrategies().stream().map(RebalanceStrategy::assignorClass).collect(Collectors.joining(",")));
    group.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    // The agent commits what its pipeline completed; Kafka's auto-commit would commit what was polled.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Where a group with no committed offset starts: KrakenD's "latest" by default. A timestamp start uses
    // "latest" for what no timestamp matches, and seeks the rest when partitions are assigned.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, driver.startFrom().autoOffsetReset());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(500, capacity / 2)));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    cluster.sasl().ifPresent(sasl -> putSasl(props, sasl));
    return props;
  }

  static void putSasl(Map<String, Object> props, Sasl sasl) {
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    props.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName());
    props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"" + jaasEscape(sasl.user()) + "\""
        + " password=\"" + jaasEscape(sasl.password().reveal()) + "\";");
  }

  /** Escapes a value for a double-quoted JAAS option. */
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
