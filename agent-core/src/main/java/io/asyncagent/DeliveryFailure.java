package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * Why a delivery attempt failed, and what the agent does next with the event — what an
 * {@link AgentListener} hears in {@link AgentListener#failed failed} and
 * {@link AgentListener#deadLettered deadLettered}.
 *
 * <p>Immutable. Behaviour type: no value equality (the cause is an exception).
 */
public final class DeliveryFailure {

  /**
   * The kind of a failure, derived from its cause alone; a small fixed set, fit for a metric's tag. The
   * rules are tried in this order:
   *
   * <ol>
   *   <li>{@link #TIMEOUT}: a {@link DeliveryTimeoutException} — the attempt outlived the agent's
   *       {@code timeout}, or a dead-letter write outlived it.
   *   <li>{@link #STATUS}: a {@link DeliveryException} that carries a status — the backend answered, with a
   *       status that is not a success (HTTP 503, 404…).
   *   <li>{@link #CONNECTION}: an {@link IOException} is the failure or one of its causes — the backend could
   *       not be reached, or the exchange broke off (refused, reset, unknown host, TLS handshake…).
   *   <li>{@link #REJECTED}: any other {@link DeliveryException} — the sink itself declared the delivery
   *       failed, without a status.
   *   <li>{@link #EXCEPTION}: anything else — the sink threw, returned {@code null}, or failed its stage with
   *       an unexpected exception; usually a bug in the sink.
   * </ol>
   */
  public enum Reason {
    /** The attempt did not complete within the agent's {@code timeout}. */
    TIMEOUT,
    /** The backend answered with a status that is not a success; see {@link DeliveryFailure#status()}. */
    STATUS,
    /** The backend could not be reached, or the exchange broke off: an {@link IOException} in the causes. */
    CONNECTION,
    /** The sink failed the delivery with a {@link DeliveryException} that has no status and no I/O cause. */
    REJECTED,
    /** The sink threw, returned {@code null}, or failed with an exception that is not a {@link DeliveryException}. */
    EXCEPTION;

    /**
     * Returns the reason of a failure, by the rules of {@link Reason}.
     *
     * @param cause what the attempt failed with
     * @return the reason
     * @throws NullPointerException if {@code cause} is null
     */
    public static Reason of(Throwable cause) {
      requireNonNull(cause, "cause");
      if (cause instanceof DeliveryTimeoutException) {
        return TIMEOUT;
      }
      if (cause instanceof DeliveryException delivery && delivery.status().isPresent()) {
        return STATUS;
      }
      int depth = 0;
      for (Throwable current = cause; current != null && depth < 32; current = current.getCause(), depth++) {
        if (current instanceof IOException) {
          return CONNECTION;
        }
      }
      return cause instanceof DeliveryException ? REJECTED : EXCEPTION;
    }
  }

  /** What the agent does with the event after a failed attempt, under its {@link FailurePolicy}. */
  public enum Next {
    /**
     * It delivers the event again: {@link FailurePolicy#retry()}, the failure is retriable and attempts
     * remain. {@link AgentListener#retryScheduled retryScheduled} follows with the wait.
     */
    RETRY,
    /**
     * It writes the event to the dead-letter sink: {@link FailurePolicy#retry()} gave up on it (attempts
     * exhausted, or a permanent failure). {@link AgentListener#deadLettered deadLettered} follows once the
     * write succeeds; a failed write is retried without end, so until then the event is not done.
     */
    DEAD_LETTER,
    /**
     * KrakenD's behaviour, {@link FailurePolicy#skip()}: the event is done, its offset may be committed,
     * and it is not delivered again.
     */
    SKIP,
    /**
     * {@link FailurePolicy#retry()} gave up on it and there is no dead-letter sink: the event is done, its
     * offset may be committed, and it is lost. Logged at ERROR.
     */
    DROP
  }

  private final Throwable cause;
  private final Reason reason;
  private final Next next;

  private DeliveryFailure(Throwable cause, Reason reason, Next next) {
    this.cause = cause;
    this.reason = reason;
    this.next = next;
  }

  /**
   * Returns the failure of an attempt that failed with {@code cause}, its reason classified by
   * {@link Reason#of(Throwable)}. Agents create these; tests of listeners may too.
   *
   * @param cause what the attempt failed with
   * @param next what the agent does with the event next
   * @return a new failure
   * @throws NullPointerException if an argument is null
   */
  public static DeliveryFailure of(Throwable cause, Next next) {
    requireNonNull(next, "next");
    return new DeliveryFailure(cause, Reason.of(cause), next);
  }

  /**
   * Returns what the attempt failed with: the sink's exception as the sink gave it (without the
   * {@code CompletionException} wrappers of the JDK), or the agent's {@link DeliveryTimeoutException}. With
   * several sinks, the first failure, the others {@linkplain Throwable#getSuppressed() suppressed} in it.
   *
   * @return the cause, never null
   */
  public Throwable cause() {
    return cause;
  }

  /** {@return the kind of the failure; see {@link Reason} for the rules} */
  public Reason reason() {
    return reason;
  }

  /** {@return the status the backend answered, when the cause is a {@link DeliveryException} that has one} */
  public OptionalInt status() {
    return cause instanceof DeliveryException delivery ? delivery.status() : OptionalInt.empty();
  }

  /**
   * Returns whether trying again could succeed: {@code false} only for a {@link DeliveryException} that says
   * so (HTTP 400, say). The agent's {@link FailurePolicy} retries only retriable failures.
   *
   * @return whether a retry could help
   */
  public boolean isRetriable() {
    return !(cause instanceof DeliveryException delivery) || delivery.isRetriable();
  }

  /** {@return what the agent does with the event next} */
  public Next next() {
    return next;
  }

  /** Returns the reason, the status when there is one, what follows, and the cause's class and message. */
  @Override
  public String toString() {
    return "DeliveryFailure{" + reason + (status().isPresent() ? " " + status().getAsInt() : "") + ", next " + next
        + ", " + cause + "}";
  }
}
