package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * One delivery attempt of an event to every sink of its agent, as an {@link AgentListener} hears of it once
 * its outcome is known: which event, which attempt, and how long the attempt took.
 *
 * <p>Immutable; equal when the event is the same (events compare by identity), and the number and duration
 * are equal.
 */
public final class DeliveryAttempt {
  private final Event event;
  private final int number;
  private final Duration took;

  private DeliveryAttempt(Event event, int number, Duration took) {
    this.event = event;
    this.number = number;
    this.took = took;
  }

  /**
   * Returns an attempt. Agents create these; listeners read them, and tests of listeners may create them.
   *
   * @param event the event delivered
   * @param number the attempt, 1 for the first delivery and 2 for the first retry; {@code >= 1}
   * @param took from the moment the sinks were called to the attempt's outcome; {@code >= 0}
   * @return a new attempt
   * @throws NullPointerException if {@code event} or {@code took} is null
   * @throws IllegalArgumentException if {@code number < 1} or {@code took} is negative
   */
  public static DeliveryAttempt of(Event event, int number, Duration took) {
    requireNonNull(event, "event");
    requireNonNull(took, "took");
    if (number < 1) {
      throw new IllegalArgumentException("number must be >= 1, but was " + number);
    }
    if (took.isNegative()) {
      throw new IllegalArgumentException("took must be >= 0, but was " + took);
    }
    return new DeliveryAttempt(event, number, took);
  }

  /** {@return the event} */
  public Event event() {
    return event;
  }

  /** {@return the attempt's number: 1 for the first delivery, 2 for the first retry, and so on} */
  public int number() {
    return number;
  }

  /**
   * Returns how long the attempt took, from the moment the agent called the sinks to its outcome: the
   * slowest sink's answer, or the agent's {@code timeout} (plus up to one timeout sweep) when the attempt
   * timed out. The wait for a worker, a rate token or a retry's backoff is not part of it.
   *
   * @return the attempt's duration, {@code >= 0}
   */
  public Duration took() {
    return took;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryAttempt other
        && event == other.event
        && number == other.number
        && took.equals(other.took);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(event), number, took);
  }

  /** Returns the coordinates, the number and the duration; never the event's content. */
  @Override
  public String toString() {
    return "DeliveryAttempt{" + event.coordinates() + ", #" + number + ", took " + GoDuration.format(took) + "}";
  }
}
