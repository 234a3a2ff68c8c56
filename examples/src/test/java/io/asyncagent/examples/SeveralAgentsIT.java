package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentGroup;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class SeveralAgentsIT {

  @Test
  void bothAgentsDeliverAndTheGroupReportsItselfHealthyUntilClosed(EmbeddedKafka kafka) {
    kafka.createTopic("stocks", 2);
    kafka.createTopic("orders", 2);

    try (RecordingHttpBackend pricing = RecordingHttpBackend.start();
        RecordingHttpBackend billing = RecordingHttpBackend.start()) {
      AgentGroup agents = SeveralAgents.agents(kafka.bootstrapServers(), pricing.uri().toString(),
          billing.uri().toString());
      try (agents) {
        agents.start();
        kafka.produce(List.of(
            new ProducerRecord<>("stocks", "ACME".getBytes(UTF_8), "{\"price\":1}".getBytes(UTF_8)),
            new ProducerRecord<>("orders", "o-1".getBytes(UTF_8), "{\"order\":1}".getBytes(UTF_8))));
        pricing.awaitRequests(1, Duration.ofMinutes(1));
        billing.awaitRequests(1, Duration.ofMinutes(1));

        SeveralAgents.HealthResponse health = SeveralAgents.health(agents);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"ok\",\"agents\":{\"stocks\":\"")
            .contains(",\"orders\":\"");
      }

      assertThat(pricing.requests().get(0).path()).isEqualTo("/ticks");
      assertThat(billing.requests().get(0).bodyAsString()).isEqualTo("{\"order\":1}");
      assertThat(SeveralAgents.health(agents).status()).isEqualTo(503);
    }
  }
}
