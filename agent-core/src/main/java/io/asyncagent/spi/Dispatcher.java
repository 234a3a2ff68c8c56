package io.asyncagent.spi;

import io.asyncagent.Event;
import java.util.Optional;

/**
 * Takes a driver's events into the agent: admits them within the agent's buffer, runs each through the
 * pipeline on the agent's workers, and calls the driver back when its pipeline has completed. All methods
 * are thread-safe and never block.
 */
public interface Dispatcher {

  /**
   * Offers an event.
   *
   * <p>{@code onProcessed} runs exactly once when the event's pipeline has completed whatever its outcome —
   * the point past which the driver may commit — unless the ticket is {@linkplain Ticket#cancel()
   * cancelled} first. It runs on whichever thread completed the pipeline: a sink's client thread, the
   * agent's dispatch or scheduler thread, a dead-letter sink's thread. It must be fast, thread-safe, and
   * must not block or throw.
   *
   * <p>An offer refused because the buffer is full promises one run of the
   * {@linkplain #setCapacityListener capacity listener} afterwards, when at least half the buffer is free —
   * possibly on this very thread before {@code offer} returns, if room appeared meanwhile. So do not hold
   * a lock across {@code offer} that the listener takes.
   *
   * @return the event's ticket, or empty when the agent's buffer is full (offer again after the capacity
   *     listener runs) or the agent is shutting down (the session is then being closed)
   * @param event the event, in source order for its partition
   * @param onProcessed what runs once the event's pipeline has completed
   */
  Optional<Ticket> offer(Event event, Runnable onProcessed);

  /**
   * Returns the most events the dispatcher holds at once, waiting and in flight: a driver that fetches in
   * batches of at most half of this can usually hand a whole batch over.
   *
   * @return the capacity, {@code >= 1}: the agent's {@code workers + bufferSize}
   */
  int capacity();

  /**
   * Sets the callback that runs when an {@link #offer} that found the buffer full may now succeed; it
   * replaces any earlier one, and {@code null} removes it. It runs on the thread that freed the room (a
   * sink's completing thread, an agent thread) or on the offering thread itself (see {@link #offer}). It
   * must be fast and must not block or throw. It may run when nothing is waiting; treat it as a hint to
   * look again.
   *
   * @param listener the callback, or {@code null} for none
   */
  void setCapacityListener(Runnable listener);
}
