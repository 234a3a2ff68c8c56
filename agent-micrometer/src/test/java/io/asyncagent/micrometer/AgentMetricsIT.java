package io.asyncagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The meters of an agent reading a real broker. */
@WithEmbeddedKafka
class AgentMetricsIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final int RECORDS = 2_000;

  private static double counter(SimpleMeterRegistry registry, String name, String agent) {
    Counter counter = registry.find(name).tag("agent", agent).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Map<Integer, Long> committedGauges(SimpleMeterRegistry registry, String agent) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (Gauge gauge : registry.find(AgentMetrics.COMMITTED_OFFSET).tag("agent", agent).gauges()) {
      offsets.put(Integer.parseInt(gauge.getId().getTag("partition")), (long) gauge.value());
    }
    return offsets;
  }

  @Test
  void theDeliveredCounterEqualsTheRecordsProducedAndTheCommittedGaugesReachTheEndOffsets(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("metrics");
    String group = EmbeddedKafka.uniqueGroup("metrics");
    kafka.createTopic(topic, 3);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (AsyncAgent agent = AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(8)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .build())
        .sink(event -> CompletableFuture.completedFuture(null))
        .listener(AgentMetrics.listener(registry))
        .build()) {
      agent.start();
      kafka.produce(NumberedRecords.forTopic(topic).count(RECORDS).distinctKeys(20).records());
      Map<Integer, Long> end = kafka.endOffsets(topic);

      Await.until(WAIT, () -> committedGauges(registry, group).equals(end),
          () -> "committed-offset gauges " + committedGauges(registry, group) + " to reach " + end);
      assertThat(counter(registry, AgentMetrics.EVENTS_DELIVERED, group)).isEqualTo(RECORDS);
      assertThat(counter(registry, AgentMetrics.EVENTS_RECEIVED, group)).isEqualTo(RECORDS);
      assertThat(registry.find(AgentMetrics.EVENTS_FAILED).counters()).isEmpty();
      assertThat(registry.get(AgentMetrics.DELIVERY_ATTEMPTS).tags("agent", group, "outcome", "success").timer()
          .count()).isEqualTo(RECORDS);
      assertThat(registry.get(AgentMetrics.EVENTS_LATENCY).tag("topic", topic).timer().count()).isEqualTo(RECORDS);
      assertThat(registry.get(AgentMetrics.BUFFERED_EVENTS).tag("agent", group).gauge().value()).isZero();
      assertThat(registry.get(AgentMetrics.IN_FLIGHT_EVENTS).tag("agent", group).gauge().value()).isZero();
      Await.until(WAIT, () -> registry.get(AgentMetrics.CONSUMER_LAG).tag("agent", group).gauge().value() == 0,
          "the lag gauge to read 0");
    }

    assertThat(registry.find(AgentMetrics.BUFFERED_EVENTS).gauges()).as("removed when the agent stops").isEmpty();
    assertThat(registry.find(AgentMetrics.COMMITTED_OFFSET).gauges()).isEmpty();
    assertThat(counter(registry, AgentMetrics.EVENTS_DELIVERED, group)).as("counters stay").isEqualTo(RECORDS);
  }
}
