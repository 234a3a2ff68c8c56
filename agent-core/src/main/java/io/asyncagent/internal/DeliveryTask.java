package io.asyncagent.internal;

import io.asyncagent.Event;
import io.asyncagent.spi.Ticket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;

/*
 * One admitted event on its way through the dispatcher, over one or more delivery attempts.
 *
 *   QUEUED ──start──▶ STARTED ──outcome──▶ SETTLING ──▶ DONE
 *     │                                       │
 *     │                                       └──retry──▶ WAITING ──due──▶ QUEUED (next attempt)
 *     └──cancel──▶ CANCELLED ◀──cancel── WAITING
 *
 * The state and the attempt number live in one long and change only by compare-and-set, so the
 * completion of an attempt racing its timeout, a late completion of an earlier attempt, and a revoke
 * racing a start or a retry each have exactly one winner. SETTLING belongs to whoever won the outcome:
 * it decides, and a dead-letter write happens in it, so it cannot be cancelled.
 */
/** An admitted event and its delivery attempts; the driver holds it as a {@link Ticket}. */
final class DeliveryTask implements Ticket {
  static final int QUEUED = 0;
  static final int STARTED = 1;
  static final int SETTLING = 2;
  static final int WAITING = 3;
  static final int DONE = 4;
  static final int CANCELLED = 5;
  private static final String[] NAMES = {"QUEUED", "STARTED", "SETTLING", "WAITING", "DONE", "CANCELLED"};
  private static final VarHandle STAMP;

  static {
    try {
      STAMP = MethodHandles.lookup().findVarHandle(DeliveryTask.class, "stamp", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Event event;
  final Runnable onProcessed;
  private final DefaultDispatcher dispatcher;
  @SuppressWarnings("unused") // accessed through STAMP: attempt << 8 | state
  private volatile long stamp = stamp(1, QUEUED);

  /** The ordering lane, set by the ready queue; null for none. */
  Object lane;
  /** The worker slot while in flight; written by the dispatch thread before the task is published. */
  int slot = -1;
  /** When the attempt started, in {@link Ticker} nanoseconds; written before the task is published. */
  long startedAt;
  /** When the attempt times out, in {@link Ticker} nanoseconds; written before the task is published. */
  long deadline;
  /** Whether the listener heard of the event's arrival; only the dispatch thread touches it. */
  boolean announced;
  /** The sinks' stages of the current attempt, kept to cancel them on timeout. */
  volatile CompletionStage<?>[] pending;
  /** The pool thread running a blocking sink's attempt, to interrupt on timeout; guarded by {@code this}. */
  private Thread blockingThread;

  DeliveryTask(Event event, Runnable onProcessed, DefaultDispatcher dispatcher) {
    this.event = event;
    this.onProcessed = onProcessed;
    this.dispatcher = dispatcher;
  }

  private static long stamp(int attempt, int state) {
    return ((long) attempt << 8) | state;
  }

  private long current() {
    return (long) STAMP.getVolatile(this);
  }

  private boolean move(int attempt, int from, int to) {
    return STAMP.compareAndSet(this, stamp(attempt, from), stamp(attempt, to));
  }

  /** Returns the current attempt, 1 for the first delivery. */
  int attempt() {
    return (int) (current() >>> 8);
  }

  int state() {
    return (int) (current() & 0xff);
  }

  @Override
  public Event event() {
    return event;
  }

  @Override
  public boolean cancel() {
    long now = current();
    int attempt = (int) (now >>> 8);
    int state = (int) (now & 0xff);
    if ((state == QUEUED || state == WAITING) && move(attempt, state, CANCELLED)) {
      dispatcher.cancelled(this, state == WAITING);
      return true;
    }
    return false;
  }

  /** QUEUED → STARTED; returns the attempt started, or 0 if the task was cancelled. */
  int tryStart() {
    int attempt = attempt();
    return move(attempt, QUEUED, STARTED) ? attempt : 0;
  }

  /** Returns whether {@code attempt} is started and its outcome not yet taken. */
  boolean isStarted(int attempt) {
    return current() == stamp(attempt, STARTED);
  }

  /**
   * Runs a blocking attempt on the calling pool thread, unless it timed out while it waited for one: its
   * outcome is then taken, and calling the sink anyway would deliver an event already reported failed.
   * A timeout while it runs {@linkplain #interruptBlocking() interrupts} the thread.
   */
  void runBlocking(int attempt, Runnable delivery) {
    synchronized (this) {
      if (!isStarted(attempt)) {
        return;
      }
      Thread.interrupted(); // a stale interrupt meant for an earlier attempt on this thread
      blockingThread = Thread.currentThread();
    }
    try {
      delivery.run();
    } finally {
      synchronized (this) {
        if (blockingThread == Thread.currentThread()) {
          blockingThread = null; // unless a retry of this task already runs on another thread
        }
        Thread.interrupted(); // an interrupt for this attempt must not reach the thread's next task
      }
    }
  }

  /** Interrupts the pool thread running this task's blocking attempt, if one is. */
  synchronized void interruptBlocking() {
    if (blockingThread != null) {
      blockingThread.interrupt();
    }
  }

  /** STARTED → SETTLING for {@code attempt}; false if that attempt's outcome was already taken. */
  boolean trySettle(int attempt) {
    return move(attempt, STARTED, SETTLING);
  }

  /** SETTLING → WAITING for the next attempt. */
  void awaitRetry() {
    int attempt = attempt();
    if (!STAMP.compareAndSet(this, stamp(attempt, SETTLING), stamp(attempt + 1, WAITING))) {
      throw new IllegalStateException("not settling: " + this);
    }
  }

  /** WAITING → QUEUED; false if the task was cancelled while it waited. */
  boolean requeue() {
    return move(attempt(), WAITING, QUEUED);
  }

  /** SETTLING → DONE. */
  void done() {
    if (!move(attempt(), SETTLING, DONE)) {
      throw new IllegalStateException("not settling: " + this);
    }
  }

  @Override
  public String toString() {
    long now = current();
    return "Ticket{" + event.coordinates() + ", attempt " + (now >>> 8) + ", " + NAMES[(int) (now & 0xff)] + "}";
  }
}
