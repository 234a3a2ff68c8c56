package io.asyncagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackoffStrategy;
import io.asyncagent.ConnectionException;
import io.asyncagent.ConnectionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The reconnect loop on virtual time: every wait is the formula's, and nothing sleeps. */
class SessionSupervisorTest {
  private final ManualScheduler time = new ManualScheduler();
  private final List<FakeDriver.FakeSession> sessions = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectedCalls = new AtomicInteger();
  private final AtomicReference<Throwable> gaveUp = new AtomicReference<>();
  private final long t0 = time.nanos();

  private final AgentListener recorder = new AgentListener() {
    @Override
    public void connecting(AsyncAgent agent, int attempt) {
      events.add(at() + " connecting " + attempt);
    }

    @Override
    public void connected(AsyncAgent agent, int attempt) {
      events.add(at() + " connected " + attempt);
    }

    @Override
    public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
      events.add(at() + " lost " + attempt + " retry " + retryIn.map(d -> d.toMillis() + "ms").orElse("never"));
    }
  };

  private String at() {
    return "t+" + (time.nanos() - t0) / 1_000_000 + "ms";
  }

  private SessionSupervisor supervisor(ConnectionPolicy policy) {
    AsyncAgent agent = AsyncAgent.builder().name("a").topics("t").driver(new FakeDriver())
        .sink(event -> CompletableFuture.completedFuture(null)).build();
    return new SessionSupervisor("a", "fake", policy, time, time, new ListenerGuard(agent, recorder),
        attempt -> null, context -> {
          FakeDriver.FakeSession session = new FakeDriver.FakeSession(null);
          sessions.add(session);
          return session;
        },
        connectedCalls::incrementAndGet, () -> {}, gaveUp::set);
  }

  private void failLatest(Throwable cause) {
    sessions.get(sessions.size() - 1).terminated.completeExceptionally(cause);
  }

  @Test
  void givesUpAfterMaxRetriesPlusOneAttemptsWaitingTheFormulasDelays() {
    SessionSupervisor supervisor = supervisor(
        ConnectionPolicy.builder().maxRetries(2).backoff(BackoffStrategy.EXPONENTIAL).build());

    supervisor.start();
    failLatest(new ConnectionException("cluster unreachable", true));
    time.advance(Duration.ofSeconds(2));
    failLatest(new ConnectionException("cluster unreachable", true));
    time.advance(Duration.ofSeconds(4));
    failLatest(new ConnectionException("cluster unreachable", true));
    time.advance(Duration.ofMinutes(10));

    assertThat(events).containsExactly(
        "t+0ms connecting 0", "t+0ms lost 0 retry 2000ms",
        "t+2000ms connecting 1", "t+2000ms lost 1 retry 4000ms",
        "t+6000ms connecting 2", "t+6000ms lost 2 retry never");
    assertThat(sessions).hasSize(3);
    assertThat(gaveUp.get()).isInstanceOf(ConnectionException.class)
        .hasMessage("gave up after 3 connection attempt(s) in a row (connection.maxRetries 2); the last failed "
            + "with: cluster unreachable");
  }

  @Test
  void capsTheBackoffAtMaxBackoff() {
    SessionSupervisor supervisor = supervisor(ConnectionPolicy.builder().backoff(BackoffStrategy.EXPONENTIAL)
        .maxBackoff(Duration.ofSeconds(3)).build());

    supervisor.start();
    for (int i = 0; i < 4; i++) {
      failLatest(new ConnectionException("down", true));
      time.advance(Duration.ofSeconds(3));
    }

    assertThat(events).filteredOn(e -> e.contains("lost"))
        .containsExactly("t+0ms lost 0 retry 2000ms", "t+3000ms lost 1 retry 3000ms", "t+6000ms lost 2 retry 3000ms",
            "t+9000ms lost 3 retry 3000ms");
    assertThat(gaveUp.get()).as("unlimited retries").isNull();
  }

  @Test
  void aSessionThatRanLongerThanFiveSecondsStartsTheCountAgain() {
    SessionSupervisor supervisor = supervisor(ConnectionPolicy.builder().maxRetries(1).build());

    supervisor.start();
    failLatest(new ConnectionException("down", true));
    time.advance(Duration.ofSeconds(1));
    sessions.get(1).ready.complete(null);
    time.advance(Duration.ofSeconds(6));
    failLatest(new ConnectionException("lost after a long run", true));
    time.advance(Duration.ofSeconds(1));
    failLatest(new ConnectionException("down again", true));

    assertThat(events).containsExactly(
        "t+0ms connecting 0", "t+0ms lost 0 retry 1000ms",
        "t+1000ms connecting 1", "t+1000ms connected 1",
        "t+7000ms lost 1 retry 1000ms",
        "t+8000ms connecting 1", "t+8000ms lost 1 retry never");
    assertThat(connectedCalls.get()).isEqualTo(1);
    assertThat(gaveUp.get()).hasMessageContaining("gave up after 2 connection attempt(s) in a row");
  }

  @Test
  void aFailureThatIsNotRetriableGivesUpAtOnce() {
    SessionSupervisor supervisor = supervisor(ConnectionPolicy.defaults());
    ConnectionException refused = new ConnectionException("authentication failed", false);

    supervisor.start();
    failLatest(refused);
    time.advance(Duration.ofMinutes(1));

    assertThat(events).containsExactly("t+0ms connecting 0", "t+0ms lost 0 retry never");
    assertThat(gaveUp.get()).isSameAs(refused);
  }

  @Test
  void stoppingCancelsThePendingAttemptAndClosesTheSession() {
    SessionSupervisor supervisor = supervisor(ConnectionPolicy.defaults());
    supervisor.start();
    failLatest(new ConnectionException("down", true));
    time.advance(Duration.ofSeconds(1));
    failLatest(new ConnectionException("down", true));

    supervisor.stop(Duration.ofSeconds(5));
    time.advance(Duration.ofMinutes(1));

    assertThat(sessions).hasSize(2);
    assertThat(time.nextDue()).isEmpty();
  }

  @Test
  void ignoresWhatASessionThatIsNoLongerCurrentReports() {
    SessionSupervisor supervisor = supervisor(ConnectionPolicy.defaults());
    supervisor.start();
    FakeDriver.FakeSession first = sessions.get(0);
    first.terminated.completeExceptionally(new ConnectionException("down", true));
    time.advance(Duration.ofSeconds(1));

    first.ready.complete(null); // late news from the dead session

    assertThat(supervisor.isCurrent(0)).isFalse();
    assertThat(supervisor.isCurrent(1)).isTrue();
    assertThat(connectedCalls.get()).isZero();
    List<String> connected = new ArrayList<>(events);
    connected.removeIf(e -> !e.contains("connected"));
    assertThat(connected).isEmpty();
  }
}
