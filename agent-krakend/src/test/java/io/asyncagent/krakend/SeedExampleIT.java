package io.asyncagent.krakend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentGroup;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The KrakenD page's driver block, exactly as printed — {@code group_id}, {@code read_commited},
 * {@code key_meta: "Message-Id"} — with only its broker address replaced by the embedded broker's, read from a
 * krakend.json and run end to end: Kafka → agent → HTTP backend.
 */
@WithEmbeddedKafka
class SeedExampleIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int EVENTS = 500;

  @Test
  void theSeedPagesDriverBlockDeliversEveryEventWithItsKeyInMessageId(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("stocks");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(EVENTS).distinctKeys(50);

    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      String json = Files.readString(Fixtures.file("it/seed-example.json"), UTF_8)
          .replace("localhost:9092", kafka.bootstrapServers())
          .replace("${TOPIC}", topic)
          .replace("${BACKEND}", backend.uri().toString());
      KrakendConfig config = KrakendConfig.read(new StringReader(json), "seed-example.json");

      try (AgentGroup agents = config.newGroup()) {
        agents.start();
        AsyncAgent stocks = agents.agent("stocks").orElseThrow();
        assertThat(stocks.state()).isEqualTo(AgentState.RUNNING);
        // KrakenD's "latest": a new group reads only what is produced once it is running.
        kafka.produce(batch.records());
        backend.awaitRequests(EVENTS, WAIT);
      }

      assertThat(backend.requests()).hasSize(EVENTS);
      Set<String> bodies = backend.requests().stream().map(RecordedRequest::bodyAsString).collect(Collectors.toSet());
      assertThat(bodies).isEqualTo(batch.values());
      for (RecordedRequest request : backend.requests()) {
        int number = NumberedRecords.numberOf(request.bodyAsString());
        assertThat(request.method()).as("KrakenD's default method for an agent's backend").isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/events");
        assertThat(request.header("Message-Id")).as("key of record %d", number).contains("key-" + number % 50);
      }
    }
    assertThat(kafka.committedOffsets("my_group_id", topic)).isEqualTo(kafka.endOffsets(topic));
  }
}
