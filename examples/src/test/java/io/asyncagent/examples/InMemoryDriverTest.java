package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Partition;
import io.asyncagent.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The example driver keeps the driver contract: order, backpressure, the contiguous prefix, resuming. */
class InMemoryDriverTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final InMemoryLog log = InMemoryLog.named("test-" + UUID.randomUUID());

  @Test
  void deliversEveryEventInOrderWithOneWorkerAndCommitsPastTheLastOnClose() {
    log.createTopic("orders", 1);
    appendBodies(0, 50);
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (AsyncAgent agent = AsyncAgent.builder()
        .name("billing")
        .topics("orders")
        .workers(1)
        .driver(InMemoryDriver.of(log))
        .sink(event -> {
          delivered.add(event.bodyAsString());
          return CompletableFuture.completedFuture(null);
        })
        .build()) {
      agent.start();
      appendBodies(50, 100); // after start() returned: delivered as well

      Await.until(WAIT, () -> delivered.size() == 100, () -> delivered.size() + " of 100 events delivered");
    }

    assertThat(delivered).containsExactlyElementsOf(bodies(0, 100));
    assertThat(log.committed("billing")).isEqualTo(Map.of(new Partition("orders", 0), 100L));
  }

  @Test
  void stopsOfferingWhenTheAgentIsFullParksAndResumesWhenThereIsRoom() throws InterruptedException {
    log.createTopic("orders", 1);
    appendBodies(0, 20);
    BlockingQueue<CompletableFuture<Void>> held = new LinkedBlockingQueue<>();
    List<String> delivered = new CopyOnWriteArrayList<>();
    AtomicReference<AsyncAgent> self = new AtomicReference<>();
    AtomicInteger mostBuffered = new AtomicInteger();
    BackendSink holding = event -> {
      delivered.add(event.bodyAsString());
      buffered(self.get(), mostBuffered);
      CompletableFuture<Void> delivery = new CompletableFuture<>();
      held.add(delivery);
      return delivery;
    };
    try (AsyncAgent agent = AsyncAgent.builder()
        .name("held")
        .topics("orders")
        .workers(2)
        .bufferSize(3) // capacity: 2 in flight + 3 waiting
        .timeout(Duration.ofMinutes(1))
        .driver(InMemoryDriver.of(log))
        .sink(holding)
        .build()) {
      self.set(agent);
      agent.start();

      Await.until(WAIT, () -> buffered(agent, mostBuffered) == 5 && held.size() == 2,
          () -> "a full agent, but " + agent.health());
      Await.until(WAIT, () -> agent.health().lag().equals(OptionalLong.of(15)), () -> "lag 15, but " + agent.health());
      Thread reader = thread("asyncagent-held-reader");
      Await.until(WAIT, () -> reader.getState() == Thread.State.TIMED_WAITING,
          () -> "the reader parked, but it is " + reader.getState());
      assertThat(delivered).hasSize(2);

      for (int released = 0; released < 20; released++) {
        CompletableFuture<Void> next = held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("delivery %d started", released + 1).isNotNull();
        next.complete(null);
        buffered(agent, mostBuffered);
      }
      Await.until(WAIT, () -> agent.health().bufferedEvents() == 0, () -> "an empty agent, but " + agent.health());
    }

    assertThat(delivered).containsExactlyElementsOf(bodies(0, 20));
    assertThat(mostBuffered).as("the most events the agent held: its capacity, never more").hasValue(5);
    assertThat(log.committed("held")).isEqualTo(Map.of(new Partition("orders", 0), 20L));
  }

  @Test
  void commitsOnlyTheContiguousPrefixSoAStuckEventHoldsBackItsOwnPartition() {
    log.createTopic("orders", 2);
    appendBodies(0, 10);
    for (int i = 0; i < 5; i++) {
      log.append("orders", 1, "p1-" + i);
    }
    List<String> attempted = new CopyOnWriteArrayList<>();
    List<String> commits = new CopyOnWriteArrayList<>();
    BackendSink stuckAtThree = event -> {
      attempted.add(event.coordinates().toString());
      return event.partition() == 0 && event.offset() == 3
          ? new CompletableFuture<>()                          // never completes
          : CompletableFuture.completedFuture(null);
    };
    try (AsyncAgent agent = AsyncAgent.builder()
        .name("stuck")
        .topics("orders")
        .workers(4)
        .timeout(Duration.ofMinutes(1)) // longer than the test: the stuck event never times out
        .listener(new AgentListener() {
          @Override
          public void committed(AsyncAgent source, Partition partition, long offset) {
            commits.add(partition + "@" + offset);
          }
        })
        .driver(InMemoryDriver.of(log))
        .sink(stuckAtThree)
        .build()) {
      agent.start();
      Await.until(WAIT, () -> attempted.size() == 15 && agent.health().bufferedEvents() == 1,
          () -> attempted.size() + " of 15 events attempted; " + agent.health());

      agent.close(Duration.ofMillis(100)); // the grace period runs out on orders-0@3
    }

    assertThat(log.committed("stuck"))
        .isEqualTo(Map.of(new Partition("orders", 0), 3L, new Partition("orders", 1), 5L));
    assertThat(commits).containsExactlyInAnyOrder("orders-0@3", "orders-1@5");
  }

  @Test
  void anAgentOfTheSameNameResumesFromTheCommittedPositions() {
    log.createTopic("orders", 1);
    appendBodies(0, 5);
    List<String> first = runUntilDelivered("resuming", 5);
    appendBodies(5, 8);

    List<String> second = runUntilDelivered("resuming", 3);

    assertThat(first).containsExactlyElementsOf(bodies(0, 5));
    assertThat(second).containsExactlyElementsOf(bodies(5, 8));
    assertThat(log.committed("resuming")).isEqualTo(Map.of(new Partition("orders", 0), 8L));
  }

  @Test
  void buildRejectsATopicTheLogDoesNotHave() {
    log.createTopic("orders", 1);

    assertThatThrownBy(() -> AsyncAgent.builder().name("typo").topics("ordres").driver(InMemoryDriver.of(log))
        .sink(event -> CompletableFuture.completedFuture(null)).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid agent 'typo': topics[0]: must be a topic of the in-memory log '" + log.name()
            + "', but was 'ordres'");
  }

  private List<String> runUntilDelivered(String name, int count) {
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (AsyncAgent agent = AsyncAgent.builder().name(name).topics("orders").driver(InMemoryDriver.of(log))
        .sink(event -> {
          delivered.add(event.bodyAsString());
          return CompletableFuture.completedFuture(null);
        })
        .build()) {
      agent.start();
      Await.until(WAIT, () -> delivered.size() >= count, () -> delivered.size() + " of " + count + " delivered");
      Await.until(WAIT, () -> agent.health().bufferedEvents() == 0, () -> "an empty agent, but " + agent.health());
    }
    return delivered;
  }

  /** Returns how many events the agent holds, waiting or in flight, and keeps the most seen in {@code most}. */
  private static int buffered(AsyncAgent agent, AtomicInteger most) {
    int now = agent.health().bufferedEvents();
    most.accumulateAndGet(now, Math::max);
    return now;
  }

  private void appendBodies(int from, int to) {
    bodies(from, to).forEach(body -> log.append("orders", 0, body));
  }

  private static List<String> bodies(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "order-" + i).toList();
  }

  private static Thread thread(String name) {
    Set<Thread> threads = Thread.getAllStackTraces().keySet();
    return threads.stream().filter(thread -> thread.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + name));
  }
}
