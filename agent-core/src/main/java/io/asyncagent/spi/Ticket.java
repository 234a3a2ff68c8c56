package io.asyncagent.spi;

import io.asyncagent.Event;

/** An event admitted by a {@link Dispatcher}, until its pipeline completes. */
public interface Ticket {

  /** {@return the event} */
  Event event();

  /**
   * Withdraws the event if its delivery has not started — when its partition is revoked, say.
   *
   * @return {@code true} if the event will not be delivered and its {@code onProcessed} callback will
   *     not run; {@code false} if delivery had already started (the callback runs, or has run)
   */
  boolean cancel();
}
