package io.asyncagent.internal;

import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryTimeoutException;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.Ticket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * How an event moves through here.
 *
 * The driver's poll thread offers an event; Admission bounds how many events and bytes are taken in, and
 * wakes the driver when there is room again, so the poll thread never blocks.
 *
 * Admitted events wait in a queue. One drain loop, run on the single dispatch thread and never on the
 * caller's, takes a token from the rate bucket when there is one (max_rate), moves the events into free
 * worker slots and starts their delivery. Without a token it schedules itself for when one is due and
 * returns: nothing here ever sleeps. The work-in-progress counter
 * makes concurrent requests for a drain collapse into one pass of the running loop. Sinks are
 * asynchronous, so a slot is held by a pending stage, not by a thread; blocking sinks are started on a
 * pool of `workers` threads instead.
 *
 * The listener hears of an admitted event on the dispatch thread, not on the poll thread that offered it:
 * the offer puts it on an arrivals queue before the ready queue, and the drain loop announces arrivals at
 * the top of each pass and before starting an event not yet announced — so `received` always precedes the
 * event's first attempt, and a slow listener can never stall the poll loop.
 *
 * Each slot records its task and the task's deadline. A sweeper scans the slots a few times per timeout
 * and fails what has overrun; scanning `workers` slots is cheaper than a timer per event. A completion
 * racing a timeout is settled by the task's compare-and-set: exactly one of them frees the slot, reports
 * the outcome and calls the driver back.
 */
