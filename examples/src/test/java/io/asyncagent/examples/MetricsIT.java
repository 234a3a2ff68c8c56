package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.micrometer.AgentMetrics;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class MetricsIT {

  @Test
  void theAgentsMetersCountWhatItDelivered(EmbeddedKafka kafka) {
    kafka.createTopic("orders", 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RecordingHttpBackend billing = RecordingHttpBackend.start();
        AsyncAgent agent = Metrics.meteredAgent(registry, kafka.bootstrapServers(), billing.uri().toString())) {
      agent.start();
      List<ProducerRecord<byte[], byte[]>> orders = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        orders.add(new ProducerRecord<>("orders", ("o-" + i).getBytes(UTF_8), "{}".getBytes(UTF_8)));
      }
      kafka.produce(orders);

      Await.until(Duration.ofMinutes(1),
          () -> registry.find(AgentMetrics.EVENTS_DELIVERED).tag("agent", "orders").counters().stream()
              .mapToDouble(c -> c.count()).sum() == 25,
          "25 deliveries counted");
      assertThat(billing.requests()).hasSize(25);
      assertThat(registry.get(AgentMetrics.EVENTS_RECEIVED).tag("topic", "orders").counter().count()).isEqualTo(25);
    }
  }
}
