package io.asyncagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaLifecycleIT {
  @Test
  void builderAppliesExtraBrokerProperties() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokerProperty("message.max.bytes", "2097152").start()) {
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
      Config config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker);

      assertThat(config.get("message.max.bytes").value()).isEqualTo("2097152");
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
    }
  }

  @Test
  void startsSeveralBrokersWhenAsked() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokers(3).start()) {
      assertThat(kafka.admin().describeCluster().nodes().get()).hasSize(3);

      String topic = EmbeddedKafka.uniqueTopic("spread");
      kafka.createTopic(topic, 6);
      assertThat(kafka.produce(NumberedRecords.forTopic(topic).count(60).records())).isEqualTo(60);
      assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(60);
    }
  }

  @Test
  void closeIsIdempotentAndRefusesLaterProduce() {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    String topic = EmbeddedKafka.uniqueTopic("closed");
    kafka.createTopic(topic, 1);
    kafka.produce(NumberedRecords.forTopic(topic).count(1).records());

    kafka.close();
    kafka.close();

    assertThat(kafka.toString()).isEqualTo("EmbeddedKafka[" + kafka.bootstrapServers() + ", closed]");
    assertThatThrownBy(() -> kafka.produce(NumberedRecords.forTopic(topic).count(1).records()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this embedded Kafka cluster is closed");
  }

  @Test
  void builderRejectsInvalidValuesAtOnce() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().brokers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("brokers must be >= 1, but was 0");
    assertThatThrownBy(() -> EmbeddedKafka.builder().brokerProperty(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("broker property key must not be blank");
    assertThat(ClusterLauncher.DEFAULT_BROKER_PROPERTIES)
        .containsAllEntriesOf(
            Map.of(
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false"));
  }
}
