package io.asyncagent.examples;

import static java.util.Objects.requireNonNull;

import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/*
 * The smallest correct driver: docs/extending.md walks through it. A session is one reader thread. It offers
 * each partition's events in offset order until the agent's buffer is full, then waits on a condition until the
 * capacity listener says there is room — never spinning, and never blocking the agent thread that calls the
 * listener. Each event's callback marks its offset processed; a partition's position moves only over the
 * contiguous prefix of processed offsets, and that position is what close() commits.
 *
 * Every wait is "lock; while (!condition) await", and everything a condition depends on calls signal() after
 * changing it — so a change between the check and the await cannot be missed.
 */
/**
 * A {@link Driver} that reads an {@link InMemoryLog}: an example of the driver contract, not a product. Each
 * agent reads every partition of its topics from the position it committed (from the start, the first time)
 * and commits when it closes.
 */
public final class InMemoryDriver implements Driver {
  private final InMemoryLog log;

  private InMemoryDriver(InMemoryLog log) {
    this.log = log;
  }

  /** Returns a driver that reads {@code log}. */
  public static InMemoryDriver of(InMemoryLog log) {
    return new InMemoryDriver(requireNonNull(log, "log"));
  }

  @Override
  public String type() {
    return "in-memory";
  }

  @Override
  public String summary() {
    return "in-memory log " + log.name();
  }

  /** A topic must exist when the agent is built: a misspelt name fails {@code build()}, not {@code start()}. */
  @Override
  public Optional<String> checkTopic(String topic) {
    return log.partitions(topic) > 0 ? Optional.empty()
        : Optional.of("must be a topic of the in-memory log '" + log.name() + "', but was '" + topic + "'");
  }

  // tag::connect[]
  @Override
  public DriverSession connect(DriverContext context) {
    Session session = new Session(log, context);  // fixes the start positions: where this agent committed
    session.reader.start();                       // reads on a thread of its own: connect() must not wait
    return session;
  }
  // end::connect[]

  private static final class Session implements DriverSession {
    private final InMemoryLog log;
    private final DriverContext context;
    private final Dispatcher dispatcher;
    private final List<Progress> partitions = new ArrayList<>();
    private final Thread reader;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean closing;
    private volatile boolean room; // the capacity listener ran since the reader last offered
    private volatile Duration grace = Duration.ZERO;

    Session(InMemoryLog log, DriverContext context) {
      this.log = log;
      this.context = context;
      this.dispatcher = context.dispatcher();
      Map<Partition, Long> committed = log.committed(context.agentName());
      for (String topic : context.topics()) {
        for (int i = 0; i < log.partitions(topic); i++) {
          Partition partition = new Partition(topic, i);
          partitions.add(new Progress(partition, committed.getOrDefault(partition, 0L)));
        }
      }
      this.reader = context.threadFactory("reader").newThread(this::run); // asyncagent-<agent>-reader
    }

    @Override
    public CompletionStage<Void> ready() {
      return ready.minimalCompletionStage();
    }

    @Override
    public CompletionStage<Void> terminated() {
      return terminated.minimalCompletionStage();
    }

    // tag::run[]
    private void run() {
      Runnable stopListening = log.onAppend(this::signal);
      dispatcher.setCapacityListener(() -> {  // an agent thread, or ours inside offer(): note it, wake, return
        room = true;
        signal();
      });
      Throwable failure = null;
      try {
        context.partitionsAssigned(partitions.stream().map(progress -> progress.partition).toList());
        context.reachable(true);
        ready.complete(null);                 // positions are fixed: whatever is appended from now on is read
        while (!closing) {
          room = false;                       // from here on, a capacity signal is news
          boolean full = !offerAvailable();
          context.polled();
          context.lag(lag());
          awaitUntil(full ? () -> room || closing : () -> closing || lag() > 0, Long.MAX_VALUE);
        }
        drain();
      } catch (RuntimeException | Error bug) {
        failure = bug;
      }
      // Before terminated completes: the agent's next session sets a capacity listener of its own.
      dispatcher.setCapacityListener(null);
      stopListening.run();
      if (failure == null) {
        terminated.complete(null);
      } else {
        terminated.completeExceptionally(failure);
      }
    }
    // end::run[]

    // tag::offer[]
    /** Offers what each partition holds beyond its position, in offset order; false when the agent is full. */
    private boolean offerAvailable() {
      for (Progress progress : partitions) {
        while (!closing && progress.next < log.end(progress.partition)) {
          long offset = progress.next;
          Event event = log.read(progress.partition, offset);
          if (dispatcher.offer(event, () -> processed(progress, offset)).isEmpty()) {
            return false;                     // full: offered again once the capacity listener has run
          }
          progress.next++;
        }
      }
      return true;
    }

    /** Runs on whichever thread completed the event's pipeline: must be quick, and must not block. */
    private void processed(Progress progress, long offset) {
      progress.processed(offset);
      if (closing) {
        signal();                             // only a draining reader waits for completions
      }
    }
    // end::offer[]

    // tag::close[]
    @Override
    public void close(Duration grace) {
      if (closeRequested.compareAndSet(false, true)) {
        this.grace = grace;
        closing = true;                       // the reader stops offering, drains and commits
        signal();
      }
      if (Thread.currentThread() != reader) { // the agent may react to our failure on our own thread
        try {
          reader.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** On the reader thread, once it stopped offering: waits up to the grace period, then commits. */
    private void drain() {
      awaitUntil(() -> partitions.stream().allMatch(Progress::settled), grace.toNanos());
      for (Progress progress : partitions) {
        long position = progress.processedUpTo(); // not past an event still in flight
        if (position > progress.start) {
          log.commit(context.agentName(), progress.partition, position);
          context.committed(progress.partition, position); // after the commit; once per partition it moved
        }
      }
    }
    // end::close[]

    // tag::wait[]
    /** Wakes the reader to look again; short, so that agent threads may call it. */
    private void signal() {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Parks the reader until {@code condition} holds or {@code nanos} have passed. */
    private void awaitUntil(BooleanSupplier condition, long nanos) {
      lock.lock();
      try {
        for (long left = nanos; !condition.getAsBoolean() && left > 0; ) {
          left = changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closing = true;                       // nobody interrupts the reader but to stop it
      } finally {
        lock.unlock();
      }
    }
    // end::wait[]

    private long lag() {
      return partitions.stream().mapToLong(progress -> log.end(progress.partition) - progress.next).sum();
    }
  }

  // tag::progress[]
  /** One partition's positions: what was offered, and how far everything offered was processed. */
  private static final class Progress {
    final Partition partition;
    final long start;                         // the committed position the session started from
    long next;                                // the next offset to offer; the reader thread's alone
    private long processedUpTo;               // every offset below it is processed
    private final Set<Long> processedAbove = new HashSet<>(); // processed, but after a gap

    Progress(Partition partition, long start) {
      this.partition = partition;
      this.start = start;
      this.next = start;
      this.processedUpTo = start;
    }

    synchronized void processed(long offset) {
      processedAbove.add(offset);
      while (processedAbove.remove(processedUpTo)) { // the log has no gaps in its offsets; Kafka has
        processedUpTo++;
      }
    }

    synchronized long processedUpTo() {
      return processedUpTo;
    }

    /** On the reader thread: whether every event it offered has been processed. */
    synchronized boolean settled() {
      return processedUpTo == next;
    }
  }
  // end::progress[]
}
