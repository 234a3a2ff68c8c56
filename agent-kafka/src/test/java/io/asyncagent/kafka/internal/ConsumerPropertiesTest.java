package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.IsolationLevel;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import io.asyncagent.kafka.Sasl;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ConsumerPropertiesTest {

  @Test
  void mapsTheDriverOntoConsumerProperties() {
    KafkaDriver driver = KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k1:9092", "k2:9092").clientId("cid_stocks").build())
        .group(Group.builder().id("my_group_id").isolationLevel(IsolationLevel.READ_UNCOMMITTED).build())
        .build();

    Map<String, Object> props = ConsumerProperties.of(driver, "stocks", 1_000);

    assertThat(props).containsOnly(
        Map.entry("bootstrap.servers", "k1:9092,k2:9092"),
        Map.entry("client.id", "cid_stocks"),
        Map.entry("group.id", "my_group_id"),
        Map.entry("isolation.level", "read_uncommitted"),
        Map.entry("enable.auto.commit", false),
        Map.entry("auto.offset.reset", "latest"),
        Map.entry("key.deserializer", ByteArrayDeserializer.class),
        Map.entry("value.deserializer", ByteArrayDeserializer.class),
        Map.entry("max.poll.records", 256),
        Map.entry("retry.backoff.ms", 250L),
        Map.entry("socket.connection.setup.timeout.ms", 30_000L),
        Map.entry("socket.connection.setup.timeout.max.ms", 30_000L),
        Map.entry("request.timeout.ms", 30_000),
        Map.entry("max.partition.fetch.bytes", 1_048_576),
        Map.entry("security.protocol", "PLAINTEXT"),
        Map.entry("session.timeout.ms", 10_000),
        Map.entry("heartbeat.interval.ms", 3_000),
        Map.entry("max.poll.interval.ms", 60_000),
        Map.entry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor"));
  }

  @Test
  void mapsTheGroupsTimingsStrategiesAndStaticMembership() {
    KafkaDriver driver = KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k:9092").metadataRetryBackoff(Duration.ofSeconds(1)).build())
        .group(Group.builder().id("g").sessionTimeout(Duration.ofSeconds(30)).heartbeatInterval(Duration.ofSeconds(5))
            .rebalanceTimeout(Duration.ofMinutes(2))
            .rebalanceStrategies(RebalanceStrategy.COOPERATIVE_STICKY, RebalanceStrategy.ROUND_ROBIN)
            .instanceId("agent-1").build())
        .build();

    Map<String, Object> props = ConsumerProperties.of(driver, "a", 1_000);

    assertThat(props).containsEntry("retry.backoff.ms", 1000L)
        .containsEntry("session.timeout.ms", 30_000)
        .containsEntry("heartbeat.interval.ms", 5_000)
        .containsEntry("max.poll.interval.ms", 120_000)
        .containsEntry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor,"
            + "org.apache.kafka.clients.consumer.RoundRobinAssignor")
        .containsEntry("group.instance.id", "agent-1");
  }

  @Test
  void defaultsTheClientIdAndGroupToTheAgentsNameAndReadsCommittedRecords() {
    KafkaDriver driver = KafkaDriver.builder().cluster(Cluster.builder().brokers("k:9092").build()).build();

    Map<String, Object> props = ConsumerProperties.of(driver, "stocks", 1_000);

    assertThat(props).containsEntry("client.id", "asyncagent-stocks")
        .containsEntry("group.id", "stocks")
        .containsEntry("isolation.level", "read_committed");
  }

  @Test
  void pollsAtMostHalfOfWhatTheDispatcherHoldsAndAtMostTheChannelBufferSize() {
    KafkaDriver driver = KafkaDriver.builder().cluster(Cluster.builder().brokers("k:9092").build()).build();

    assertThat(ConsumerProperties.of(driver, "a", 257)).containsEntry("max.poll.records", 128);
    assertThat(ConsumerProperties.of(driver, "a", 100_000)).containsEntry("max.poll.records", 256);
    assertThat(ConsumerProperties.of(driver, "a", 1)).containsEntry("max.poll.records", 1);
  }

  @Test
  void configuresSaslPlainWithAnEscapedJaasLine() {
    KafkaDriver driver = KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k:9092").sasl(Sasl.plain("john\"smith", "p\\4ss\"word")).build())
        .build();

    Map<String, Object> props = ConsumerProperties.of(driver, "a", 1_000);

    assertThat(props).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"john\\\"smith\" password=\"p\\\\4ss\\\"word\";");
  }
}
