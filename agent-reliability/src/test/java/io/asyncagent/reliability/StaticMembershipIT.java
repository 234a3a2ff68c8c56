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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Static membership across processes: two agent JVMs with instance ids share a topic; one is killed with SIGKILL and
 * started again within the session timeout. It comes back to its own partitions without a rebalance — the other
 * member sees nothing — and no record is lost.
 */
@Tag("full")
@ExtendWith(ReliabilityReport.class)
class StaticMembershipIT {
  private static final int PARTITIONS = 6;
  private static final int PER_SECOND = 500;
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
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
  void aStaticMemberKilledAndRestartedWithinTheSessionTimeoutGetsItsPartitionsBackAndTheOtherSeesNoRebalance() {
    long began = System.nanoTime();
    String topic = EmbeddedKafka.uniqueTopic("static");
    String group = EmbeddedKafka.uniqueGroup("static");
    cluster.createTopic(topic, PARTITIONS);
    Ledger ledger = new Ledger();
    Set<Integer> produced;
    Set<Integer> ownedBefore;
    Set<Integer> ownedAfter;
    List<String> otherSawAfterKill;
    Optional<Duration> recovery;
    Duration restart;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start();
         ChildAgent a = child("static-a", "a", topic, group, backend);
         ChildAgent b = child("static-b", "b", topic, group, backend)) {
      a.awaitRunning(Agents.CHILD_START);
      b.awaitRunning(Agents.CHILD_START);
      Await.until(WAIT, () -> Membership.evenSplit(PARTITIONS, List.of(a, b)),
          () -> "an even split of " + PARTITIONS + " partitions: " + Membership.describe(List.of(a, b)));
      ownedBefore = Membership.owned(a);

      try (SteadyStream stream = SteadyStream.start(cluster.kafka(), topic, PER_SECOND)) {
        Await.until(WAIT, () -> ledger.distinctDelivered() >= 2_000,
            () -> "2000 deliveries before the kill, got " + ledger.distinctDelivered());
        int otherLinesAtKill = b.lines().size();
        long killedAt = System.nanoTime();
        a.kill();
        a.restart();
        a.awaitRunning(Agents.CHILD_START);
        restart = Duration.ofNanos(System.nanoTime() - killedAt);
        Await.until(WAIT, () -> !Membership.owned(a).isEmpty(),
            () -> "the restarted member to be assigned partitions; it printed " + a.lines());
        ownedAfter = Membership.owned(a);
        Await.until(WAIT, () -> Recovery.since(killedAt, ledger, stream, PARTITIONS).isPresent(),
            () -> "every partition to deliver records sent after the kill; " + Membership.describe(List.of(a, b)));
        recovery = Recovery.since(killedAt, ledger, stream, PARTITIONS);
        long recoveredAt = System.nanoTime();
        Await.until(WAIT, () -> System.nanoTime() - recoveredAt >= Duration.ofSeconds(3).toNanos(),
            "3 s more stream");
        produced = stream.stop();
        Map<Integer, Long> end = cluster.kafka().endOffsets(topic);
        Await.until(WAIT, () -> cluster.kafka().committedOffsets(group, topic).equals(end),
            () -> "the group to commit " + end + ", got " + cluster.kafka().committedOffsets(group, topic));
        otherSawAfterKill = b.lines().subList(otherLinesAtKill, b.lines().size()).stream()
            .filter(line -> !line.startsWith(AgentMain.PROGRESS)).toList();
      }
      a.stop(STOP);
      b.stop(STOP);
    }

    Tally tally = Tally.count(produced, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(Scenario.STATIC_MEMBERSHIP,
        "Static membership: an agent JVM SIGKILLed and restarted within session_timeout",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "3 brokers, RF 3; two agent JVMs with instance ids a and b (session timeout " + SESSION_TIMEOUT.toSeconds()
            + " s) read " + PARTITIONS + " partitions while " + PER_SECOND + " records/s are produced; after 2,000"
            + " deliveries a, owning " + new TreeSet<>(ownedBefore) + ", is killed with SIGKILL and started again: "
            + Recovery.seconds(restart) + " from the kill to running, and it got " + new TreeSet<>(ownedAfter)
            + " back without a rebalance; b printed " + otherSawAfterKill.size() + " rebalance line(s) meanwhile."
            + " Duplicates are what a had delivered but not committed. Recovery is measured from the kill."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size());
    assertThat(ownedAfter).as("partitions of the restarted member").isEqualTo(ownedBefore);
    assertThat(otherSawAfterKill).as("the other member's rebalance lines after the kill").isEmpty();
  }

  private static ChildAgent child(String name, String instanceId, String topic, String group,
      RecordingHttpBackend backend) {
    return Agents.child(name, cluster.bootstrapServers(), topic, group, backend, "instanceId=" + instanceId,
        "sessionTimeoutMs=" + SESSION_TIMEOUT.toMillis()).start();
  }
}
