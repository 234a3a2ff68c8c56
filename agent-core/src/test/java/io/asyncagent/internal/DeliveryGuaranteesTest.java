package io.asyncagent.internal;

import static io.asyncagent.internal.DefaultDispatcherTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.BackendSink;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Header;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ordering lanes, retries and dead letters in the dispatcher, with sinks written in the test. */
class DeliveryGuaranteesTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final FailurePolicy FAST_RETRIES = FailurePolicy.retry().maxAttempts(4)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);
  private final List<DefaultDispatcher> dispatchers = new ArrayList<>();
  private final Queue<Event> processed = new ConcurrentLinkedQueue<>();

  @AfterEach
  void shutDown() {
    dispatchers.forEach(DefaultDispatcher::shutdown);
    scheduler.shutdownNow();
    delays.shutdownNow();
  }

  private DefaultDispatcher dispatcher(int workers, Ordering ordering, FailurePolicy policy, BackendSink sink) {
    DefaultDispatcher dispatcher = new DefaultDispatcher("test", List.of(sink), workers, 10_000, Long.MAX_VALUE, 0,
        LONG, ordering, policy, Ticker.system(), scheduler, FakeDriver.guard("test", AgentListener.NONE),
        () -> {});
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private static Event event(int partition, long offset, String key) {
    return Event.builder("t", partition, offset).key(key == null ? null : key.getBytes(UTF_8))
        .body(("e" + offset).getBytes(UTF_8)).header(Header.of("h", "v")).build();
  }

  private Ticket offer(DefaultDispatcher dispatcher, Event event) {
    return dispatcher.offer(event, () -> processed.add(event)).orElseThrow();
  }

  /** A sink that takes 0-3 ms per event and records, per lane, what was in flight. */
  private final class LaneRecorder implements BackendSink {
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final Map<String, List<Long>> order = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    private final java.util.function.Function<Event, String> laneOf;

    LaneRecorder(java.util.function.Function<Event, String> laneOf) {
      this.laneOf = laneOf;
    }

    @Override
    public CompletableFuture<Void> deliver(Event event) {
      String lane = laneOf.apply(event);
      if (inFlight.computeIfAbsent(lane, any -> new AtomicInteger()).incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      order.computeIfAbsent(lane, any -> new CopyOnWriteArrayList<>()).add(event.offset());
      CompletableFuture<Void> done = new CompletableFuture<>();
      delays.schedule(() -> {
        inFlight.get(lane).decrementAndGet();
        concurrent.decrementAndGet();
        done.complete(null);
      }, event.offset() % 4, TimeUnit.MILLISECONDS);
      return done;
    }
  }

  @Test
  void keyOrderingDeliversEachKeyInOffsetOrderOneAtATimeWhileKeysRunInParallel() {
    LaneRecorder sink = new LaneRecorder(event -> event.keyAsString().orElseThrow());
    DefaultDispatcher dispatcher = dispatcher(8, Ordering.KEY, FailurePolicy.skip(), sink);

    for (long offset = 0; offset < 2_000; offset++) {
      offer(dispatcher, event(0, offset, "k" + offset % 20));
    }

    await(() -> processed.size() == 2_000);
    assertThat(sink.overlaps.get()).as("two events of one key in flight at once").isZero();
    assertThat(sink.peak.get()).as("keys in parallel").isEqualTo(8);
    sink.order.values().forEach(offsets -> assertThat(offsets).isSorted().hasSize(100));
  }

  @Test
  void keyOrderingLetsEventsWithoutAKeyGoInParallel() {
    LaneRecorder sink = new LaneRecorder(event -> "offset-" + event.offset());
    DefaultDispatcher dispatcher = dispatcher(4, Ordering.KEY, FailurePolicy.skip(), sink);

    for (long offset = 0; offset < 200; offset++) {
      offer(dispatcher, event(0, offset, null));
    }

    await(() -> processed.size() == 200);
    assertThat(sink.peak.get()).isEqualTo(4);
  }

  @Test
  void partitionOrderingDeliversEachPartitionOneAtATimeInOffsetOrder() {
    LaneRecorder sink = new LaneRecorder(event -> "p" + event.partition());
    DefaultDispatcher dispatcher = dispatcher(8, Ordering.PARTITION, FailurePolicy.skip(), sink);

    for (long offset = 0; offset < 300; offset++) {
      offer(dispatcher, event((int) (offset % 3), offset, "k" + offset));
    }

    await(() -> processed.size() == 300);
    assertThat(sink.overlaps.get()).isZero();
    assertThat(sink.peak.get()).as("one per partition").isEqualTo(3);
    sink.order.values().forEach(offsets -> assertThat(offsets).isSorted().hasSize(100));
  }

  @Test
  void retriesARetriableFailureInItsLaneUntilItSucceeds() {
    Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<Long> order = new CopyOnWriteArrayList<>();
    BackendSink flaky = event -> {
      int attempt = attempts.computeIfAbsent(event.offset(), any -> new AtomicInteger()).incrementAndGet();
      if (event.offset() % 10 == 0 && attempt <= 3) {
        return CompletableFuture.failedFuture(new DeliveryException("HTTP 503", true, 503, null));
      }
      order.add(event.offset());
      return CompletableFuture.completedFuture(null);
    };
    DefaultDispatcher dispatcher = dispatcher(4, Ordering.KEY, FAST_RETRIES, flaky);

    for (long offset = 0; offset < 100; offset++) {
      offer(dispatcher, event(0, offset, "same-key"));
    }

    await(() -> processed.size() == 100);
    assertThat(order).as("one key: offset order, retries included").isSorted().hasSize(100);
    assertThat(attempts.get(0L).get()).isEqualTo(4);
    assertThat(attempts.get(1L).get()).isEqualTo(1);
  }

  @Test
  void deadLettersAPermanentFailureAtOnceWithItsCoordinatesAndCause() {
    Queue<Event> letters = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    BackendSink rejecting = event -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new DeliveryException("HTTP 400 from POST http://h/e", false, 400, null));
    };
    FailurePolicy policy = FailurePolicy.retry().maxAttempts(4)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).deadLetterTo(event -> {
          letters.add(event);
          return CompletableFuture.completedFuture(null);
        }).build();
    DefaultDispatcher dispatcher = dispatcher(2, Ordering.UNORDERED, policy, rejecting);

    offer(dispatcher, Event.builder("orders", 3, 42).timestampMillis(1_700_000_000_000L)
        .key("k".getBytes(UTF_8)).body("b".getBytes(UTF_8)).header(Header.of("trace", "t1")).build());

    await(() -> processed.size() == 1);
    assertThat(calls.get()).as("a 400 is not retried").isEqualTo(1);
    Event letter = letters.poll();
    assertThat(letter).isNotNull();
    assertThat(letter.coordinates()).hasToString("orders-3@42");
    assertThat(letter.keyAsString()).contains("k");
    assertThat(letter.bodyAsString()).isEqualTo("b");
    assertThat(letter.headers()).containsExactly(
        Header.of("trace", "t1"),
        Header.of(DeadLetterHeaders.TOPIC, "orders"),
        Header.of(DeadLetterHeaders.PARTITION, "3"),
        Header.of(DeadLetterHeaders.OFFSET, "42"),
        Header.of(DeadLetterHeaders.TIMESTAMP, "1700000000000"),
        Header.of(DeadLetterHeaders.ATTEMPTS, "1"),
        Header.of(DeadLetterHeaders.STATUS, "400"),
        Header.of(DeadLetterHeaders.ERROR, "HTTP 400 from POST http://h/e"),
        Header.of(DeadLetterHeaders.EXCEPTION, DeliveryException.class.getName()));
  }

  @Test
  void deadLettersAfterTheLastAttemptAndRetriesAFailedDeadLetterWriteWithoutFinishing() {
    AtomicInteger deliveries = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();
    CompletableFuture<Void> letterTopicBack = new CompletableFuture<>();
    BackendSink down = event -> {
      deliveries.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
    };
    BackendSink letters = event -> {
      writes.incrementAndGet();
      return letterTopicBack.isDone() ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(new IllegalStateException("topic not authorised"));
    };
    DefaultDispatcher dispatcher = dispatcher(1, Ordering.UNORDERED, FailurePolicy.retry().maxAttempts(3)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).deadLetterTo(letters).build(), down);

    offer(dispatcher, event(0, 7, "k"));
    await(() -> writes.get() >= 5);

    assertThat(deliveries.get()).isEqualTo(3);
    assertThat(processed).as("not finished while the dead letter is not written").isEmpty();
    letterTopicBack.complete(null);
    await(() -> processed.size() == 1);
  }

  @Test
  void aRevokeWithdrawsAnEventWaitingForItsRetryAndItsLaneMovesOn() {
    AtomicInteger first = new AtomicInteger();
    Queue<Long> delivered = new ConcurrentLinkedQueue<>();
    BackendSink sink = event -> {
      if (event.offset() == 0) {
        first.incrementAndGet();
        return CompletableFuture.failedFuture(new DeliveryException("HTTP 503", true, 503, null));
      }
      delivered.add(event.offset());
      return CompletableFuture.completedFuture(null);
    };
    DefaultDispatcher dispatcher = dispatcher(2, Ordering.KEY, FailurePolicy.retry().maxAttempts(0)
        .backoff(Duration.ofMillis(200), Duration.ofMillis(200)).build(), sink);

    Ticket head = offer(dispatcher, event(0, 0, "k"));
    Ticket second = offer(dispatcher, event(0, 1, "k"));
    await(() -> ((DeliveryTask) head).state() == DeliveryTask.WAITING);

    // Newest first, as a revoke does: a lane that moves on finds only withdrawn events behind it.
    assertThat(second.cancel()).isTrue();
    assertThat(head.cancel()).as("waiting for its retry").isTrue();
    Ticket third = offer(dispatcher, event(0, 2, "k"));
    await(() -> delivered.contains(2L));
    assertThat(third).isNotNull();
    assertThat(delivered).containsExactly(2L);
    assertThat(processed).extracting(Event::offset).containsExactly(2L);
  }

  @Test
  void honoursRetryAfterUpToTheCap() {
    List<Long> attemptsAt = new CopyOnWriteArrayList<>();
    BackendSink busy = event -> {
      attemptsAt.add(System.nanoTime());
      return attemptsAt.size() == 1
          ? CompletableFuture.failedFuture(new DeliveryException("HTTP 429", true, 429, Duration.ofMillis(300), null))
          : CompletableFuture.completedFuture(null);
    };
    DefaultDispatcher dispatcher = dispatcher(1, Ordering.UNORDERED, FAST_RETRIES, busy);

    offer(dispatcher, event(0, 0, "k"));

    await(() -> processed.size() == 1);
    assertThat(Duration.ofNanos(attemptsAt.get(1) - attemptsAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
