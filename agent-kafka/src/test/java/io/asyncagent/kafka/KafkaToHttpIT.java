package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The whole path, against a real broker and a real HTTP server: Kafka topic → agent → HTTP backend. */
@WithEmbeddedKafka
class KafkaToHttpIT {
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static AsyncAgent.Builder agent(EmbeddedKafka kafka, String group, RecordingHttpBackend backend,
      String... topics) {
    return TestAgents.agent(kafka, group, group,
            HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build(), topics)
        .workers(16);
  }

  @Test
  void deliversEveryRecordExactlyOnceWithItsKeyAndHeaders(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("orders");
    String group = EmbeddedKafka.uniqueGroup("orders");
    kafka.createTopic(topic, 6);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(20_000).distinctKeys(1_000).header("X-Record-Number");

    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      try (AsyncAgent agent = agent(kafka, group, backend, topic).build()) {
        agent.start();
        kafka.produce(batch.records());
        backend.awaitRequests(20_000, WAIT);
      }

      List<RecordedRequest> requests = backend.requests();
      assertThat(requests).hasSize(20_000);
      Set<String> bodies = requests.stream().map(RecordedRequest::bodyAsString).collect(Collectors.toSet());
      assertThat(bodies).isEqualTo(batch.values());
      for (RecordedRequest request : requests) {
        int number = NumberedRecords.numberOf(request.bodyAsString());
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/events");
        assertThat(request.header("Message-Id")).as("key of record %d", number).contains("key-" + number % 1_000);
        assertThat(request.header("X-Record-Number")).as("header of record %d", number).contains("" + number);
      }
    }
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void deliversFromEveryTopicOfAnAgent(EmbeddedKafka kafka) {
    String first = EmbeddedKafka.uniqueTopic("first");
    String second = EmbeddedKafka.uniqueTopic("second");
    String group = EmbeddedKafka.uniqueGroup("two-topics");
    kafka.createTopic(first, 2);
    kafka.createTopic(second, 3);
    NumberedRecords firstBatch = NumberedRecords.forTopic(first).count(300).distinctKeys(7);
    NumberedRecords secondBatch = NumberedRecords.forTopic(second).count(200).distinctKeys(11);

    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      try (AsyncAgent agent = agent(kafka, group, backend, first, second).build()) {
        agent.start();
        kafka.produce(firstBatch.records());
        kafka.produce(secondBatch.records());
        backend.awaitRequests(500, WAIT);
      }

      Set<String> expected = new HashSet<>(firstBatch.values());
      expected.addAll(secondBatch.values());
      assertThat(backend.requests()).hasSize(500)
          .extracting(RecordedRequest::bodyAsString).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(kafka.committedOffsets(group, first)).isEqualTo(kafka.endOffsets(first));
    assertThat(kafka.committedOffsets(group, second)).isEqualTo(kafka.endOffsets(second));
  }

  @Test
  void sendsNoKeyHeaderForARecordWithoutAKey(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("keyless");
    String group = EmbeddedKafka.uniqueGroup("keyless");
    kafka.createTopic(topic, 1);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(10);

    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      try (AsyncAgent agent = agent(kafka, group, backend, topic).build()) {
        agent.start();
        kafka.produce(batch.records());
        backend.awaitRequests(10, WAIT);
      }

      assertThat(backend.requests()).hasSize(10).allSatisfy(request ->
          assertThat(request.header("Message-Id")).isEmpty());
    }
  }
}
