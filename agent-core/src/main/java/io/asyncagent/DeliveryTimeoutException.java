package io.asyncagent;

import java.time.Duration;

/** A delivery that did not complete within the agent's {@code timeout}. Retriable. */
public final class DeliveryTimeoutException extends DeliveryException {
  private static final long serialVersionUID = 1L;

  /** The agent's timeout, which the delivery outlived. */
  private final Duration timeout;

  /**
   * Creates the failure for a delivery of {@code coordinates} that outlived {@code timeout}.
   *
   * @param coordinates the event whose delivery timed out
   * @param timeout the agent's {@code timeout}
   * @throws NullPointerException if {@code timeout} is null
   */
  public DeliveryTimeoutException(Coordinates coordinates, Duration timeout) {
    super("delivery of " + coordinates + " timed out after " + GoDuration.format(timeout), true);
    this.timeout = timeout;
  }

  /** {@return the timeout that expired} */
  public Duration timeout() {
    return timeout;
  }
}
