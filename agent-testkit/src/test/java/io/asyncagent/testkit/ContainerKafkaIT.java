package io.asyncagent.testkit;

import static io.asyncagent.testkit.EmbeddedKafkaExtension.BACKING_PROPERTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs {@link KafkaClusterIT} with the backing {@code testcontainers}. Without a Docker engine, as on the machines
 * this project is built on, it is skipped; {@link EmbeddedKafkaExtensionTest} checks what happens then.
 */
class ContainerKafkaIT {
  @Test
  void runsKafkaClusterTestsOnAKafkaContainer() {
    assumeTrue(Docker.isAvailable(), "Docker is not available");

    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(KafkaClusterIT.class))
            .configurationParameter(BACKING_PROPERTY, "testcontainers")
            .execute();

    results.testEvents().assertStatistics(stats -> stats.skipped(1).started(1).succeeded(1));
    results.testEvents().assertThatEvents()
        .haveExactly(
            1,
            event(
                test("aKafkaClusterParameterIsTheSharedEmbeddedKafkaByDefault"),
                skippedWithReason(
                    "KafkaClusterIT.aKafkaClusterParameterIsTheSharedEmbeddedKafkaByDefault(KafkaCluster,"
                        + " EmbeddedKafka) takes an EmbeddedKafka, the in-JVM broker, but"
                        + " asyncagent.testkit.kafka=testcontainers; a KafkaCluster parameter runs on either")));
  }

  @Test
  void startsTheDefaultImageAndStopsItOnClose() {
    assumeTrue(Docker.isAvailable(), "Docker is not available");

    ContainerKafka kafka = ContainerKafka.start(EmbeddedKafkaExtension.DEFAULT_IMAGE);
    try {
      assertThat(kafka.toString()).startsWith("ContainerKafka[apache/kafka:4.1.1, ");
      String topic = KafkaCluster.uniqueTopic("container");
      kafka.createTopic(topic, 1);
      assertThat(kafka.produce(NumberedRecords.forTopic(topic).count(10).records())).isEqualTo(10);
      assertThat(kafka.endOffsets(topic)).containsExactly(Map.entry(0, 10L));
    } finally {
      kafka.close();
    }
    assertThat(kafka.toString()).endsWith(", closed]");
  }
}
