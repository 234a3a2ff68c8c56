package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentException;
import io.asyncagent.AgentGroup;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.BackoffStrategy;
import io.asyncagent.ConnectionException;
import io.asyncagent.Event;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The agent's runtime knobs against a real broker: workers, max_rate, reconnection, drain. */
@WithEmbeddedKafka
class AgentRuntimeIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final ScheduledExecutorService DELAYS = Executors.newScheduledThreadPool(2);

  @AfterAll
  static void stopDelays() {
    DELAYS.shutdownNow();
  }

  /** A sink whose every delivery takes {@code latency}, without holding a thread meanwhile. */
  private static BackendSink slowSink(Duration latency, AtomicInteger inFlight, AtomicInteger peak,
      Queue<Event> delivered) {
    return event -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<Void> done = new CompletableFuture<>();
      DELAYS.schedule(() -> {
        inFlight.decrementAndGet();
        delivered.add(event);
        done.complete(null);
      }, latency.toNanos(), TimeUnit.NANOSECONDS);
      return done;
    };
  }

  @Test
  void eightWorkersWithASlowSinkRunExactlyEightDeliveriesAtOnce(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("workers");
    String group = EmbeddedKafka.uniqueGroup("workers");
    kafka.createTopic(topic, 3);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Queue<Event> delivered = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group,
        slowSink(Duration.ofMillis(50), inFlight, peak, delivered), topic).workers(8).build()) {
      agent.start();
      kafka.produce(NumberedRecords.forTopic(topic).count(200).distinctKeys(20).records());
      Await.until(WAIT, () -> delivered.size() >= 200, () -> "200 deliveries, got " + delivered.size());
    }

    assertThat(peak.get()).as("most deliveries in flight at once").isEqualTo(8);
  }

  @Test
  void maxRateHoldsEveryOneSecondWindowToTheRateAndItsBurst(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("rate");
    String group = EmbeddedKafka.uniqueGroup("rate");
    kafka.createTopic(topic, 2);
    Queue<Long> startedAt = new ConcurrentLinkedQueue<>();
    BackendSink stamping = event -> {
      startedAt.add(System.nanoTime());
      return CompletableFuture.completedFuture(null);
    };

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, stamping, topic).workers(8).maxRate(20).build()) {
      agent.start();
      kafka.produce(NumberedRecords.forTopic(topic).count(100).records());
      Await.until(WAIT, () -> startedAt.size() >= 100, () -> "100 deliveries, got " + startedAt.size());
    }

    List<Long> times = startedAt.stream().sorted().collect(Collectors.toList());
    int busiest = 0;
    for (int i = 0; i < times.size(); i++) {
      int j = i;
      while (j < times.size() && times.get(j) - times.get(i) < TimeUnit.SECONDS.toNanos(1)) {
        j++;
      }
      busiest = Math.max(busiest, j - i);
    }
    // The bucket holds 20 tokens and starts full: at most 20 (burst) + 20 (refill) start in any second.
    assertThat(busiest).as("deliveries started in the busiest second").isLessThanOrEqualTo(40);
    // 20 go at once, the other 80 need 80 refills at 20/s: 4 s (less 10 ms for clock granularity).
    assertThat(Duration.ofNanos(times.get(times.size() - 1) - times.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(3_990));
  }

  @Test
  void anAgentThatCannotReachItsClusterGivesUpAfterMaxRetriesAndTheOthersKeepRunning(EmbeddedKafka kafka)
      throws IOException {
    String topic = EmbeddedKafka.uniqueTopic("healthy");
    String group = EmbeddedKafka.uniqueGroup("healthy");
    kafka.createTopic(topic, 1);
    String nowhere = "127.0.0.1:" + freePort();
    List<String> attempts = new CopyOnWriteArrayList<>();
    List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    AgentListener recorder = new AgentListener() {
      @Override
      public void connecting(AsyncAgent agent, int attempt) {
        attemptTimes.add(System.nanoTime());
        attempts.add("connecting " + attempt);
      }

      @Override
      public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
        attempts.add("lost " + attempt + ", retry in " + retryIn.map(d -> d.toMillis() + "ms").orElse("never"));
      }
    };
    AsyncAgent lost = AsyncAgent.builder()
        .name("lost")
        .topics(topic)
        .connection(c -> c.maxRetries(2).backoff(BackoffStrategy.FALLBACK))
        .listener(recorder)
        .driver(KafkaDriver.builder().cluster(Cluster.builder().brokers(nowhere).build()).build())
        .sink(event -> CompletableFuture.completedFuture(null))
        .build();
    Queue<Event> received = new ConcurrentLinkedQueue<>();
    AsyncAgent healthy = TestAgents.agent(kafka, "healthy", group, TestAgents.collectingInto(received), topic).build();

    try (AgentGroup agents = AgentGroup.of(lost, healthy)) {
      assertThatThrownBy(agents::start)
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith("1 of 2 agent(s) failed to start; the others are running:\n  lost: ");

      assertThat(attempts).containsExactly(
          "connecting 0", "lost 0, retry in 1000ms",
          "connecting 1", "lost 1, retry in 1000ms",
          "connecting 2", "lost 2, retry in never");
      for (int i = 1; i < attemptTimes.size(); i++) {
        assertThat(Duration.ofNanos(attemptTimes.get(i) - attemptTimes.get(i - 1)))
            .as("from attempt %d to %d: the 750 ms the cluster is given, then the 1 s backoff", i - 1, i)
            .isGreaterThanOrEqualTo(Duration.ofMillis(1_750));
      }
      assertThat(lost.state()).isEqualTo(AgentState.FAILED);
      assertThat(lost.failureCause()).get().isInstanceOf(ConnectionException.class).extracting(Throwable::getMessage)
          .isEqualTo("gave up after 3 connection attempt(s) in a row (connection.maxRetries 2); the last failed "
              + "with: lost the cluster: no connection to any broker of [" + nowhere + "] for longer than "
              + "metadata_retry_max (3) × metadata_retry_backoff (250ms) = 750ms");

      assertThat(healthy.state()).isEqualTo(AgentState.RUNNING);
      kafka.produce(NumberedRecords.forTopic(topic).count(10).records());
      Await.until(WAIT, () -> received.size() >= 10, () -> "10 events, got " + received.size());
      assertThat(agents.health().isHealthy()).isFalse();
      assertThat(agents.health().toJson()).contains("\"status\":\"unhealthy\"").contains("\"lost\":\"FAILED: gave up");
      assertThat(agents.health().agents().get("healthy").isHealthy()).isTrue();
    }
  }

  @Test
  void closingWhileDeliveriesAreSlowLetsThemFinishAndCommitsThem(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("drain");
    String group = EmbeddedKafka.uniqueGroup("drain");
    kafka.createTopic(topic, 2);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Queue<Event> delivered = new ConcurrentLinkedQueue<>();
    List<AgentState> states = new CopyOnWriteArrayList<>();
    AgentListener stateRecorder = new AgentListener() {
      @Override
      public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
        states.add(to);
      }
    };
    AsyncAgent agent = TestAgents.agent(kafka, group, group,
        slowSink(Duration.ofSeconds(1), inFlight, peak, delivered), topic).workers(4).listener(stateRecorder).build();

    agent.start();
    kafka.produce(NumberedRecords.forTopic(topic).count(8).distinctKeys(4).records());
    Await.until(WAIT, () -> inFlight.get() == 4, () -> "4 deliveries in flight, got " + inFlight.get());
    agent.close();

    assertThat(delivered).as("the 4 in flight and the 4 waiting for a worker").hasSize(8);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
    List<AgentState> afterFirstClose = new ArrayList<>(states);
    agent.close();
    assertThat(states).isEqualTo(afterFirstClose)
        .containsExactly(AgentState.STARTING, AgentState.RUNNING, AgentState.STOPPING, AgentState.STOPPED);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
