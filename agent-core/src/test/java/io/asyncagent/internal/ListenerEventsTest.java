package io.asyncagent.internal;

import static io.asyncagent.internal.DefaultDispatcherTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryException;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What an {@link AgentListener} hears of each event, in order, with a fake driver and sinks of the test's. */
class ListenerEventsTest {
  private static final BackendSink OK = event -> CompletableFuture.completedFuture(null);
  private static final DeliveryException HTTP_503 = new DeliveryException("HTTP 503", true, 503, null);

  private final FakeDriver driver = new FakeDriver();
  private final RecordingListener recorder = new RecordingListener();
  private AsyncAgent agent;

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
  }

  private AsyncAgent start(BackendSink sink, FailurePolicy policy, AgentListener listener) {
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).sink(sink).onFailure(policy)
        .listener(listener).build();
    agent.start();
    return agent;
  }

  /** A sink that fails the first {@code failures} attempts of every event with {@code failure}. */
  private static BackendSink failingFirst(int failures, Throwable failure) {
    Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    return event -> attempts.computeIfAbsent(event.offset(), any -> new AtomicInteger()).incrementAndGet() <= failures
        ? CompletableFuture.failedFuture(failure)
        : CompletableFuture.completedFuture(null);
  }

  @Test
  void aDeliveredEventIsReceivedThenDeliveredOnItsFirstAttemptBeforeTheDriverHearsOfIt() {
    Queue<Boolean> driverToldBeforeDelivered = new ConcurrentLinkedQueue<>();
    RecordingListener listener = new RecordingListener() {
      @Override
      public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
        driverToldBeforeDelivered.add(!driver.session().processed.isEmpty());
        super.delivered(agent, attempt);
      }
    };
    start(OK, FailurePolicy.skip(), listener);

    driver.session().offer(0, 1);
    await(() -> driver.session().processed.size() == 1);

    assertThat(listener.calls).containsExactly("started orders", "received t-0@0", "delivered t-0@0 #1");
    assertThat(driverToldBeforeDelivered).containsExactly(false);
    assertThat(listener.threads.get("started orders")).isEqualTo(Thread.currentThread().getName());
    assertThat(listener.threads.get("received t-0@0")).isEqualTo("asyncagent-orders-dispatch");
    assertThat(listener.attempts.get(0).event().offset()).isZero();
    assertThat(listener.attempts.get(0).took()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aRetriedEventHearsTheFailureTheScheduledRetryAndTheDeliveryOfTheSecondAttempt() {
    start(failingFirst(1, HTTP_503), FailurePolicy.retry().maxAttempts(3)
        .backoff(Duration.ofMillis(2), Duration.ofMillis(2)).build(), recorder);

    driver.session().offer(0, 1);
    await(() -> driver.session().processed.size() == 1);

    assertThat(recorder.calls).containsExactly(
        "started orders",
        "received t-0@0",
        "failed t-0@0 #1 STATUS 503 RETRY",
        "retryScheduled t-0@0 #2",
        "delivered t-0@0 #2");
    assertThat(recorder.delays).singleElement().satisfies(delay -> assertThat(delay)
        .as("equal jitter of 2ms").isBetween(Duration.ofMillis(1), Duration.ofMillis(2)));
    assertThat(recorder.threads.get("retryScheduled t-0@0 #2")).isEqualTo(recorder.threads.get(
        "failed t-0@0 #1 STATUS 503 RETRY"));
  }

  @Test
  void anEventGivenUpOnIsDeadLetteredAfterItsLastFailedAttemptAndOnlyThenIsDone() {
    Queue<Event> letters = new ConcurrentLinkedQueue<>();
    Queue<Boolean> doneBeforeDeadLettered = new ConcurrentLinkedQueue<>();
    RecordingListener listener = new RecordingListener() {
      @Override
      public void deadLettered(AsyncAgent agent, Event event, DeliveryFailure failure) {
        doneBeforeDeadLettered.add(!driver.session().processed.isEmpty());
        super.deadLettered(agent, event, failure);
      }
    };
    start(failingFirst(Integer.MAX_VALUE, HTTP_503), FailurePolicy.retry().maxAttempts(2)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).deadLetterTo(event -> {
          letters.add(event);
          return CompletableFuture.completedFuture(null);
        }).build(), listener);

    driver.session().offer(0, 1);
    await(() -> driver.session().processed.size() == 1);

    assertThat(listener.calls).containsExactly(
        "started orders",
        "received t-0@0",
        "failed t-0@0 #1 STATUS 503 RETRY",
        "retryScheduled t-0@0 #2",
        "failed t-0@0 #2 STATUS 503 DEAD_LETTER",
        "deadLettered t-0@0 STATUS");
    assertThat(doneBeforeDeadLettered).containsExactly(false);
    assertThat(letters).hasSize(1);
  }

  @Test
  void aPermanentFailureWithoutADeadLetterSinkIsDroppedAtOnce() {
    start(failingFirst(Integer.MAX_VALUE, new DeliveryException("HTTP 400", false, 400, null)),
        FailurePolicy.retry().maxAttempts(5).build(), recorder);

    driver.session().offer(0, 1);
    await(() -> driver.session().processed.size() == 1);

    assertThat(recorder.calls).containsExactly("started orders", "received t-0@0", "failed t-0@0 #1 STATUS 400 DROP");
  }

  @Test
  void inKrakendModeTheFailedAttemptIsTheEventsLastCallAndSaysItIsSkipped() {
    CompletableFuture<Void> never = new CompletableFuture<>();
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).timeout(Duration.ofMillis(50))
        .sink(event -> event.offset() == 0 ? CompletableFuture.failedFuture(HTTP_503)
            : event.offset() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("boom")) : never)
        .listener(recorder).build();
    agent.start();

    for (int offset = 0; offset < 3; offset++) {
      driver.session().offer(offset, 1);
      int done = offset + 1;
      await(() -> driver.session().processed.size() == done);
    }

    assertThat(recorder.calls).containsExactly(
        "started orders",
        "received t-0@0", "failed t-0@0 #1 STATUS 503 SKIP",
        "received t-0@1", "failed t-0@1 #1 EXCEPTION SKIP",
        "received t-0@2", "failed t-0@2 #1 TIMEOUT SKIP");
    assertThat(recorder.attempts.get(2).took()).as("the timed-out attempt").isGreaterThanOrEqualTo(
        Duration.ofMillis(50));
    assertThat(recorder.threads.get("failed t-0@2 #1 TIMEOUT SKIP")).isEqualTo("asyncagent-orders-scheduler");
    assertThat(never).isCancelled();
  }

  @Test
  void hearsCommitsOnTheDispatchThreadAndNotOnTheThreadOfTheDriverThatReportsThem() throws Exception {
    start(OK, FailurePolicy.skip(), recorder);
    FakeDriver.FakeSession session = driver.session();

    Thread poll = session.context.threadFactory("poll").newThread(() -> {
      session.context.committed(new Partition("t", 0), 10);
      session.context.committed(new Partition("t", 1), 3);
    });
    poll.start();
    poll.join();
    await(() -> recorder.calls.size() == 3);

    assertThat(recorder.calls).containsExactly("started orders", "committed t-0 10", "committed t-1 3");
    assertThat(recorder.threads.get("committed t-0 10")).isEqualTo("asyncagent-orders-dispatch");
  }

  @Test
  void doesNotHearCommitsOfASessionThatHasEnded() {
    start(OK, FailurePolicy.skip(), recorder);
    FakeDriver.FakeSession first = driver.session();
    first.terminated.completeExceptionally(new io.asyncagent.ConnectionException("lost", true));
    await(() -> driver.sessions.size() == 2);

    first.context.committed(new Partition("t", 0), 10);
    driver.session().context.committed(new Partition("t", 0), 12);
    await(() -> recorder.calls.size() == 2);

    assertThat(recorder.calls).containsExactly("started orders", "committed t-0 12");
  }

  /** Throws from every per-event method. */
  static final class Thrower implements AgentListener {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void received(AsyncAgent agent, Event event) {
      calls.incrementAndGet();
      throw new IllegalStateException("listener bug in received");
    }

    @Override
    public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
      calls.incrementAndGet();
      throw new IllegalStateException("listener bug in delivered");
    }
  }

  @Test
  void aListenerThatThrowsIsLoggedOnceAtWarnPerMethodAndTheAgentCarriesOn() {
    Thrower thrower = new Thrower();
    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      start(OK, FailurePolicy.skip(), thrower);

      driver.session().offer(0, 3);
      await(() -> driver.session().processed.size() == 3);

      List<LogCapture.Line> warnings = logs.lines(Level.WARN, ListenerGuard.class.getName());
      assertThat(warnings).extracting(LogCapture.Line::message).containsExactly(
          "agent 'orders': listener " + Thrower.class.getName() + ".received threw; ignored (later throws of received"
              + " are logged at DEBUG)",
          "agent 'orders': listener " + Thrower.class.getName() + ".delivered threw; ignored (later throws of "
              + "delivered are logged at DEBUG)");
      assertThat(warnings).extracting(line -> line.throwable().getMessage())
          .containsExactly("listener bug in received", "listener bug in delivered");
      assertThat(warnings.get(0).mdc()).containsEntry("offset", "0");
      assertThat(logs.lines(Level.DEBUG, ListenerGuard.class.getName())).hasSize(4);
    }
    assertThat(thrower.calls.get()).isEqualTo(6);
    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
  }

  @Test
  void aCompositeGuardsEachMemberSoOneThatThrowsDoesNotSilenceTheOthers() {
    start(OK, FailurePolicy.skip(), AgentListener.composite(new Thrower(), recorder));

    driver.session().offer(0, 2);
    await(() -> recorder.calls.size() == 5);

    assertThat(recorder.calls).containsExactlyInAnyOrder("started orders", "received t-0@0", "delivered t-0@0 #1",
        "received t-0@1", "delivered t-0@1 #1");
  }

  @Test
  void aCompositeOfNoneIsNoneAndOfOneIsThatOne() {
    assertThat(AgentListener.composite()).isSameAs(AgentListener.NONE);
    assertThat(AgentListener.composite(AgentListener.NONE, recorder)).isSameAs(recorder);
    AgentListener nested = AgentListener.composite(recorder, AgentListener.composite(new Thrower(), recorder));
    assertThat(nested).hasToString("AgentListener.composite[" + RecordingListener.class.getName() + ", "
        + Thrower.class.getName() + ", " + RecordingListener.class.getName() + "]");
  }

  @Test
  void reportsTheEventsInFlightInItsHealth() {
    CompletableFuture<Void> pending = new CompletableFuture<>();
    start(event -> pending, FailurePolicy.skip(), AgentListener.NONE);

    driver.session().offer(0, 3);
    await(() -> agent.health().inFlightEvents() == 1);

    assertThat(agent.health().bufferedEvents()).isEqualTo(3);
    pending.complete(null);
    await(() -> driver.session().processed.size() == 3);
    assertThat(agent.health().inFlightEvents()).isZero();
  }
}
