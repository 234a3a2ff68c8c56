package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class EmbeddedKafkaIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicReference<EmbeddedKafka> SHARED = new AtomicReference<>();

  private final EmbeddedKafka constructorKafka;

  EmbeddedKafkaIT(EmbeddedKafka kafka) {
    this.constructorKafka = kafka;
  }

  @BeforeAll
  static void rememberTheSharedBroker(EmbeddedKafka kafka) {
    SHARED.set(kafka);
  }

  @Test
  void deliversNumberedRecordsToAPlainConsumerAndTracksOffsets(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("roundtrip");
    String group = EmbeddedKafka.uniqueGroup("roundtrip");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(1000).distinctKeys(10).header("seq");

    assertThat(kafka.produce(batch.records())).isEqualTo(1000);

    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    assertThat(endOffsets.keySet()).containsExactly(0, 1, 2);
    assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
    assertThat(kafka.committedOffsets(group, topic)).isEmpty();

    Set<String> values = new HashSet<>();
    Map<String, Integer> partitionOfKey = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(group))) {
      consumer.subscribe(List.of(topic));
      Await.until(
          WAIT,
          () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
              String value = new String(record.value(), UTF_8);
              int number = NumberedRecords.numberOf(value);
              assertThat(new String(record.key(), UTF_8)).isEqualTo("key-" + number % 10);
              assertThat(new String(record.headers().lastHeader("seq").value(), UTF_8))
                  .isEqualTo(Integer.toString(number));
              // The default partitioner hashes keys, so one key must always land in one partition.
              Integer earlier = partitionOfKey.putIfAbsent(new String(record.key(), UTF_8), record.partition());
              assertThat(earlier == null ? record.partition() : earlier).isEqualTo(record.partition());
              assertThat(values.add(value)).as("first delivery of %s", value).isTrue();
            }
            return values.size() >= 1000;
          },
          () -> "1000 records, got " + values.size());
      consumer.commitSync();
    }

    assertThat(values).isEqualTo(batch.values());
    assertThat(partitionOfKey).hasSize(10);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(endOffsets);
    assertThat(kafka.committedOffsets(EmbeddedKafka.uniqueGroup("never-committed"), topic)).isEmpty();
  }

  @Test
  void createTopicWaitsForLeadersOfEveryPartition(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("leaders");

    kafka.createTopic(topic, 5);

    TopicDescription description =
        kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    assertThat(description.partitions()).hasSize(5);
    assertThat(description.partitions()).allSatisfy(partition -> {
      assertThat(partition.leader().id()).isEqualTo(0);
      assertThat(partition.replicas()).hasSize(1);
    });
    assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L, 4, 0L));
  }

  @Test
  void createTopicNamesTheTopicWhenItExistsAlready(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("twice");
    kafka.createTopic(topic, 1);

    assertThatThrownBy(() -> kafka.createTopic(topic, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not create topic '" + topic + "': ")
        .hasMessageContaining("TopicExistsException");
  }

  @Test
  void createTopicRejectsZeroPartitions(EmbeddedKafka kafka) {
    assertThatThrownBy(() -> kafka.createTopic(EmbeddedKafka.uniqueTopic("none"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("partitions must be >= 1, but was 0");
  }

  @Test
  void endOffsetsOfAMissingTopicNameTheTopic(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("missing");

    assertThatThrownBy(() -> kafka.endOffsets(topic))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not read the end offsets of topic '" + topic + "': ")
        .hasMessageContaining("UnknownTopicOrPartitionException");
  }

  @Test
  void producingAnEmptyListReturnsZero(EmbeddedKafka kafka) {
    assertThat(kafka.produce(List.<ProducerRecord<byte[], byte[]>>of())).isZero();
  }

  @Test
  void uniqueNamesAreDistinctAndValid() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      names.add(EmbeddedKafka.uniqueTopic("t"));
      names.add(EmbeddedKafka.uniqueGroup("t"));
    }

    assertThat(names).hasSize(200).allSatisfy(name -> assertThat(name).matches("t-[0-9]+-[0-9a-f]{6}"));
    assertThatThrownBy(() -> EmbeddedKafka.uniqueTopic("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix must be 1 to 200 of a-z A-Z 0-9 . _ -, but was 'has space'");
  }

  @Test
  void firstTestMethodGetsTheSharedBroker(EmbeddedKafka kafka) {
    assertThat(kafka).isSameAs(SHARED.get()).isSameAs(constructorKafka);
  }

  @Test
  void secondTestMethodGetsTheSameSharedBroker(EmbeddedKafka kafka) {
    assertThat(kafka).isSameAs(SHARED.get()).isSameAs(constructorKafka);
    assertThat(kafka.bootstrapServers()).startsWith("localhost:");
  }

  @Nested
  class NestedClass {
    @Test
    void reusesTheEnclosingClassBroker(EmbeddedKafka kafka) {
      assertThat(kafka).isSameAs(SHARED.get());
    }
  }
}
