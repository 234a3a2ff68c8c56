package io.asyncagent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.ReplicatedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker leading the topic's partitions is stopped in the middle of a stream, on a cluster of three brokers with
 * replication factor 3: leadership moves to the other in-sync replicas, and the agent follows it without losing a
 * record.
 */
@ExtendWith(ReliabilityReport.class)
class LeaderFailoverIT {
  private static final int PARTITIONS = 6;
  private static final int PER_SECOND = 1_000;
  private static final Duration DOWN = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static ReplicatedKafka cluster;

  @BeforeAll
  static void startThreeBrokers() {
    cluster = ReplicatedKafka.start();
  }

  @AfterAll
  static void stopTheBrokers() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theBrokerLeadingPartitionZeroStoppedMidStreamForFiveSecondsLosesNoRecord() {
    long began = System.nanoTime();
    String topic = EmbeddedKafka.uniqueTopic("failover");
    String group = EmbeddedKafka.uniqueGroup("failover");
    cluster.createTopic(topic, PARTITIONS);
    int leader = cluster.leaderOf(topic, 0).orElseThrow();
    List<Integer> led = IntStream.range(0, PARTITIONS)
        .filter(p -> cluster.leaderOf(topic, p).orElseThrow() == leader).boxed().toList();
    Ledger ledger = new Ledger();
    Set<Integer> produced;
    Optional<Duration> recovery;
    Duration pause;
    long stoppedAt;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start();
         AsyncAgent agent = Agents.inJvm(cluster.bootstrapServers(), topic, group, Agents.http(backend)).build();
         SteadyStream stream = SteadyStream.start(cluster.kafka(), topic, PER_SECOND)) {
      agent.start();
      Await.until(WAIT, () -> ledger.distinctDelivered() >= 3_000,
          () -> "3000 deliveries before the failover, got " + ledger.distinctDelivered());

      stoppedAt = System.nanoTime();
      cluster.stopBroker(leader);
      try {
        Await.until(WAIT, () -> IntStream.range(0, PARTITIONS).allMatch(p -> cluster.leaderOf(topic, p).isPresent()),
            "every partition to have a leader again");
        assertThat(led).allSatisfy(p -> assertThat(cluster.leaderOf(topic, p).orElseThrow())
            .as("leader of partition %d", p).isNotEqualTo(leader));
        Await.until(WAIT, () -> System.nanoTime() - stoppedAt >= DOWN.toNanos(), "the broker's time down");
        assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
      } finally {
        cluster.startBroker(leader);
      }
      long restartedAt = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - restartedAt >= Duration.ofSeconds(3).toNanos(), "3 s more stream");
      produced = stream.stop();
      Map<Integer, Long> end = cluster.kafka().endOffsets(topic);
      Await.until(WAIT, () -> cluster.kafka().committedOffsets(group, topic).equals(end),
          () -> "the agent to commit " + end + ", got " + cluster.kafka().committedOffsets(group, topic));
      recovery = Recovery.since(stoppedAt, ledger, stream, PARTITIONS);
      pause = Recovery.longestPause(ledger, PARTITIONS, stoppedAt, restartedAt);
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
    }
    cluster.awaitFullyReplicated(topic);

    Tally tally = Tally.count(produced, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(Scenario.LEADER_FAILOVER,
        "Leader failover: broker leading " + led.size() + " of " + PARTITIONS + " partitions stopped for "
            + DOWN.toSeconds() + " s, RF 3",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "3 brokers + 1 controller, replication factor 3, min.insync.replicas 2; an agent in the test JVM reads "
            + PARTITIONS + " partitions while " + PER_SECOND + " records/s are produced; after 3,000 deliveries"
            + " broker " + leader + ", leader of partitions " + led + ", stops (controlled shutdown) for "
            + DOWN.toSeconds() + " s, then restarts and catches up. Its leaderships move before it goes down, so"
            + " the agent hardly notices: the longest pause of a partition while it was down was "
            + Recovery.seconds(pause) + ". Recovery is measured from the stop."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size());
    assertThat(recovery).as("every partition delivering fresh records after the failover").isPresent();
  }
}
