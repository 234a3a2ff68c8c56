package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Tests written against {@link KafkaCluster}, which run on whichever backing {@code asyncagent.testkit.kafka} chooses;
 * {@link ContainerKafkaIT} runs this class on a container.
 */
@WithEmbeddedKafka
class KafkaClusterIT {
  @Test
  void aKafkaClusterParameterIsTheSharedEmbeddedKafkaByDefault(KafkaCluster cluster, EmbeddedKafka kafka) {
    assertThat(cluster).isSameAs(kafka);
  }

  @Test
  void producesReadsAndTracksOffsetsThroughTheInterface(KafkaCluster kafka) {
    String topic = KafkaCluster.uniqueTopic("cluster");
    String group = KafkaCluster.uniqueGroup("cluster");
    kafka.createTopic(topic, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(100).distinctKeys(4);

    assertThat(kafka.produce(batch.records())).isEqualTo(100);

    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    assertThat(endOffsets.keySet()).containsExactly(0, 1);
    assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(topic);
    assertThat(records.stream().map(record -> new String(record.value(), UTF_8)).collect(Collectors.toSet()))
        .isEqualTo(batch.values());
    assertThat(kafka.committedOffsets(group, topic)).isEmpty();

    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(group))) {
      consumer.commitSync(
          endOffsets.entrySet().stream()
              .collect(
                  Collectors.toMap(
                      entry -> new TopicPartition(topic, entry.getKey()),
                      entry -> new OffsetAndMetadata(entry.getValue()))),
          Duration.ofSeconds(30));
    }
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(endOffsets);
  }
}
