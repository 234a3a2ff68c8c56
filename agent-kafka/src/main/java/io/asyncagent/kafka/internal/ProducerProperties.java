package io.asyncagent.kafka.internal;

import io.asyncagent.kafka.Cluster;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producer properties for the dead-letter topic. Holds secrets (the JAAS line): never log it. */
public final class ProducerProperties {
  private ProducerProperties() {}

  /**
   * Returns the properties of a dead-letter producer: acknowledged by every in-sync replica, idempotent,
   * and blocking a send at most 1 s for metadata (a missing topic) — less than the agent's default 2 s
   * timeout — before the write fails and is tried again later.
   */
  public static Map<String, Object> forDeadLetters(Cluster cluster, String topic) {
    Map<String, Object> props = new HashMap<>();
    ConsumerProperties.putConnection(props, cluster);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, cluster.clientId().orElse("asyncagent") + "-dlq-" + topic);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    // Room for the large records a source topic may allow; a letter the topic still refuses is sent bodiless.
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
