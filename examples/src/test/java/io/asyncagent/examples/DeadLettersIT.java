package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class DeadLettersIT {

  @Test
  void ordersBillingRejectsEndInTheDeadLetterTopicAndTheRestAreBilledInOrder(EmbeddedKafka kafka) {
    kafka.createTopic("orders", 2);
    kafka.createTopic("orders.dlq", 1);
    kafka.produce(IntStream.range(0, 40)
        .mapToObj(i -> new ProducerRecord<>("orders", ("customer-" + i % 4).getBytes(UTF_8),
            ("{\"order\":" + i + (i == 13 ? ",\"amount\":-1" : "") + "}").getBytes(UTF_8)))
        .toList());

    try (RecordingHttpBackend billing = RecordingHttpBackend.builder()
        .responder(request -> request.bodyAsString().contains("-1") ? 422 : 200).start()) {
      try (AsyncAgent agent = DeadLetters.ordersAgent(kafka.bootstrapServers(), billing.uri().toString())) {
        agent.start();
        billing.awaitRequests(40, Duration.ofMinutes(1));
        Await.until(Duration.ofMinutes(1), () -> kafka.committedOffsets("billing-agent", "orders")
            .equals(kafka.endOffsets("orders")), () -> "every order committed");
      }

      List<RecordedRequest> requests = billing.requests();
      assertThat(requests).hasSize(40).allSatisfy(request -> {
        assertThat(request.header("X-Kafka-Topic")).contains("orders");
        assertThat(request.header("X-Kafka-Offset")).isPresent();
      });
      List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll("orders.dlq");
      assertThat(letters).hasSize(1);
      assertThat(new String(letters.get(0).value(), UTF_8)).isEqualTo("{\"order\":13,\"amount\":-1}");
      assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.STATUS).value(), UTF_8))
          .isEqualTo("422");
    }
  }
}
