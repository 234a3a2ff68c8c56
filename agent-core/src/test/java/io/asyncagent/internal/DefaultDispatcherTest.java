package io.asyncagent.internal;

import static io.asyncagent.internal.FakeDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultDispatcherTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final List<DefaultDispatcher> dispatchers = new ArrayList<>();
  private final Queue<Event> processed = new ConcurrentLinkedQueue<>();
  private final AtomicInteger delivered = new AtomicInteger();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void shutDown() {
    dispatchers.forEach(DefaultDispatcher::shutdown);
    scheduler.shutdownNow();
  }

  private DefaultDispatcher dispatcher(int workers, int buffer, Duration timeout, BackendSink... sinks) {
    return dispatcher(workers, buffer, Long.MAX_VALUE, 0, timeout, sinks);
  }

  private DefaultDispatcher dispatcher(int workers, int buffer, long maxBytes, double maxRate, Duration timeout,
      BackendSink... sinks) {
    return dispatcher(workers, buffer, maxBytes, maxRate, timeout, Ordering.UNORDERED, FailurePolicy.skip(), sinks);
  }

  DefaultDispatcher dispatcher(int workers, int buffer, long maxBytes, double maxRate, Duration timeout,
      Ordering ordering, FailurePolicy policy, BackendSink... sinks) {
    DefaultDispatcher dispatcher = new DefaultDispatcher("test", List.of(sinks), workers, buffer, maxBytes, maxRate,
        timeout, ordering, policy, Ticker.system(), scheduler, FakeDriver.guard("test", AgentListener.NONE),
        delivered::incrementAndGet);
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private Ticket offer(DefaultDispatcher dispatcher, long offset) {
    Event event = event(offset);
    return dispatcher.offer(event, () -> processed.add(event))
        .orElseThrow(() -> new AssertionError("refused offset " + offset));
  }

  @Test
  void deliversEveryOfferedEventOnceAndCallsBackOncePerEvent() {
    Queue<Long> delivered = new ConcurrentLinkedQueue<>();
    DefaultDispatcher dispatcher = dispatcher(4, 1000, LONG, event -> {
      delivered.add(event.offset());
      return CompletableFuture.completedFuture(null);
    });

    for (long offset = 0; offset < 1000; offset++) {
      offer(dispatcher, offset);
    }

    await(() -> processed.size() == 1000);
    assertThat(delivered).hasSize(1000).doesNotHaveDuplicates();
    assertThat(processed).extracting(Event::offset).doesNotHaveDuplicates();
    assertThat(dispatcher.admitted()).isZero();
  }

  @Test
  void neverHasMoreDeliveriesInFlightThanWorkersAndUsesThemAll() {
    Queue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    AtomicInteger current = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    DefaultDispatcher dispatcher = dispatcher(3, 100, LONG, event -> {
      peak.accumulateAndGet(current.incrementAndGet(), Math::max);
      CompletableFuture<Void> stage = new CompletableFuture<>();
      inFlight.add(stage);
      return stage.whenComplete((v, e) -> current.decrementAndGet());
    });

    for (long offset = 0; offset < 30; offset++) {
      offer(dispatcher, offset);
    }
    int completed = 0;
    while (completed < 30) {
      await(() -> !inFlight.isEmpty());
      assertThat(current.get()).isLessThanOrEqualTo(3);
      inFlight.poll().complete(null);
      completed++;
    }

    await(() -> processed.size() == 30);
    assertThat(peak.get()).isEqualTo(3);
  }

  @Test
  void refusesOffersBeyondWorkersPlusBufferAndSignalsWhenHalfIsFree() {
    Queue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    DefaultDispatcher dispatcher = dispatcher(2, 4, LONG, event -> {
      CompletableFuture<Void> stage = new CompletableFuture<>();
      inFlight.add(stage);
      return stage;
    });
    CountDownLatch signalled = new CountDownLatch(1);
    dispatcher.setCapacityListener(signalled::countDown);

    for (long offset = 0; offset < 6; offset++) {
      offer(dispatcher, offset);
    }
    assertThat(dispatcher.offer(event(6), () -> {})).isEmpty();
    assertThat(dispatcher.admitted()).isEqualTo(6);

    await(() -> inFlight.size() == 2);
    inFlight.poll().complete(null);
    inFlight.poll().complete(null);
    await(() -> inFlight.size() == 2);
    assertThat(signalled.getCount()).as("4 of 6 admitted: above the half mark").isEqualTo(1);
    inFlight.poll().complete(null);

    await(() -> signalled.getCount() == 0);
    assertThat(dispatcher.offer(event(6), () -> {})).isPresent();
  }

  @Test
  void failsADeliveryThatOutlivesTheTimeoutAndCancelsItsStage() {
    CompletableFuture<Void> never = new CompletableFuture<>();
    DefaultDispatcher dispatcher = dispatcher(1, 10, Duration.ofMillis(50), event -> never);

    offer(dispatcher, 0);

    await(() -> processed.size() == 1);
    assertThat(never).isCancelled();
    assertThat(dispatcher.admitted()).isZero();
  }

  @Test
  void aCompletionAfterTheTimeoutChangesNothing() {
    List<CompletableFuture<Void>> stages = new CopyOnWriteArrayList<>();
    DefaultDispatcher dispatcher = dispatcher(1, 10, Duration.ofMillis(50), event -> {
      CompletableFuture<Void> stage = new CompletableFuture<>();
      stages.add(stage);
      // A sink that ignores cancellation: the late completion must not call back a second time.
      return stage.thenApply(v -> v);
    });

    offer(dispatcher, 0);
    await(() -> processed.size() == 1);
    stages.get(0).complete(null);
    offer(dispatcher, 1);

    await(() -> processed.size() == 2);
    assertThat(processed).extracting(Event::offset).containsExactly(0L, 1L);
  }

  @Test
  void aSinkThatThrowsOrReturnsNullFailsOnlyThatEvent() {
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    DefaultDispatcher dispatcher = dispatcher(2, 10, LONG, event -> {
      if (event.offset() == 1) {
        throw new IllegalStateException("boom");
      }
      if (event.offset() == 2) {
        return null;
      }
      delivered.add(event.offset());
      return CompletableFuture.completedFuture(null);
    });

    for (long offset = 0; offset < 5; offset++) {
      offer(dispatcher, offset);
    }

    await(() -> processed.size() == 5);
    assertThat(delivered).containsExactlyInAnyOrder(0L, 3L, 4L);
  }

  @Test
  void aCancelledTicketIsNeverDeliveredAndFreesItsPlace() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    DefaultDispatcher dispatcher = dispatcher(1, 2, LONG, event -> {
      delivered.add(event.offset());
      return gate;
    });

    Ticket first = offer(dispatcher, 0);
    await(() -> delivered.contains(0L));
    Ticket second = offer(dispatcher, 1);

    assertThat(second.cancel()).isTrue();
    assertThat(first.cancel()).as("already started").isFalse();
    assertThat(dispatcher.admitted()).isEqualTo(1);
    gate.complete(null);

    await(() -> processed.size() == 1);
    assertThat(delivered).containsExactly(0L);
    assertThat(processed).extracting(Event::offset).containsExactly(0L);
  }

  @Test
  void anEventSucceedsOnlyOnceEverySinkIsDone() {
    CompletableFuture<Void> slow = new CompletableFuture<>();
    AtomicInteger fastCalls = new AtomicInteger();
    DefaultDispatcher dispatcher = dispatcher(1, 1, LONG,
        event -> {
          fastCalls.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        },
        event -> slow);

    offer(dispatcher, 0);
    await(() -> fastCalls.get() == 1);
    assertThat(processed).isEmpty();
    slow.completeExceptionally(new DeliveryException("HTTP 503", true, 503, null));

    await(() -> processed.size() == 1);
  }

  @Test
  void runsBlockingSinksOnTheAgentsBlockingThreads() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    DefaultDispatcher dispatcher = dispatcher(2, 10, LONG,
        BackendSink.blocking(event -> threads.add(Thread.currentThread().getName())));

    for (long offset = 0; offset < 10; offset++) {
      offer(dispatcher, offset);
    }

    await(() -> processed.size() == 10);
    assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith("asyncagent-test-blocking"));
  }

  @Test
  void refusesEverythingAfterShutdown() {
    DefaultDispatcher dispatcher = dispatcher(1, 1, LONG, event -> CompletableFuture.completedFuture(null));
    dispatcher.shutdown();

    Optional<Ticket> ticket = dispatcher.offer(event(0), () -> {});

    assertThat(ticket).isEmpty();
  }

  @Test
  void countsOnlySuccessfulDeliveriesAsDelivered() {
    DefaultDispatcher dispatcher = dispatcher(2, 10, LONG, event -> event.offset() % 2 == 0
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new DeliveryException("HTTP 500", true, 500, null)));

    for (long offset = 0; offset < 6; offset++) {
      offer(dispatcher, offset);
    }

    await(() -> processed.size() == 6);
    assertThat(delivered.get()).isEqualTo(3);
  }

  @Test
  void refusesOffersBeyondTheByteCapButAdmitsALoneEventLargerThanIt() {
    Queue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    DefaultDispatcher dispatcher = dispatcher(10, 10, 100, 0, LONG, event -> {
      CompletableFuture<Void> stage = new CompletableFuture<>();
      inFlight.add(stage);
      return stage;
    });
    Event sixty = Event.builder("t", 0, 0).body(new byte[60]).build();
    Event fifty = Event.builder("t", 0, 1).body(new byte[50]).build();
    Event huge = Event.builder("t", 0, 2).body(new byte[500]).build();

    assertThat(dispatcher.offer(sixty, () -> {})).isPresent();
    assertThat(dispatcher.offer(fifty, () -> {})).as("60 + 50 > 100").isEmpty();
    assertThat(dispatcher.admittedBytes()).isEqualTo(60);
    await(() -> inFlight.size() == 1);
    inFlight.poll().complete(null);
    await(() -> dispatcher.admittedBytes() == 0);

    assertThat(dispatcher.offer(huge, () -> {})).as("alone, though larger than the cap").isPresent();
    assertThat(dispatcher.offer(fifty, () -> {})).isEmpty();
    assertThat(dispatcher.admittedBytes()).isEqualTo(500);
  }

  @Test
  void startsNoMoreEventsThanTheRateAllows() {
    Queue<Long> startedAt = new ConcurrentLinkedQueue<>();
    DefaultDispatcher dispatcher = dispatcher(8, 100, Long.MAX_VALUE, 10, LONG, event -> {
      startedAt.add(System.nanoTime());
      return CompletableFuture.completedFuture(null);
    });

    long begun = System.nanoTime();
    for (long offset = 0; offset < 15; offset++) {
      offer(dispatcher, offset);
    }
    await(() -> processed.size() == 15);

    // A full bucket of 10 goes at once; the 5 others need 5 refills at 10/s: at least 0.5 s in all.
    assertThat(startedAt.stream().mapToLong(t -> t).max().orElseThrow() - begun)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
