package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broker outages: {@link EmbeddedKafka#stopBroker(int)} and {@link EmbeddedKafka#startBroker(int)}. */
@WithEmbeddedKafka
class EmbeddedKafkaRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Keeps a failed test from leaving the shared broker down for the next one. */
  @AfterEach
  void startTheSharedBrokerIfATestLeftItStopped(EmbeddedKafka kafka) {
    if (!kafka.isBrokerRunning(0)) {
      kafka.startBroker(0);
    }
  }

  @Test
  void aRestartedBrokerKeepsItsPortAndItsRecords(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("restart");
    kafka.createTopic(topic, 3);
    NumberedRecords before = NumberedRecords.forTopic(topic).count(100);
    NumberedRecords after = before.startAt(100);
    String bootstrapServers = kafka.bootstrapServers();
    kafka.produce(before.records());

    kafka.stopBroker(0);

    assertThat(kafka.isBrokerRunning(0)).isFalse();
    // A client of its own with a 2 s default: kafka-clients 4.1.1 ignores DescribeTopicsOptions.timeoutMs for the
    // listNodes call describeTopics starts with, so on the shared admin the call would wait out its 60 s default.
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000))) {
      KafkaFuture<Map<String, TopicDescription>> describe = admin.describeTopics(List.of(topic)).allTopicNames();
      assertThatThrownBy(() -> describe.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessage("Timed out waiting for a node assignment. Call: listNodes");
    }

    kafka.startBroker(0);

    assertThat(kafka.isBrokerRunning(0)).isTrue();
    assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
    assertThat(kafka.produce(after.records())).isEqualTo(100);
    assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
    Set<String> expected = new HashSet<>(before.values());
    expected.addAll(after.values());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumerConfig(EmbeddedKafka.uniqueGroup("restart")))) {
      consumer.subscribe(List.of(topic));
      assertThat(readValues(consumer, 200)).isEqualTo(expected);
    }
  }

  @Test
  void unknownBrokerIdsAreRejectedWithTheValidIds(EmbeddedKafka kafka) {
    assertThat(kafka.brokerIds()).containsExactly(0);
    assertThatThrownBy(() -> kafka.stopBroker(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no broker with id 1; the broker ids are [0]");
    assertThatThrownBy(() -> kafka.startBroker(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no broker with id -1; the broker ids are [0]");
    assertThatThrownBy(() -> kafka.isBrokerRunning(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no broker with id 3; the broker ids are [0]");
  }

  @Test
  void stoppingAStoppedBrokerFails(EmbeddedKafka kafka) {
    kafka.stopBroker(0);

    assertThatThrownBy(() -> kafka.stopBroker(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broker 0 is already stopped");
    assertThat(kafka.isBrokerRunning(0)).isFalse();
  }

  @Test
  void startingARunningBrokerFails(EmbeddedKafka kafka) {
    assertThatThrownBy(() -> kafka.startBroker(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broker 0 is already running");
    assertThat(kafka.isBrokerRunning(0)).isTrue();
  }

  @Test
  void aClusterWithAStoppedBrokerClosesAndThenRefusesRestarts() {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    kafka.stopBroker(0);

    kafka.close();

    assertThat(kafka.isBrokerRunning(0)).isFalse();
    assertThatThrownBy(() -> kafka.startBroker(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this embedded Kafka cluster is closed");
    assertThatThrownBy(() -> kafka.stopBroker(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this embedded Kafka cluster is closed");
  }

  @Test
  void aTopicWithThreeReplicasStaysReadableAndWritableWhileABrokerIsDown() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().brokers(3).start();
    try (kafka) {
      String topic = EmbeddedKafka.uniqueTopic("replicated");
      assertThatThrownBy(() -> kafka.createTopic(topic, 3, (short) 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("replicationFactor must be >= 1, but was 0");
      kafka.createTopic(topic, 3, (short) 3);
      NumberedRecords before = NumberedRecords.forTopic(topic).count(100).distinctKeys(10);
      NumberedRecords after = before.startAt(100);
      kafka.produce(before.records());

      kafka.stopBroker(2);

      assertThat(kafka.brokerIds()).containsExactly(0, 1, 2);
      assertThat(kafka.brokerIds().stream().map(kafka::isBrokerRunning)).containsExactly(true, true, false);
      // The controlled shutdown handed leadership away and took broker 2 out of every ISR (the admin client asks a
      // broker, whose metadata may trail the controller's by a moment).
      Await.until(
          WAIT,
          () ->
              partitions(kafka, topic).stream()
                  .allMatch(p -> p.leader().id() != 2 && isrIds(p).equals(List.of(0, 1))),
          () -> "leaders and ISRs without broker 2: " + partitions(kafka, topic));
      assertThat(kafka.produce(after.records())).isEqualTo(100);
      Set<String> expected = new HashSet<>(before.values());
      expected.addAll(after.values());
      // Assigned, without a group: __consumer_offsets has one replica per partition, some of them on broker 2.
      Map<String, Object> config = kafka.consumerConfig("unused");
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
        consumer.assign(IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList());
        assertThat(readValues(consumer, 200)).isEqualTo(expected);
      }

      kafka.startBroker(2);

      assertThat(kafka.isBrokerRunning(2)).isTrue();
      Await.until(
          WAIT,
          () -> partitions(kafka, topic).stream().allMatch(partition -> isrIds(partition).equals(List.of(0, 1, 2))),
          () -> "broker 2 back in every ISR of " + topic + ": " + partitions(kafka, topic));
    }
    assertThat(kafka.isBrokerRunning(0)).isFalse();
  }

  private static List<Integer> isrIds(TopicPartitionInfo partition) {
    return partition.isr().stream().map(Node::id).sorted().toList();
  }

  private static List<TopicPartitionInfo> partitions(EmbeddedKafka kafka, String topic) {
    try {
      return kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
          .partitions();
    } catch (Exception e) {
      throw new AssertionError("could not describe topic '" + topic + "': " + e, e);
    }
  }

  /** Polls until {@code count} records arrived, each value once, and returns their values. */
  private static Set<String> readValues(KafkaConsumer<byte[], byte[]> consumer, int count) {
    Set<String> values = new HashSet<>();
    Await.until(
        WAIT,
        () -> {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            String value = new String(record.value(), UTF_8);
            assertThat(values.add(value)).as("first delivery of %s", value).isTrue();
          }
          return values.size() >= count;
        },
        () -> count + " records, got " + values.size());
    return values;
  }
}
