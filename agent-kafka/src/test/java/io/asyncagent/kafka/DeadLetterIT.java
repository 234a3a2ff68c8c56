package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.FailurePolicy;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Dead letters to a Kafka topic ({@link KafkaDeadLetters}) against a real broker and a real HTTP backend. */
@WithEmbeddedKafka
class DeadLetterIT {
  private static final Duration WAIT = Duration.ofMinutes(1);

  private static AsyncAgent.Builder agent(EmbeddedKafka kafka, String group, RecordingHttpBackend backend,
      String topic, String deadLetterTopic) {
    KafkaDeadLetters deadLetters = KafkaDeadLetters.topic(deadLetterTopic)
        .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
        .build();
    return TestAgents.agent(kafka, group, group,
            HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build(), topic)
        .onFailure(FailurePolicy.retry()
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
            .deadLetterTo(deadLetters)
            .build());
  }

  @Test
  void aBackendAnswering400ForSomeRecordsSendsExactlyThoseToTheDeadLetterTopicWithTheirCoordinates(
      EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("dlq-source");
    String dlq = EmbeddedKafka.uniqueTopic("dlq");
    String group = EmbeddedKafka.uniqueGroup("dlq");
    kafka.createTopic(topic, 3);
    kafka.createTopic(dlq, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(300).distinctKeys(10).header("seq");
    Set<String> rejected = batch.values().stream().filter(value -> NumberedRecords.numberOf(value) % 7 == 0)
        .collect(Collectors.toSet());
    assertThat(rejected).hasSize(43);

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder()
        .responder(request -> NumberedRecords.numberOf(request.bodyAsString()) % 7 == 0 ? 400 : 200)
        .start()) {
      try (AsyncAgent agent = agent(kafka, group, backend, topic, dlq).build()) {
        agent.start();
        kafka.produce(batch.records());
        backend.awaitRequests(300, WAIT);
        Await.until(WAIT, () -> total(kafka.endOffsets(dlq)) >= 43, () -> "43 dead letters, got "
            + total(kafka.endOffsets(dlq)));
      }

      Map<String, Long> requestsPerBody = backend.requests().stream()
          .collect(Collectors.groupingBy(RecordedRequest::bodyAsString, Collectors.counting()));
      assertThat(requestsPerBody.keySet()).isEqualTo(batch.values());
      assertThat(requestsPerBody).as("requests per record, a 400 included: none is retried")
          .allSatisfy((body, count) -> assertThat(count).as("requests of %s", body).isEqualTo(1L));
    }

    Map<String, ConsumerRecord<byte[], byte[]>> originals = kafka.readAll(topic).stream()
        .collect(Collectors.toMap(record -> new String(record.value(), UTF_8), Function.identity()));
    List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(dlq);
    assertThat(letters).extracting(letter -> new String(letter.value(), UTF_8))
        .hasSize(43).containsExactlyInAnyOrderElementsOf(rejected);
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String value = new String(letter.value(), UTF_8);
      ConsumerRecord<byte[], byte[]> original = originals.get(value);
      int number = NumberedRecords.numberOf(value);
      assertThat(new String(letter.key(), UTF_8)).as("key of the letter of %s", value).isEqualTo("key-" + number % 10);
      assertThat(letter.key()).isEqualTo(original.key());
      assertThat(header(letter, "seq")).as("original header of %s", value).isEqualTo("" + number);
      assertThat(header(letter, DeadLetterHeaders.TOPIC)).as("topic of %s", value).isEqualTo(topic);
      assertThat(header(letter, DeadLetterHeaders.PARTITION)).as("partition of %s", value)
          .isEqualTo("" + original.partition());
      assertThat(header(letter, DeadLetterHeaders.OFFSET)).as("offset of %s", value)
          .isEqualTo("" + original.offset());
      assertThat(header(letter, DeadLetterHeaders.TIMESTAMP)).as("timestamp of %s", value)
          .isEqualTo("" + original.timestamp());
      assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).as("attempts of %s", value).isEqualTo("1");
      assertThat(header(letter, DeadLetterHeaders.STATUS)).as("status of %s", value).isEqualTo("400");
      assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).as("exception of %s", value)
          .isEqualTo("io.asyncagent.DeliveryException");
    }
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void whileTheDeadLetterTopicIsMissingNothingIsCommittedPastTheFailingRecordWhichIsDeadLetteredOnceItExists(
      EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("dlq-missing-source");
    String dlq = EmbeddedKafka.uniqueTopic("dlq-missing");
    String group = EmbeddedKafka.uniqueGroup("dlq-missing");
    kafka.createTopic(topic, 1);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(20);
    String poison = NumberedRecords.valueOf(topic, 5);

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder()
        .responder(request -> request.bodyAsString().equals(poison) ? 400 : 200)
        .start()) {
      AsyncAgent agent = agent(kafka, group, backend, topic, dlq)
          .driver(KafkaDriver.builder()
              .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
              .group(Group.of(group))
              .commitInterval(Duration.ofMillis(100))
              .build())
          .build();
      try (agent) {
        agent.start();
        kafka.produce(batch.records());
        backend.awaitRequests(20, WAIT);
        long poisonOffset = offsetOf(kafka, topic, poison);
        assertThat(poisonOffset).isEqualTo(5);
        // Records 0 to 4 are done: the contiguous prefix reaches up to the failing record and stops there.
        Await.until(WAIT, () -> kafka.committedOffsets(group, topic).equals(Map.of(0, poisonOffset)),
            () -> "a commit of offset " + poisonOffset + ", got " + kafka.committedOffsets(group, topic));

        List<Map<Integer, Long>> samples = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() - until < 0) {
          samples.add(kafka.committedOffsets(group, topic));
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the sampling period, not a wait for anything
        }
        assertThat(samples).as("committed offsets while the dead-letter topic is missing")
            .hasSizeGreaterThanOrEqualTo(10).containsOnly(Map.of(0, poisonOffset));
        assertThat(agent.state()).isEqualTo(AgentState.RUNNING);

        kafka.createTopic(dlq, 1);
        Await.until(WAIT, () -> total(kafka.endOffsets(dlq)) >= 1, "the dead letter of record #5");
      }

      assertThat(backend.requests()).extracting(RecordedRequest::bodyAsString)
          .hasSize(20).containsExactlyInAnyOrderElementsOf(batch.values());
    }

    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 20L));
    List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(dlq);
    if (letters.size() != 1) {
      System.out.println("DeadLetterIT: the dead-letter topic holds " + letters.size() + " copies of record #5");
    }
    assertThat(letters).isNotEmpty().allSatisfy(letter -> {
      assertThat(new String(letter.value(), UTF_8)).isEqualTo(poison);
      assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("5");
      assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
      assertThat(header(letter, DeadLetterHeaders.STATUS)).isEqualTo("400");
    });
  }

  private static long total(Map<Integer, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), UTF_8);
  }

  private static long offsetOf(EmbeddedKafka kafka, String topic, String value) {
    return kafka.readAll(topic).stream().filter(record -> new String(record.value(), UTF_8).equals(value))
        .mapToLong(ConsumerRecord::offset).findFirst().orElseThrow();
  }
}
