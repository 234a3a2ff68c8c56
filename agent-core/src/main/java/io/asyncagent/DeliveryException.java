package io.asyncagent;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The failure of one event's delivery to a {@link BackendSink}. A sink completes its stage exceptionally
 * with this type to say whether trying again could help; any other exception is treated as retriable.
 */
public class DeliveryException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Whether delivering the event again could succeed. */
  private final boolean retriable;
  /** The status the backend answered, or -1 for none. */
  private final int status;
  /** The wait the backend asked for, or null for none. */
  private final Duration retryAfter;

  /**
   * Creates a failure without a status code.
   *
   * @param message what went wrong
   * @param retriable whether delivering the event again could succeed
   */
  public DeliveryException(String message, boolean retriable) {
    this(message, retriable, -1, null);
  }

  /**
   * Creates a failure without a status code, caused by {@code cause}.
   *
   * @param message what went wrong
   * @param retriable whether delivering the event again could succeed
   * @param cause what led to it, or {@code null} if unknown
   */
  public DeliveryException(String message, boolean retriable, Throwable cause) {
    this(message, retriable, -1, cause);
  }

  /**
   * Creates a failure that carries the backend's status code (an HTTP status, for example).
   *
   * @param status the status the backend answered, {@code >= 0}; {@code -1} for none
   * @param message what went wrong
   * @param retriable whether delivering the event again could succeed
   * @param cause what led to it, or {@code null} if unknown
   * @throws IllegalArgumentException if {@code status < -1}
   */
  public DeliveryException(String message, boolean retriable, int status, Throwable cause) {
    this(message, retriable, status, null, cause);
  }

  /**
   * Creates a failure that carries the backend's status code and how long it asked to be left alone
   * (HTTP's {@code Retry-After}).
   *
   * @param status the status the backend answered, {@code >= 0}; {@code -1} for none
   * @param retryAfter the wait the backend asked for, or {@code null} for none
   * @param message what went wrong
   * @param retriable whether delivering the event again could succeed
   * @param cause what led to it, or {@code null} if unknown
   * @throws IllegalArgumentException if {@code status < -1} or {@code retryAfter} is negative
   */
  public DeliveryException(String message, boolean retriable, int status, Duration retryAfter, Throwable cause) {
    super(message, cause);
    if (status < -1) {
      throw new IllegalArgumentException("status must be >= -1, but was " + status);
    }
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be >= 0, but was " + retryAfter);
    }
    this.retriable = retriable;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** {@return whether delivering the same event again could succeed (a 503, say, but not a 400)} */
  public boolean isRetriable() {
    return retriable;
  }

  /** {@return how long the backend asked to wait before the next attempt, if it asked} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** {@return the status the backend answered, if it answered at all} */
  public OptionalInt status() {
    return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
