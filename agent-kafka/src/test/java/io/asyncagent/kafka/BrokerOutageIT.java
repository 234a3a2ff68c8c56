package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The only broker goes away for 10 s in the middle of a stream; the agent rides it out. */
@WithEmbeddedKafka
class BrokerOutageIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  void aBrokerStoppedForTenSecondsMidStreamLosesNothingAndEveryOffsetIsCommittedInTheEnd(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("outage");
    String group = EmbeddedKafka.uniqueGroup("outage");
    kafka.createTopic(topic, 3);
    NumberedRecords before = NumberedRecords.forTopic(topic).count(5_000).distinctKeys(50);
    NumberedRecords after = NumberedRecords.forTopic(topic).startAt(5_000).count(5_000).distinctKeys(50);
    Queue<String> delivered = new ConcurrentLinkedQueue<>();
    List<String> connections = new CopyOnWriteArrayList<>();
    ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    BackendSink fiveMillis = event -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      delays.schedule(() -> {
        delivered.add(event.bodyAsString());
        done.complete(null);
      }, 5, TimeUnit.MILLISECONDS);
      return done;
    };
    AgentListener recorder = new AgentListener() {
      @Override
      public void connected(AsyncAgent agent, int attempt) {
        connections.add("connected " + attempt);
      }

      @Override
      public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
        connections.add("lost " + attempt);
      }
    };

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, fiveMillis, topic)
        .workers(4).listener(recorder).build()) {
      agent.start();
      kafka.produce(before.records());
      Await.until(WAIT, () -> delivered.size() >= 1_000, () -> "1000 deliveries before the outage");

      kafka.stopBroker(0);
      Await.until(WAIT, () -> !agent.health().clusterReachable(), () -> "the agent to notice the outage");
      LockSupport.parkNanos(OUTAGE.toNanos()); // the outage itself, not a wait for a condition
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
      kafka.startBroker(0);

      Await.until(WAIT, () -> agent.health().isHealthy(), () -> "the agent to reconnect: " + agent.health());
      kafka.produce(after.records());
      Await.until(WAIT, () -> distinct(delivered).size() >= 10_000,
          () -> "10000 distinct deliveries, got " + distinct(delivered).size());
    } finally {
      delays.shutdownNow();
    }

    Set<String> expected = new java.util.HashSet<>(before.values());
    expected.addAll(after.values());
    assertThat(distinct(delivered)).isEqualTo(expected);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
    assertThat(connections).as("lost the cluster at least once, and reconnected")
        .startsWith("connected 0", "lost 0").endsWith("connected 1");
  }

  private static Set<String> distinct(Queue<String> delivered) {
    return delivered.stream().collect(Collectors.toSet());
  }
}
