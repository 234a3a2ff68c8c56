package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class QuickStartIT {

  @Test
  void theReadmeAgentPostsEveryStockEventToTheBillingService(EmbeddedKafka kafka) {
    kafka.createTopic("stocks", 3);
    List<ProducerRecord<byte[], byte[]>> updates = IntStream.range(0, 50)
        .mapToObj(i -> new ProducerRecord<>("stocks", ("SYM" + i % 5).getBytes(UTF_8),
            ("{\"price\":" + i + "}").getBytes(UTF_8)))
        .toList();

    try (RecordingHttpBackend billing = RecordingHttpBackend.start()) {
      AsyncAgent agent = QuickStart.stocksAgent(kafka.bootstrapServers(), billing.uri().toString());
      try (agent) {
        agent.start();
        kafka.produce(updates);
        billing.awaitRequests(50, Duration.ofMinutes(1));
      }

      assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
      assertThat(billing.requests()).hasSize(50).allSatisfy(request -> {
        int price = Integer.parseInt(request.bodyAsString().replaceAll("\\D", ""));
        assertThat(request.path()).isEqualTo("/events");
        assertThat(request.header("Message-Id")).contains("SYM" + price % 5);
      });
      assertThat(billing.requests()).extracting(RecordedRequest::bodyAsString)
          .containsExactlyInAnyOrderElementsOf(updates.stream().map(r -> new String(r.value(), UTF_8)).toList());
    }
    assertThat(kafka.committedOffsets("my_group_id", "stocks")).isEqualTo(kafka.endOffsets("stocks"));
  }
}
