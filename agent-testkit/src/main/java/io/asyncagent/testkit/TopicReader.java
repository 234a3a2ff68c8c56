package io.asyncagent.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic from its beginning to its end offsets, without a consumer group. */
final class TopicReader {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TopicReader() {}

  static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaCluster kafka, String topic) {
    Map<Integer, Long> end = kafka.endOffsets(topic);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, Object> config = kafka.consumerConfig("unused");
    config.remove("group.id");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          end.keySet().stream().map(p -> new TopicPartition(topic, p)).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<Integer, Long> position = new HashMap<>();
      Await.until(WAIT, () -> {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        for (TopicPartition partition : partitions) {
          position.put(partition.partition(), consumer.position(partition));
        }
        return position.equals(end);
      }, () -> "reading " + topic + " up to " + end + ", at " + position);
    }
    return records;
  }
}
