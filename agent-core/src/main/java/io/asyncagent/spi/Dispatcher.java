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
   * <p>{@code onProcessed} runs exactly once, on an agent thread, when the event's pipeline has completed
   * whatever its outcome — the point past which the driver may commit — unless the ticket is
   * {@linkplain Ticket#cancel() cancelled} first. It must be fast and must not block or throw.
   *
   * @return the event's ticket, or empty when the agent's buffer is full (offer again after the
   *     {@linkplain #setCapacityListener capacity listener} runs) or the agent is shutting down
   */
  Optional<Ticket> offer(Event event, Runnable onProcessed);

  /**
   * Returns the most events the dispatcher holds at once, waiting and in flight: a driver that fetches in
   * batches of at most half of this can usually hand a whole batch over.
   */
  int capacity();

  /**
   * Sets the callback that runs, on an agent thread, when an {@link #offer} that found the buffer full
   * may now succeed; it replaces any earlier one. It must be fast and must not block or throw. It may run
   * when nothing is waiting; treat it as a hint to look again.
   */
  void setCapacityListener(Runnable listener);
}
