package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.Event;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** {@link StartPosition}: where a group that never committed starts, and that a group that did ignores it. */
@WithEmbeddedKafka
class StartPositionIT {
  private static final Duration WAIT = Duration.ofMinutes(1);

  private static AsyncAgent.Builder agent(EmbeddedKafka kafka, String topic, String group, StartPosition startFrom,
      Queue<Event> received) {
    return TestAgents.agent(kafka, group, group, TestAgents.collectingInto(received), topic)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .startFrom(startFrom)
            .build());
  }

  private static List<String> bodies(Queue<Event> events) {
    return events.stream().map(Event::bodyAsString).collect(Collectors.toList());
  }

  private static void awaitBodies(Queue<Event> received, Set<String> expected) {
    Await.until(WAIT, () -> new HashSet<>(bodies(received)).containsAll(expected),
        () -> expected.size() + " records, got " + received.size());
  }

  /** Waits until the wall clock has passed {@code instant} by at least {@code margin}. */
  private static void awaitClockPast(Instant instant, Duration margin) {
    Instant target = instant.plus(margin);
    Await.until(WAIT, () -> Instant.now().isAfter(target), () -> "the clock to pass " + target);
  }

  @Test
  void earliestStartsANewGroupAtTheBeginningAndThenFollowsNewRecords(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("earliest");
    String group = EmbeddedKafka.uniqueGroup("earliest");
    kafka.createTopic(topic, 3);
    NumberedRecords before = NumberedRecords.forTopic(topic).count(50).distinctKeys(10);
    NumberedRecords after = NumberedRecords.forTopic(topic).startAt(50).count(10).distinctKeys(10);
    kafka.produce(before.records());
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.earliest(), received).build()) {
      agent.start();
      awaitBodies(received, before.values());
      assertThat(bodies(received)).hasSize(50).containsExactlyInAnyOrderElementsOf(before.values());

      kafka.produce(after.records());
      awaitBodies(received, after.values());
    }

    Set<String> all = new HashSet<>(before.values());
    all.addAll(after.values());
    assertThat(bodies(received)).hasSize(60).containsExactlyInAnyOrderElementsOf(all);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void aTimestampStartsANewGroupAtTheFirstRecordStampedAtOrAfterIt(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("timestamp");
    String group = EmbeddedKafka.uniqueGroup("timestamp");
    kafka.createTopic(topic, 3);
    NumberedRecords batchA = NumberedRecords.forTopic(topic).count(30).distinctKeys(30);
    NumberedRecords batchB = NumberedRecords.forTopic(topic).startAt(30).count(20).distinctKeys(30);
    kafka.produce(batchA.records());
    Instant acknowledged = Instant.now();
    // Record timestamps are whole milliseconds: start at the next one, so no record of A (stamped at or before
    // `acknowledged`) can share it. The exact sub-millisecond case is covered on its own below.
    Instant t = acknowledged.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
    awaitClockPast(t, Duration.ofMillis(5));
    kafka.produce(batchB.records());
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.timestamp(t), received).build()) {
      agent.start();
      awaitBodies(received, batchB.values());
    }

    // In every partition the records of A come before those of B, so had any of A been delivered, it would be
    // here by the time all of B is.
    assertThat(bodies(received)).hasSize(20).containsExactlyInAnyOrderElementsOf(batchB.values())
        .doesNotContainAnyElementsOf(batchA.values());
    assertThat(received).allSatisfy(event -> assertThat(event.timestamp()).isAfterOrEqualTo(t));
  }

  @Test
  void aTimestampBetweenTwoMillisecondsSkipsTheRecordStampedInTheMillisecondItFallsIn(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("sub-milli");
    String group = EmbeddedKafka.uniqueGroup("sub-milli");
    kafka.createTopic(topic, 1);
    long stamp = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli();
    String before = NumberedRecords.valueOf(topic, 0);
    String after = NumberedRecords.valueOf(topic, 1);
    String latest = NumberedRecords.valueOf(topic, 2);
    kafka.produce(List.of(
        new ProducerRecord<>(topic, 0, stamp, null, before.getBytes(UTF_8)),
        new ProducerRecord<>(topic, 0, stamp + 1, null, after.getBytes(UTF_8)),
        new ProducerRecord<>(topic, 0, stamp + 2, null, latest.getBytes(UTF_8))));
    // Half a millisecond after the first record: it is before the start, the other two are after it.
    Instant start = Instant.ofEpochMilli(stamp).plusNanos(500_000);
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.timestamp(start), received).build()) {
      agent.start();
      awaitBodies(received, Set.of(after, latest));
    }

    assertThat(bodies(received)).containsExactlyInAnyOrder(after, latest);
  }

  @Test
  void aTimestampBeforeTheEpochStartsANewGroupAtTheBeginning(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("pre-epoch");
    String group = EmbeddedKafka.uniqueGroup("pre-epoch");
    kafka.createTopic(topic, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(20).distinctKeys(10);
    kafka.produce(batch.records());
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.timestamp(Instant.EPOCH.minusSeconds(1)),
        received).startTimeout(Duration.ofSeconds(10)).build()) {
      agent.start();
      awaitBodies(received, batch.values());
    }

    assertThat(bodies(received)).hasSize(20).containsExactlyInAnyOrderElementsOf(batch.values());
  }

  @Test
  void aGroupThatHasCommittedResumesFromItsCommitsWhateverItsStartPosition(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("committed");
    String group = EmbeddedKafka.uniqueGroup("committed");
    kafka.createTopic(topic, 3);
    NumberedRecords first = NumberedRecords.forTopic(topic).count(10).distinctKeys(10);
    NumberedRecords whileDown = NumberedRecords.forTopic(topic).startAt(10).count(5).distinctKeys(10);
    kafka.produce(first.records());
    Queue<Event> firstRun = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.earliest(), firstRun).build()) {
      agent.start();
      awaitBodies(firstRun, first.values());
    }
    assertThat(bodies(firstRun)).hasSize(10).containsExactlyInAnyOrderElementsOf(first.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(nonEmpty(kafka.endOffsets(topic)));

    kafka.produce(whileDown.records());
    Queue<Event> secondRun = new ConcurrentLinkedQueue<>();
    try (AsyncAgent agent = agent(kafka, topic, group, StartPosition.earliest(), secondRun).build()) {
      agent.start();
      awaitBodies(secondRun, whileDown.values());
    }

    // Each partition's old records come before its new ones: a re-read from the beginning would show here.
    assertThat(bodies(secondRun)).hasSize(5).containsExactlyInAnyOrderElementsOf(whileDown.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(nonEmpty(kafka.endOffsets(topic)));
  }

  /** The partitions that hold records; a group commits nothing for an empty one. */
  private static Map<Integer, Long> nonEmpty(Map<Integer, Long> endOffsets) {
    return endOffsets.entrySet().stream().filter(entry -> entry.getValue() > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
