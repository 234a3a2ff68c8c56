package io.asyncagent.internal;

import static io.asyncagent.internal.DefaultDispatcherTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Header;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/** The agent's log lines: one per failed attempt, their MDC on whatever thread writes them, payloads at TRACE. */
class AgentLogsTest {
  private static final String OUTCOMES = AttemptOutcomes.class.getName();

  private final FakeDriver driver = new FakeDriver();
  /** Stands for an HTTP client's I/O thread: not the agent's, and with an MDC of its own. */
  private final ExecutorService clientThread = Executors.newSingleThreadExecutor(task -> new Thread(task, "client-io"));
  private final Queue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
  private final BackendSink answeredLater = event -> {
    CompletableFuture<Void> stage = new CompletableFuture<>();
    pending.add(stage);
    return stage;
  };
  private AsyncAgent agent;

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
    clientThread.shutdownNow();
  }

  /** Fails the next pending delivery from the client thread, as an HTTP client answering 503 would. */
  private void answer503FromTheClientThread(Duration retryAfter) {
    await(() -> !pending.isEmpty() && pending.peek().getNumberOfDependents() > 0); // the agent awaits it
    CompletableFuture<Void> stage = pending.poll();
    clientThread.execute(() -> stage.completeExceptionally(new DeliveryException("HTTP 503 from POST http://b/events",
        true, 503, retryAfter, null)));
  }

  @Test
  void theWarnLineOfAFailedDeliveryNamesItsCoordinatesInTheMdcOfTheThreadThatWritesItAndPutsBackWhatWasThere()
      throws Exception {
    clientThread.submit(() -> MDC.put("topic", "the client's own")).get();
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).sink(answeredLater).build();
    agent.start();

    try (LogCapture logs = LogCapture.start(Level.WARN)) {
      driver.session().offer(7, 1);
      answer503FromTheClientThread(null);
      await(() -> driver.session().processed.size() == 1);

      List<LogCapture.Line> lines = logs.lines(OUTCOMES);
      assertThat(lines).hasSize(1);
      LogCapture.Line line = lines.get(0);
      assertThat(line.level()).isEqualTo(Level.WARN);
      assertThat(line.message()).isEqualTo(
          "agent 'orders': delivery of t-0@7 failed (attempt 1); not retried (FailurePolicy.skip): HTTP 503 from POST "
              + "http://b/events");
      assertThat(line.thread()).isEqualTo("client-io");
      assertThat(line.mdc()).isEqualTo(Map.of("agent", "orders", "topic", "t", "partition", "0", "offset", "7"));
    }
    assertThat(clientThread.submit(MDC::getCopyOfContextMap).get()).isEqualTo(Map.of("topic", "the client's own"));
  }

  @Test
  void writesExactlyOneLinePerFailedAttemptSayingWhatFollows() {
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).sink(answeredLater)
        .onFailure(FailurePolicy.retry().maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build())
        .build();
    agent.start();

    try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
      driver.session().offer(3, 1);
      for (int attempt = 1; attempt <= 3; attempt++) {
        answer503FromTheClientThread(Duration.ofMillis(5));
      }
      await(() -> driver.session().processed.size() == 1);

      assertThat(logs.lines(OUTCOMES)).extracting(line -> line.level() + " " + line.message()).containsExactly(
          "WARN agent 'orders': delivery of t-0@3 failed (attempt 1); retrying in 5ms: HTTP 503 from POST "
              + "http://b/events",
          "WARN agent 'orders': delivery of t-0@3 failed (attempt 2); retrying in 5ms: HTTP 503 from POST "
              + "http://b/events",
          "ERROR agent 'orders': delivery of t-0@3 failed (attempt 3); gave up after 3 attempt(s), and there is no "
              + "dead-letter sink, so it is dropped: HTTP 503 from POST http://b/events");
      assertThat(logs.lines(OUTCOMES)).extracting(LogCapture.Line::mdc).containsOnly(
          Map.of("agent", "orders", "topic", "t", "partition", "0", "offset", "3"));
    }
  }

  @Test
  void lifecycleLinesCarryTheAgentsNameInTheMdcAndLeaveTheCallersMdcAsItWas() {
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver).sink(answeredLater).build();
    MDC.put("request", "r-1");
    try (LogCapture logs = LogCapture.start(Level.INFO)) {
      agent.start();
      agent.close();

      assertThat(logs.lines(Level.INFO, DefaultAsyncAgent.class.getName()))
          .extracting(LogCapture.Line::message)
          .containsExactly(
              "agent 'orders' starting: topics [t], driver fake, 1 sink(s), 1 worker(s), timeout 2s",
              "agent 'orders' running",
              "agent 'orders' stopping; waiting up to 30s for events in flight",
              "agent 'orders' stopped");
      assertThat(logs.lines(Level.INFO, DefaultAsyncAgent.class.getName())).extracting(LogCapture.Line::mdc)
          .containsOnly(Map.of("agent", "orders", "request", "r-1"));
      assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("request", "r-1"));
    } finally {
      MDC.remove("request");
    }
  }

  @Test
  void theAgentsThreadsCarryItsNameInTheMdcWhileTheyRun() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Thread thread = new AgentThreadFactory("orders", "poll").newThread(() -> seen.set(MDC.get("agent")));

    thread.start();
    thread.join();

    assertThat(seen.get()).isEqualTo("orders");
  }

  @Test
  void showsKeysAndBodiesOnlyAtTraceAndHeaderValuesNever() {
    agent = AsyncAgent.builder().name("orders").topics("t").driver(driver)
        .sink(event -> CompletableFuture.completedFuture(null)).build();
    agent.start();
    Event event = Event.builder("t", 0, 0).key("k1".getBytes(UTF_8)).body("{\"amount\":42}".getBytes(UTF_8))
        .header(Header.of("Authorization", "Bearer s3cr3t")).build();

    try (LogCapture logs = LogCapture.start(Level.TRACE)) {
      driver.session().dispatcher().offer(event, () -> {});
      await(() -> logs.lines(Level.TRACE, DefaultDispatcher.class.getName()).size()
          + logs.lines(Level.TRACE, OUTCOMES).size() == 2);

      assertThat(logs.lines("io.asyncagent")).extracting(LogCapture.Line::message)
          .noneMatch(message -> message.contains("s3cr3t"))
          .contains("agent 'orders': received t-0@0: key 'k1', body '{\"amount\":42}'",
              "agent 'orders': delivered t-0@0 on attempt 1: key 'k1', body '{\"amount\":42}'");
      assertThat(logs.lines("io.asyncagent")).filteredOn(line -> line.message().contains("amount"))
          .extracting(LogCapture.Line::level).containsOnly(Level.TRACE);
    }
  }
}
