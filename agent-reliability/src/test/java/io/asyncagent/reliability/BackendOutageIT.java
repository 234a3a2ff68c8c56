package io.asyncagent.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.FailurePolicy;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.KafkaDeadLetters;
import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend answers 503 to everything for a while (10 s in the default build, 30 s in the full suite:
 * {@code reliability.backendOutageSeconds}) in the middle of a stream, to an agent in retry mode with a dead-letter
 * topic: every record is delivered once the backend recovers, and the only dead letters are the records the backend
 * refuses for good.
 */
@ExtendWith(ReliabilityReport.class)
class BackendOutageIT {
  private static final int PARTITIONS = 6;
  private static final int PER_SECOND = 500;
  /** Every record whose number ends in 999 is refused with 422, a permanent failure: it must be dead-lettered. */
  private static final int POISON_EVERY = 1_000;
  private static final Duration WAIT = Duration.ofMinutes(3);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startABroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aBackendAnswering503ForTheWholeOutageGetsEveryRecordAfterwardsAndOnlyRefusedOnesAreDeadLettered() {
    long began = System.nanoTime();
    Duration outage = Duration.ofSeconds(Long.getLong("reliability.backendOutageSeconds", 10));
    String topic = EmbeddedKafka.uniqueTopic("backend-outage");
    String deadLetterTopic = EmbeddedKafka.uniqueTopic("backend-outage-dlq");
    String group = EmbeddedKafka.uniqueGroup("backend-outage");
    kafka.createTopic(topic, PARTITIONS);
    kafka.createTopic(deadLetterTopic, 1);
    Ledger ledger = new Ledger();
    AtomicBoolean down = new AtomicBoolean();
    // Backoff doubling from 100 ms to 2 s, 60 attempts: about two minutes of retries, beyond any outage here.
    FailurePolicy retry = FailurePolicy.retry()
        .maxAttempts(60)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .deadLetterTo(KafkaDeadLetters.topic(deadLetterTopic)
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build()).build())
        .build();
    Set<Integer> produced;
    Optional<Duration> recovery;
    int failedAttempts;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder()
            .responder(ledger.responder(request -> down.get() ? 503
                : Ledger.numberOf(request) % POISON_EVERY == POISON_EVERY - 1 ? 422 : 200))
            .start();
         AsyncAgent agent = Agents.inJvm(kafka.bootstrapServers(), topic, group, Agents.http(backend))
             .onFailure(retry).build();
         SteadyStream stream = SteadyStream.start(kafka, topic, PER_SECOND)) {
      agent.start();
      Await.until(WAIT, () -> ledger.distinctDelivered() >= 2_000,
          () -> "2000 deliveries before the outage, got " + ledger.distinctDelivered());

      down.set(true);
      long downAt = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - downAt >= outage.toNanos(), "the outage to last " + outage);
      down.set(false);
      long upAt = System.nanoTime();
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);

      Await.until(WAIT, () -> System.nanoTime() - upAt >= Duration.ofSeconds(3).toNanos(), "3 s more stream");
      produced = stream.stop();
      Map<Integer, Long> end = kafka.endOffsets(topic);
      Await.until(WAIT, () -> kafka.committedOffsets(group, topic).equals(end),
          () -> "the agent to commit " + end + ", got " + kafka.committedOffsets(group, topic));
      recovery = Recovery.since(upAt, ledger, stream, PARTITIONS);
      failedAttempts = (int) ledger.attempts().stream().filter(attempt -> attempt.status() == 503).count();
    }

    Set<Integer> deadLettered = kafka.readAll(deadLetterTopic).stream()
        .map(record -> NumberedRecords.numberOf(new String(record.value(), UTF_8))).collect(Collectors.toSet());
    Set<Integer> refused = produced.stream().filter(n -> n % POISON_EVERY == POISON_EVERY - 1)
        .collect(Collectors.toSet());
    Tally tally = Tally.count(produced, ledger.deliveries(), deadLettered);
    ReliabilityReport.add(new Row(Scenario.BACKEND_OUTAGE,
        "Backend outage: 503 for " + outage.toSeconds() + " s, retry mode",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "one broker; an agent in the test JVM in retry mode (60 attempts, backoff 100 ms doubling to 2 s, dead"
            + " letters to a Kafka topic) reads " + PARTITIONS + " partitions while " + PER_SECOND + " records/s are"
            + " produced; after 2,000 deliveries the backend answers 503 to every request for " + outage.toSeconds()
            + " s (" + failedAttempts + " attempts answered 503), then recovers. Every record numbered"
            + " ...999 is refused with 422 (a permanent failure) and must be dead-lettered: " + refused.size()
            + " were. Recovery is measured from the backend's recovery."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(deadLettered).as("dead-lettered records: exactly those refused with 422").isEqualTo(refused);
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size() - refused.size());
    assertThat(failedAttempts).as("attempts answered 503").isPositive();
  }
}
