package io.asyncagent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.Partition;
import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.ReplicatedKafka;
import io.asyncagent.testkit.TcpProxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every connection between the agent and the brokers is black-holed in the middle of a stream: the proxies in front of
 * the three brokers accept connections and forward nothing, for 5 s (within what a consumer rides out) and for 60 s
 * (longer than the group's session timeout, the requests' timeout and the blip the driver absorbs). Then the network
 * comes back, and every record is accounted for.
 */
@Tag("full")
@ExtendWith(ReliabilityReport.class)
class NetworkBlackHoleIT {
  private static final int PARTITIONS = 6;
  private static final int PER_SECOND = 500;
  private static final Duration WAIT = Duration.ofMinutes(3);

  private static ReplicatedKafka cluster;

  @BeforeAll
  static void startThreeBrokersBehindProxies() {
    cluster = ReplicatedKafka.start();
  }

  @AfterAll
  static void stopTheBrokers() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyBrokerBlackHoledForFiveSecondsMidStreamLosesNoRecord() {
    blackHole(Scenario.BLACK_HOLE_SHORT, Duration.ofSeconds(5));
  }

  @Test
  void everyBrokerBlackHoledForSixtySecondsMidStreamLosesNoRecord() {
    blackHole(Scenario.BLACK_HOLE_LONG, Duration.ofSeconds(60));
  }

  private static void blackHole(Scenario scenario, Duration hole) {
    long began = System.nanoTime();
    String topic = EmbeddedKafka.uniqueTopic("black-hole");
    String group = EmbeddedKafka.uniqueGroup("black-hole");
    cluster.createTopic(topic, PARTITIONS);
    Ledger ledger = new Ledger();
    Set<Integer> produced;
    Optional<Duration> recovery;
    Duration pause;
    String heard;
    Events events = new Events();
    AtomicBoolean sawUnreachable = new AtomicBoolean();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start();
         AsyncAgent agent = Agents.inJvm(cluster.proxiedBootstrapServers(), topic, group, Agents.http(backend))
             .listener(events).build();
         SteadyStream stream = SteadyStream.start(cluster.kafka(), topic, PER_SECOND)) {
      agent.start();
      sampler.scheduleAtFixedRate(() -> {
        if (!agent.health().clusterReachable()) {
          sawUnreachable.set(true);
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      Await.until(WAIT, () -> ledger.distinctDelivered() >= 2_000,
          () -> "2000 deliveries before the black hole, got " + ledger.distinctDelivered());

      long holeAt = System.nanoTime();
      cluster.proxies().forEach(TcpProxy::blackHole);
      try {
        Await.until(WAIT, () -> System.nanoTime() - holeAt >= hole.toNanos(), "the black hole to last " + hole);
        assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
      } finally {
        cluster.proxies().forEach(TcpProxy::pass);
      }
      long healedAt = System.nanoTime();

      Await.until(WAIT, () -> Recovery.since(healedAt, ledger, stream, PARTITIONS).isPresent(),
          () -> "every partition to deliver records sent after the network came back; " + agent.health());
      long recoveredAt = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - recoveredAt >= Duration.ofSeconds(3).toNanos(), "3 s more stream");
      produced = stream.stop();
      Map<Integer, Long> end = cluster.kafka().endOffsets(topic);
      Await.until(WAIT, () -> cluster.kafka().committedOffsets(group, topic).equals(end),
          () -> "the agent to commit " + end + ", got " + cluster.kafka().committedOffsets(group, topic) + "; "
              + agent.health());
      recovery = Recovery.since(healedAt, ledger, stream, PARTITIONS);
      pause = Recovery.longestPause(ledger, PARTITIONS, holeAt, System.nanoTime());
      heard = events.toString(); // before close(), which revokes the partitions once more
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
    } finally {
      sampler.shutdownNow();
    }

    Tally tally = Tally.count(produced, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(scenario,
        "Network: every broker black-holed " + hole.toSeconds() + " s",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "3 brokers, each behind a TcpProxy that it advertises; an agent in the test JVM reaches the cluster only"
            + " through the proxies and reads " + PARTITIONS + " partitions while " + PER_SECOND + " records/s are"
            + " produced (directly, not through the proxies). After 2,000 deliveries every proxy black-holes for "
            + hole.toSeconds() + " s: connections are accepted, nothing is forwarded either way. "
            + (sawUnreachable.get() ? "The agent reported the cluster unreachable at times (health sampled every"
                + " 50 ms)"
                : "The agent never reported the cluster unreachable (health sampled every 50 ms): a silent network"
                    + " keeps TCP connections open, and open connections are what the driver watches")
            + "; its listener heard " + heard + ". Longest pause of a partition: " + Recovery.seconds(pause) + "."
            + (events.lostPartitions.get() > 0 ? " The group dropped the silent member when its session timed out,"
                + " so what it had delivered but could not commit was delivered again: the duplicates." : "")
            + " Recovery is measured from the end of the black hole."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size());
  }

  /** Counts what the agent's listener hears about its connection and partitions. */
  private static final class Events implements AgentListener {
    final AtomicInteger lost = new AtomicInteger();
    final AtomicInteger revoked = new AtomicInteger();
    final AtomicInteger lostPartitions = new AtomicInteger();

    @Override
    public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
      lost.incrementAndGet();
    }

    @Override
    public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
      revoked.incrementAndGet();
    }

    @Override
    public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
      lostPartitions.incrementAndGet();
    }

    /** {@code 0 lost connection(s), 1 revocation(s) and 0 loss(es) of partitions}. */
    @Override
    public String toString() {
      return lost.get() + " lost connection(s), " + revoked.get() + " revocation(s) and " + lostPartitions.get()
          + " loss(es) of partitions";
    }
  }
}
