package io.asyncagent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.ChildAgent;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.ReplicatedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scale-out across processes: three agent JVMs in one consumer group share 12 partitions on a cluster of three
 * brokers; one is killed with SIGKILL in the middle of the stream, and the group hands its partitions to the others;
 * then a fourth JVM joins and takes its share. Kafka's consumer group is what spreads the work, and no record is lost.
 */
@ExtendWith(ReliabilityReport.class)
class ScaleOutIT {
  private static final int PARTITIONS = 12;
  private static final int PER_SECOND = 500;
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration STOP = Duration.ofSeconds(60);

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
  void threeAgentJvmsOnTwelvePartitionsWithOneKilledMidStreamAndAFourthJoiningLoseNoRecord() {
    long began = System.nanoTime();
    String topic = EmbeddedKafka.uniqueTopic("scale-out");
    String group = EmbeddedKafka.uniqueGroup("scale-out");
    cluster.createTopic(topic, PARTITIONS);
    Ledger ledger = new Ledger();
    Set<Integer> produced;
    Set<Integer> killedOwned;
    Set<Integer> fourthOwned;
    Optional<Duration> recovery;
    Duration pause;
    int deliveredAtKill;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start();
         ChildAgent a = child("scale-a", topic, group, backend);
         ChildAgent b = child("scale-b", topic, group, backend);
         ChildAgent c = child("scale-c", topic, group, backend)) {
      for (ChildAgent child : List.of(a, b, c)) {
        child.awaitRunning(Agents.CHILD_START);
      }
      awaitEvenSplit(List.of(a, b, c));

      try (SteadyStream stream = SteadyStream.start(cluster.kafka(), topic, PER_SECOND)) {
        Await.until(WAIT, () -> ledger.distinctDelivered() >= 3_000,
            () -> "3000 deliveries before the kill, got " + ledger.distinctDelivered());
        killedOwned = Membership.owned(b);
        deliveredAtKill = ledger.distinctDelivered();
        long killedAt = System.nanoTime();
        b.kill();
        Await.until(WAIT, () -> Recovery.since(killedAt, ledger, stream, PARTITIONS).isPresent(),
            () -> "every partition to deliver records sent after the kill; " + Membership.describe(List.of(a, c)));
        recovery = Recovery.since(killedAt, ledger, stream, PARTITIONS);
        awaitEvenSplit(List.of(a, c));
        pause = Recovery.longestPause(ledger, PARTITIONS, killedAt, System.nanoTime());

        try (ChildAgent d = child("scale-d", topic, group, backend)) {
          d.awaitRunning(Agents.CHILD_START);
          awaitEvenSplit(List.of(a, c, d));
          fourthOwned = Membership.owned(d);
          int deliveredAtJoin = ledger.distinctDelivered();
          Await.until(WAIT, () -> ledger.distinctDelivered() >= deliveredAtJoin + 3_000,
              () -> "3000 more deliveries after the fourth agent joined, got "
                  + (ledger.distinctDelivered() - deliveredAtJoin));
          produced = stream.stop();
          Map<Integer, Long> end = cluster.kafka().endOffsets(topic);
          Await.until(WAIT, () -> cluster.kafka().committedOffsets(group, topic).equals(end),
              () -> "the group to commit " + end + ", got " + cluster.kafka().committedOffsets(group, topic));
          assertThat(Membership.delivered(d)).as("deliveries of the fourth agent").hasValueSatisfying(
              delivered -> assertThat(delivered).isPositive());
          for (ChildAgent survivor : List.of(a, c, d)) {
            survivor.stop(STOP);
          }
        }
      }
    }

    Tally tally = Tally.count(produced, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(Scenario.SCALE_OUT,
        "Scale-out: 3 agent JVMs on " + PARTITIONS + " partitions, one SIGKILLed mid-stream, a 4th started",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "3 brokers + 1 controller, RF 3; three agents, each a JVM of its own, in one group (range assignment, 10 s"
            + " session timeout, commits every 1 s) read " + PARTITIONS + " partitions while " + PER_SECOND
            + " records/s are produced; after " + String.format(Locale.ROOT, "%,d", deliveredAtKill)
            + " deliveries the agent owning partitions "
            + new TreeSet<>(killedOwned) + " is killed with SIGKILL (no close, no last commit). The group gives its"
            + " partitions to the two others once its session times out (longest pause of a partition: "
            + Recovery.seconds(pause) + "); then a fourth JVM joins and takes partitions "
            + new TreeSet<>(fourthOwned) + ". Duplicates are what the killed agent had delivered but not"
            + " committed. Recovery is measured from the kill."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size());
    assertThat(killedOwned).as("partitions of the killed agent").hasSize(PARTITIONS / 3);
    assertThat(fourthOwned).as("partitions of the fourth agent").hasSize(PARTITIONS / 3);
  }

  private static ChildAgent child(String name, String topic, String group, RecordingHttpBackend backend) {
    return Agents.child(name, cluster.bootstrapServers(), topic, group, backend).start();
  }

  private static void awaitEvenSplit(List<ChildAgent> members) {
    Await.until(WAIT, () -> Membership.evenSplit(PARTITIONS, members),
        () -> "an even split of " + PARTITIONS + " partitions between " + members.size() + " agents: "
            + Membership.describe(members));
  }
}
