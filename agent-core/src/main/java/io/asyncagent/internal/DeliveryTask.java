package io.asyncagent.internal;

import io.asyncagent.Event;
import io.asyncagent.spi.Ticket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;

/**
 * One admitted event on its way through the dispatcher. Its state moves QUEUED → STARTED → DONE, or
 * QUEUED → CANCELLED, each step by compare-and-set, so that a completion racing a timeout, or a
 * cancellation racing the start, has exactly one winner.
 */
final class DeliveryTask implements Ticket {
  private static final int QUEUED = 0;
  private static final int STARTED = 1;
  private static final int DONE = 2;
  private static final int CANCELLED = 3;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(DeliveryTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Event event;
  final Runnable onProcessed;
  private final DefaultDispatcher dispatcher;
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /** The worker slot while in flight; written by the dispatch thread before the task is published. */
  int slot = -1;
  /** When the delivery times out, in {@link Ticker} nanoseconds; written before the task is published. */
  long deadline;
  /** The sinks' stages, kept to cancel them on timeout; null until delivery has started. */
  volatile CompletionStage<?>[] pending;

  DeliveryTask(Event event, Runnable onProcessed, DefaultDispatcher dispatcher) {
    this.event = event;
    this.onProcessed = onProcessed;
    this.dispatcher = dispatcher;
  }

  @Override
  public Event event() {
    return event;
  }

  @Override
  public boolean cancel() {
    if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
      dispatcher.cancelled(this);
      return true;
    }
    return false;
  }

  boolean tryStart() {
    return STATE.compareAndSet(this, QUEUED, STARTED);
  }

  boolean tryFinish() {
    return STATE.compareAndSet(this, STARTED, DONE);
  }

  @Override
  public String toString() {
    String[] names = {"QUEUED", "STARTED", "DONE", "CANCELLED"};
    return "Ticket{" + event.coordinates() + ", " + names[(int) STATE.getVolatile(this)] + "}";
  }
}