/** The agent's {@link Dispatcher}: admission, worker slots, timeouts. */
public final class DefaultDispatcher implements Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(DefaultDispatcher.class);
  private static final long SHUTDOWN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String agentName;
  private final BackendSink[] sinks;
  private final Duration timeout;
  private final long timeoutNanos;
  private final Ticker ticker;
  private final TokenBucket rate; // null: no limit
  private final ListenerGuard listener;

  private final Admission admission;
  private final ReadyQueue ready;
  private final Queue<DeliveryTask> arrivals = new ConcurrentLinkedQueue<>();
  private final AttemptOutcomes outcomes;
  private final AtomicReferenceArray<DeliveryTask> slots;
  private final AtomicInteger freeSlots;
  private int cursor; // only the drain loop touches it
  private DeliveryTask waitingForToken; // only the drain loop touches it
  private boolean tokenWakeUpScheduled; // only the drain loop touches it
  private final AtomicInteger drainRequests = new AtomicInteger();

  private final ExecutorService dispatchThread;
  private volatile Thread dispatchThreadItself;
  private final ExecutorService blockingPool; // null when no sink blocks
  private final ScheduledExecutorService scheduler; // the agent's; not shut down here
  private final ScheduledFuture<?> sweeper;

  private volatile boolean shutdown;

  /**
   * Creates a dispatcher and starts its threads.
   *
   * @param workers deliveries in flight at once
   * @param bufferSize admitted events that may wait beyond those in flight
   * @param maxBytes the cap on the bytes of admitted events
   * @param maxRate events started per second, 0 for no limit
   * @param ordering which events are kept in order
   * @param failurePolicy what follows a failed attempt
   * @param scheduler the agent's scheduler thread, for timeouts, retries and rate wake-ups
   * @param listener hears of each event's arrival and of each attempt's outcome
   * @param onDelivered runs after each event that every sink took
   */
  DefaultDispatcher(String agentName, List<BackendSink> sinks, int workers, int bufferSize, long maxBytes,
      double maxRate, Duration timeout, Ordering ordering, FailurePolicy failurePolicy, Ticker ticker,
      ScheduledExecutorService scheduler, ListenerGuard listener, Runnable onDelivered) {
    this.agentName = agentName;
    this.sinks = sinks.toArray(new BackendSink[0]);
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.ticker = ticker;
    this.rate = maxRate > 0 ? new TokenBucket(maxRate, ticker.nanos()) : null;
    this.listener = listener;
    this.admission = new Admission(agentName, workers + bufferSize, maxBytes);
    this.ready = ReadyQueue.of(ordering);
    this.outcomes = new AttemptOutcomes(agentName, failurePolicy, timeout, scheduler, ticker, ready, listener,
        onDelivered, this::requestDrain, this::finish);
    this.slots = new AtomicReferenceArray<>(workers);
    this.freeSlots = new AtomicInteger(workers);
    ThreadFactory dispatchThreads = new AgentThreadFactory(agentName, "dispatch");
    this.dispatchThread = Executors.newSingleThreadExecutor(task -> {
      Thread thread = dispatchThreads.newThread(task);
      dispatchThreadItself = thread;
      return thread;
    });
    this.blockingPool = sinks.stream().anyMatch(BlockingSinkAdapter.class::isInstance)
        ? Executors.newFixedThreadPool(workers, new AgentThreadFactory(agentName, "blocking"))
        : null;
    this.scheduler = scheduler;
    long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(50),
        timeoutNanos / 20));
    this.sweeper = scheduler.scheduleAtFixedRate(this::sweepTimeouts, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<Ticket> offer(Event event, Runnable onProcessed) {
    if (shutdown) {
      return Optional.empty();
    }
    if (!admission.tryAdmit(event.byteSize())) {
      return Optional.empty();
    }
    DeliveryTask task = new DeliveryTask(event, onProcessed, this);
    if (listener.hears() || log.isTraceEnabled()) {
      arrivals.add(task); // before the ready queue: see the design note
    } else {
      task.announced = true;
    }
    ready.add(task);
    requestDrain();
    return Optional.of(task);
  }

  @Override
  public int capacity() {
    return admission.capacity();
  }

  @Override
  public void setCapacityListener(Runnable listener) {
    admission.setCapacityListener(listener);
  }

  /** Returns how many events are admitted and not yet processed: queued plus in flight. */
  public int admitted() {
    return admission.events();
  }

  /** Returns the bytes of the events admitted and not yet processed. */
  public long admittedBytes() {
    return admission.bytes();
  }

  /** Returns how many events have a delivery attempt in flight: the worker slots taken. */
  public int inFlight() {
    return slots.length() - freeSlots.get();
  }

  /**
   * Runs a listener call on the dispatch thread, after what is already queued there: how the agent hears
   * the poll thread's news without running user code on it. Dropped once the dispatcher is shut down.
   */
  void callOnDispatchThread(Runnable call) {
    try {
      dispatchThread.execute(call);
    } catch (RejectedExecutionException afterShutdown) {
      // The agent has stopped; its listener hears no more.
    }
  }

  /**
   * Stops the dispatcher's threads. Deliveries still in flight are abandoned; blocking ones interrupted.
   * Listener calls already queued on the dispatch thread still run: waits up to a second for them.
   */
  public void shutdown() {
    shutdown = true;
    sweeper.cancel(false);
    dispatchThread.shutdown();
    if (blockingPool != null) {
      blockingPool.shutdownNow();
    }
    if (Thread.currentThread() != dispatchThreadItself) {
      try {
        dispatchThread.awaitTermination(SHUTDOWN_WAIT_NANOS, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void requestDrain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    try {
      dispatchThread.execute(this::drain);
    } catch (RejectedExecutionException afterShutdown) {
      // Shut down: nothing more is delivered, and the driver has stopped waiting for it.
    }
  }

  private void drain() {
    int requests = drainRequests.get();
    do {
      announceArrivals();
      while (!shutdown && freeSlots.get() > 0) {
        DeliveryTask task = waitingForToken != null ? waitingForToken : ready.poll();
        if (task == null) {
          break;
        }
        if (rate != null && !rate.tryTake(ticker.nanos())) {
          waitingForToken = task;
          scheduleTokenWakeUp();
          break;
        }
        waitingForToken = null;
        int attempt = task.tryStart();
        if (attempt == 0) {
          ready.finished(task); // cancelled while queued: its lane moves on
        } else {
          if (!task.announced) {
            announceArrivals(); // it arrived after this pass began; it is in the queue
          }
          start(task, attempt);
        }
      }
      requests = drainRequests.addAndGet(-requests);
    } while (requests != 0);
  }

  private void announceArrivals() {
    for (DeliveryTask task = arrivals.poll(); task != null; task = arrivals.poll()) {
      task.announced = true;
      listener.received(task.event);
      if (log.isTraceEnabled()) {
        LogContext mdc = LogContext.event(agentName, task.event.coordinates());
        try {
          log.trace("agent '{}': received {}: {}", agentName, task.event.coordinates(), LogContext.payload(task.event));
        } finally {
          mdc.restore();
        }
      }
    }
  }

  private void scheduleTokenWakeUp() {
    if (tokenWakeUpScheduled) {
      return;
    }
    tokenWakeUpScheduled = true;
    try {
      scheduler.schedule(() -> dispatchThread.execute(() -> {
        tokenWakeUpScheduled = false;
        requestDrain();
      }), Math.max(1, rate.nanosUntilToken(ticker.nanos())), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException afterShutdown) {
      // Shut down: nothing more is delivered.
    }
  }

  private void start(DeliveryTask task, int attempt) {
    freeSlots.decrementAndGet();
    while (slots.get(cursor) != null) {
      cursor = (cursor + 1) % slots.length();
    }
    task.slot = cursor;
    task.startedAt = ticker.nanos();
    task.deadline = task.startedAt + timeoutNanos;
    slots.set(cursor, task);
    if (blockingPool == null) {
      deliver(task, attempt);
    } else {
      blockingPool.execute(() -> task.runBlocking(attempt, () -> deliver(task, attempt)));
    }
  }

  private void deliver(DeliveryTask task, int attempt) {
    int count = sinks.length;
    CompletionStage<?>[] stages = new CompletionStage<?>[count];
    task.pending = stages;
    if (count == 1) {
      CompletionStage<Void> stage = SinkGuard.deliver(sinks[0], task.event);
      stages[0] = stage;
      stage.whenComplete((ignored, failure) -> complete(task, attempt, failure));
      return;
    }
    AtomicInteger remaining = new AtomicInteger(count);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    for (int i = 0; i < count; i++) {
      CompletionStage<Void> stage = SinkGuard.deliver(sinks[i], task.event);
      stages[i] = stage;
      stage.whenComplete((ignored, failure) -> {
        if (failure != null && !firstFailure.compareAndSet(null, failure)) {
          firstFailure.get().addSuppressed(failure);
        }
        if (remaining.decrementAndGet() == 0) {
          complete(task, attempt, firstFailure.get());
        }
      });
    }
  }

  private void complete(DeliveryTask task, int attempt, Throwable failure) {
    if (!task.trySettle(attempt)) {
      return; // timed out first; that outcome stands
    }
    freeSlot(task);
    if (failure == null) {
      outcomes.succeeded(task);
    } else {
      outcomes.failed(task, SinkGuard.unwrap(failure));
    }
    requestDrain();
  }

  private void sweepTimeouts() {
    long now = ticker.nanos();
    for (int i = 0; i < slots.length(); i++) {
      DeliveryTask task = slots.get(i);
      if (task != null && now - task.deadline >= 0 && task.trySettle(task.attempt())) {
        freeSlot(task);
        CompletionStage<?>[] stages = task.pending;
        if (stages != null) {
          for (CompletionStage<?> stage : stages) {
            if (stage != null) {
              SinkGuard.cancel(stage);
            }
          }
        }
        task.interruptBlocking();
        outcomes.failed(task, new DeliveryTimeoutException(task.event.coordinates(), timeout));
        requestDrain();
      }
    }
  }

  private void freeSlot(DeliveryTask task) {
    slots.compareAndSet(task.slot, task, null);
    freeSlots.incrementAndGet();
  }

  /**
   * Called by a task cancelled before an attempt started. One that waited for a retry headed its lane
   * and sits in no queue: its lane moves on now. One that was queued is dropped when the drain loop
   * meets it.
   */
  void cancelled(DeliveryTask task, boolean wasWaiting) {
    admission.release(task.event.byteSize());
    if (wasWaiting) {
      ready.finished(task);
      requestDrain();
    }
  }

  /** The event is done with: its lane moves on, the driver hears of it, its room is freed. */
  private void finish(DeliveryTask task) {
    task.done();
    ready.finished(task);
    try {
      task.onProcessed.run();
    } catch (Throwable bug) {
      LogContext mdc = LogContext.event(agentName, task.event.coordinates());
      try {
        log.error("agent '{}': the driver's callback for {} threw; this is a bug in the driver",
            agentName, task.event.coordinates(), bug);
      } finally {
        mdc.restore();
      }
    }
    admission.release(task.event.byteSize());
    requestDrain();
  }
}
