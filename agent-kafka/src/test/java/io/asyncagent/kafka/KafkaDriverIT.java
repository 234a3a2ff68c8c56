package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The Kafka driver against a real broker, with sinks written in the test. */
@WithEmbeddedKafka
class KafkaDriverIT {
  private static final Duration WAIT = Duration.ofMinutes(1);

  private static AsyncAgent.Builder agent(EmbeddedKafka kafka, String topic, String group, BackendSink sink) {
    return TestAgents.agent(kafka, group, group, sink, topic);
  }

  private static List<String> bodies(Queue<Event> events) {
    return events.stream().map(Event::bodyAsString).collect(Collectors.toList());
  }

  @Test
  void anAsynchronousSinkReceivesEveryEventWithItsCoordinatesKeyAndHeaders(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("custom");
    String group = EmbeddedKafka.uniqueGroup("custom");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(1_000).distinctKeys(10).header("seq");
    Queue<Event> received = new ConcurrentLinkedQueue<>();
    BackendSink sink = event -> CompletableFuture.runAsync(() -> received.add(event));

    try (AsyncAgent agent = agent(kafka, topic, group, sink).build()) {
      agent.start();
      kafka.produce(batch.records());
      Await.until(WAIT, () -> received.size() >= 1_000, () -> "1000 events, got " + received.size());
    }

    assertThat(bodies(received)).hasSize(1_000).containsExactlyInAnyOrderElementsOf(batch.values());
    for (Event event : received) {
      int number = NumberedRecords.numberOf(event.bodyAsString());
      assertThat(event.topic()).isEqualTo(topic);
      assertThat(event.keyAsString()).contains("key-" + number % 10);
      assertThat(event.header("Message-Id")).contains("key-" + number % 10);
      assertThat(event.header("seq")).contains("" + number);
    }
    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    assertThat(received.stream().collect(Collectors.groupingBy(Event::partition, Collectors.counting())))
        .as("events per partition").isEqualTo(endOffsets);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(endOffsets);
  }

  @Test
  void aBlockingSinkReceivesEveryEvent(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("blocking");
    String group = EmbeddedKafka.uniqueGroup("blocking");
    kafka.createTopic(topic, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(500).distinctKeys(5);
    Queue<Event> received = new ConcurrentLinkedQueue<>();
    Queue<String> threads = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, BackendSink.blocking(event -> {
      threads.add(Thread.currentThread().getName());
      received.add(event);
    })).build()) {
      agent.start();
      kafka.produce(batch.records());
      Await.until(WAIT, () -> received.size() >= 500, () -> "500 events, got " + received.size());
    }

    assertThat(bodies(received)).hasSize(500).containsExactlyInAnyOrderElementsOf(batch.values());
    assertThat(threads).allMatch(name -> name.startsWith("asyncagent-" + group + "-blocking"));
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void aNewGroupStartsAtTheEndAndSkipsWhatWasPublishedBefore(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("latest");
    String group = EmbeddedKafka.uniqueGroup("latest");
    kafka.createTopic(topic, 2);
    kafka.produce(NumberedRecords.forTopic(topic).count(5).records());
    NumberedRecords after = NumberedRecords.forTopic(topic).startAt(5).count(5);
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, TestAgents.collectingInto(received)).build()) {
      agent.start();
      kafka.produce(after.records());
      Await.until(WAIT, () -> received.size() >= 5, () -> "5 events, got " + received.size());
    }

    assertThat(bodies(received)).containsExactlyInAnyOrderElementsOf(after.values());
  }

  @Test
  void aRestartedGroupResumesAfterWhatItCommitted(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("resume");
    String group = EmbeddedKafka.uniqueGroup("resume");
    kafka.createTopic(topic, 3);
    NumberedRecords first = NumberedRecords.forTopic(topic).count(300).distinctKeys(30);
    NumberedRecords whileDown = NumberedRecords.forTopic(topic).startAt(300).count(300).distinctKeys(30);
    Queue<Event> received = new ConcurrentLinkedQueue<>();
    BackendSink sink = TestAgents.collectingInto(received);

    try (AsyncAgent agent = agent(kafka, topic, group, sink).build()) {
      agent.start();
      kafka.produce(first.records());
      Await.until(WAIT, () -> received.size() >= 300, () -> "300 events, got " + received.size());
    }
    kafka.produce(whileDown.records());
    AsyncAgent restarted = agent(kafka, topic, group, sink).build();
    try (restarted) {
      restarted.start();
      Await.until(WAIT, () -> received.size() >= 600, () -> "600 events, got " + received.size());
    }

    assertThat(restarted.state()).isEqualTo(AgentState.STOPPED);
    assertThat(bodies(received)).hasSize(600).doesNotHaveDuplicates()
        .containsAll(first.values()).containsAll(whileDown.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void passesAnEmptyBodyForANullValueAndKeepsGoing(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("nulls");
    String group = EmbeddedKafka.uniqueGroup("nulls");
    kafka.createTopic(topic, 1);
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, TestAgents.collectingInto(received)).build()) {
      agent.start();
      kafka.produce(List.of(
          new ProducerRecord<>(topic, "k".getBytes(UTF_8), null),
          new ProducerRecord<>(topic, null, "after".getBytes(UTF_8))));
      Await.until(WAIT, () -> received.size() >= 2, () -> "2 events, got " + received.size());
    }

    assertThat(bodies(received)).containsExactly("", "after");
  }
}
