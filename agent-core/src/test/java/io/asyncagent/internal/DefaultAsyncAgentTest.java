package io.asyncagent.internal;

import static io.asyncagent.internal.DefaultDispatcherTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentException;
import io.asyncagent.AgentHealth;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.ConnectionException;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class DefaultAsyncAgentTest {
  private final FakeDriver driver = new FakeDriver();
  private final Queue<Event> delivered = new ConcurrentLinkedQueue<>();
  private final BackendSink sink = event -> {
    delivered.add(event);
    return CompletableFuture.completedFuture(null);
  };

  private AsyncAgent.Builder builder() {
    return AsyncAgent.builder().name("orders").topics("t").driver(driver).sink(sink);
  }

  @Test
  void startsRunsAndStops() {
    AsyncAgent agent = builder().build();
    assertThat(agent.state()).isEqualTo(AgentState.NEW);

    agent.start();
    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
    driver.session().offer(0, 3);
    await(() -> delivered.size() == 3);
    agent.close();

    assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
    assertThat(driver.session().closes.get()).isEqualTo(1);
    assertThat(driver.session().closedWithGrace).isEqualTo(Duration.ofSeconds(30));
    assertThat(agent.failureCause()).isEmpty();
  }

  @Test
  void givesTheDriverTheAgentsNameTopicsAndNamedThreads() {
    AsyncAgent agent = AsyncAgent.builder().name("orders").topics("a", "b").driver(driver).sink(sink).build();
    agent.start();

    assertThat(driver.session().context.agentName()).isEqualTo("orders");
    assertThat(driver.session().context.topics()).containsExactly("a", "b");
    assertThat(driver.session().context.threadFactory("poll").newThread(() -> {}).getName())
        .isEqualTo("asyncagent-orders-poll");
    agent.close();
  }

  @Test
  void closesItsSinksWhenItStopsBlockingOnesIncluded() {
    java.util.concurrent.atomic.AtomicInteger asyncCloses = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger blockingCloses = new java.util.concurrent.atomic.AtomicInteger();
    interface ClosingSink extends BackendSink, AutoCloseable {
      @Override
      void close();
    }
    interface ClosingBlockingSink extends io.asyncagent.BlockingSink, AutoCloseable {
      @Override
      void close();
    }
    ClosingSink async = new ClosingSink() {
      @Override
      public java.util.concurrent.CompletionStage<Void> deliver(Event event) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void close() {
        asyncCloses.incrementAndGet();
      }
    };
    ClosingBlockingSink blocking = new ClosingBlockingSink() {
      @Override
      public void deliver(Event event) {}

      @Override
      public void close() {
        blockingCloses.incrementAndGet();
      }
    };
    AsyncAgent agent = AsyncAgent.builder().name("orders").topics("t").driver(driver)
        .sink(async).sink(BackendSink.blocking(blocking)).build();
    agent.start();

    agent.close();
    agent.close();

    assertThat(asyncCloses).hasValue(1);
    assertThat(blockingCloses).hasValue(1);
  }

  @Test
  void aBlockingAttemptThatTimedOutWaitingForAThreadIsNeverRunAndARunningOneIsInterrupted() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Queue<Long> called = new ConcurrentLinkedQueue<>();
    AsyncAgent agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).workers(1)
        .timeout(Duration.ofMillis(100))
        .sink(BackendSink.blocking(event -> {
          called.add(event.offset());
          if (event.offset() == 0) {
            boolean released = false;
            while (!released) { // waits without giving up on an interrupt, as some blocking clients do
              try {
                released = release.await(1, java.util.concurrent.TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            }
          }
        }))
        .build();
    agent.start();

    driver.session().offer(0, 3);
    // 0 times out while running; 1 and 2 time out while they wait for the pool's one thread.
    await(() -> driver.session().processed.size() == 3);
    release.countDown();
    driver.session().offer(3, 1);
    await(() -> driver.session().processed.size() == 4);
    agent.close();

    assertThat(called).containsExactly(0L, 3L);
    assertThat(interrupted).isTrue();
  }

  @Test
  void closeIsIdempotentAndUsesTheGivenGrace() {
    AsyncAgent agent = builder().build();
    agent.start();

    agent.close(Duration.ofMillis(5));
    agent.close();
    agent.close(Duration.ZERO);

    assertThat(driver.session().closes.get()).isEqualTo(1);
    assertThat(driver.session().closedWithGrace).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void closingAnAgentThatNeverStartedStopsIt() {
    AsyncAgent agent = builder().build();

    agent.close();

    assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
    assertThat(driver.sessions).isEmpty();
    assertThatThrownBy(agent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("agent 'orders' cannot start: it is STOPPED, and an agent starts only once");
  }

  @Test
  void startsOnlyOnce() {
    AsyncAgent agent = builder().build();
    agent.start();

    assertThatThrownBy(agent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("agent 'orders' cannot start: it is RUNNING, and an agent starts only once");
    agent.close();
  }

  @Test
  void failsWithTheCauseWhenTheSessionFails() {
    AsyncAgent agent = builder().build();
    agent.start();
    ConnectionException cause = new ConnectionException("SASL authentication failed", false);

    driver.session().terminated.completeExceptionally(cause);

    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
    assertThat(agent.failureCause()).containsSame(cause);
    agent.close();
    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
  }

  @Test
  void failsToStartWhenTheSessionFailsBeforeItIsReady() {
    driver.readyOnConnect = false;
    AsyncAgent agent = builder().build();
    ConnectionException cause = new ConnectionException("unknown host", false);
    CompletableFuture.runAsync(() -> {
      await(() -> !driver.sessions.isEmpty());
      driver.session().terminated.completeExceptionally(cause);
    });

    assertThatThrownBy(agent::start)
        .isInstanceOf(AgentException.class)
        .hasMessage("agent 'orders' failed to start: unknown host")
        .hasCause(cause);
    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
    assertThat(agent.failureCause()).containsSame(cause);
  }

  @Test
  void reconnectsAfterARetriableFailureAndKeepsRunning() {
    AsyncAgent agent = builder().connection(c -> c.backoff(io.asyncagent.BackoffStrategy.LINEAR)).build();
    agent.start();

    driver.session().terminated.completeExceptionally(new ConnectionException("cluster unreachable", true));
    await(() -> driver.sessions.size() == 2);
    driver.session().offer(0, 2);
    await(() -> delivered.size() == 2);

    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
    agent.close();
    assertThat(driver.sessions.get(0).closes.get()).as("the ended session is not closed again").isZero();
    assertThat(driver.sessions.get(1).closes.get()).isEqualTo(1);
  }

  @Test
  void startWaitsThroughRetriableFailuresUntilASessionIsReady() {
    driver.readyOnConnect = false;
    AsyncAgent agent = builder().connection(c -> c.backoff(io.asyncagent.BackoffStrategy.LINEAR)).build();
    CompletableFuture.runAsync(() -> {
      await(() -> driver.sessions.size() == 1);
      driver.session().terminated.completeExceptionally(new ConnectionException("not yet", true));
      await(() -> driver.sessions.size() == 2);
      driver.session().ready.complete(null);
    });

    agent.start();

    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
    assertThat(agent.health().isHealthy()).isTrue();
    agent.close();
  }

  @Test
  void tellsTheListenerOfPartitionsGivenBackWhileClosingButNotOfAnEndedSession() {
    List<String> heard = new CopyOnWriteArrayList<>();
    AgentListener listener = new AgentListener() {
      @Override
      public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
        heard.add("assigned " + partitions);
      }

      @Override
      public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
        heard.add("revoked " + partitions);
      }
    };
    AsyncAgent agent = builder().listener(listener).build();
    agent.start();
    FakeDriver.FakeSession first = driver.session();
    first.context.partitionsAssigned(List.of(new Partition("t", 0)));
    first.terminated.completeExceptionally(new ConnectionException("lost", true));
    await(() -> driver.sessions.size() == 2);
    first.context.partitionsRevoked(List.of(new Partition("t", 0))); // too late: that session is gone
    FakeDriver.FakeSession second = driver.session();
    second.context.partitionsAssigned(List.of(new Partition("t", 1)));
    second.onClose = () -> second.context.partitionsRevoked(List.of(new Partition("t", 1)));

    agent.close();

    assertThat(heard).containsExactly("assigned [t-0]", "assigned [t-1]", "revoked [t-1]");
  }

  @Test
  void reportsItsHealth() {
    AsyncAgent agent = builder().build();
    assertThat(agent.health().state()).isEqualTo(AgentState.NEW);
    assertThat(agent.health().isHealthy()).isFalse();

    agent.start();
    driver.session().context.polled();
    driver.session().context.lag(42);
    driver.session().offer(0, 1);
    await(() -> delivered.size() == 1);

    AgentHealth health = agent.health();
    assertThat(health.isHealthy()).isTrue();
    assertThat(health.lastAlive()).isPresent();
    assertThat(health.lastPoll()).isPresent();
    assertThat(health.lastDelivery()).isPresent();
    assertThat(health.lag()).hasValue(42);
    agent.close();
    assertThat(agent.health().isHealthy()).isFalse();
    assertThat(agent.health().lag()).isEmpty();
  }

  @Test
  void failsToStartWhenNotReadyWithinTheStartTimeout() {
    driver.readyOnConnect = false;
    AsyncAgent agent = builder().startTimeout(Duration.ofMillis(100)).build();

    assertThatThrownBy(agent::start)
        .isInstanceOf(AgentException.class)
        .hasMessage("agent 'orders' did not become ready within 100ms (startTimeout); is the cluster reachable?");
    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
    assertThat(driver.session().closes.get()).as("the session is released").isEqualTo(1);
  }

  @Test
  void failsToStartWhenTheDriverCannotConnect() {
    driver.failOnConnect = new IllegalArgumentException("bad property");
    AsyncAgent agent = builder().build();

    assertThatThrownBy(agent::start)
        .isInstanceOf(AgentException.class)
        .hasMessage("agent 'orders' failed to start: bad property")
        .hasCause(driver.failOnConnect);
    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
  }

  @Test
  void showsItsSettingsButNotItsSinksInToString() {
    AsyncAgent agent = builder().workers(4).timeout(Duration.ofMillis(150)).build();

    assertThat(agent).hasToString(
        "AsyncAgent{name=orders, state=NEW, topics=[t], driver=fake, sinks=1, workers=4, timeout=150ms}");
  }
}
