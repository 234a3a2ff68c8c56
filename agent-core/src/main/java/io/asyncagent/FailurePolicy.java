package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an agent does with an event whose delivery failed.
 *
 * <ul>
 *   <li>{@link #skip()} — KrakenD's behaviour and the default: log it, count the event as processed and
 *       commit past it. The event is not delivered again.
 *   <li>{@link #retry()} — deliver it again after a backoff while the failure is retriable (a
 *       {@link DeliveryException} that says so — HTTP 408, 429, 5xx, connection errors and timeouts — or
 *       any other exception), up to {@code maxAttempts}; then, or at once for a failure that is not
 *       retriable (HTTP 400, say), hand it to the {@linkplain Builder#deadLetterTo dead-letter sink}.
 *       Retries stay in the event's ordering lane, so order is kept. A dead-letter write that fails is
 *       retried until it succeeds, and the event's offset is not committed before it does.
 * </ul>
 *
 * <pre>{@code
 * FailurePolicy.retry()
 *     .maxAttempts(5)
 *     .backoff(Duration.ofMillis(200), Duration.ofSeconds(30))
 *     .deadLetterTo(KafkaDeadLetters.topic("orders.dlq").cluster(cluster).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable, with value equality.
 */
public final class FailurePolicy {
  private static final FailurePolicy SKIP = new FailurePolicy(false, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO,
      null);

  private final boolean retry;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final BackendSink deadLetter;

  private FailurePolicy(boolean retry, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
      Duration maxRetryAfter, BackendSink deadLetter) {
    this.retry = retry;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRetryAfter = maxRetryAfter;
    this.deadLetter = deadLetter;
  }

  /** {@return KrakenD's policy: a failed event is logged and committed, not delivered again} */
  public static FailurePolicy skip() {
    return SKIP;
  }

  /** {@return a builder of a policy that retries and then dead-letters} */
  public static Builder retry() {
    return new Builder();
  }

  /** {@return whether failed events are retried (otherwise they are skipped)} */
  public boolean retries() {
    return retry;
  }

  /** {@return the most delivery attempts of an event, the first included; 0 means no limit} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@return the wait before the first retry; each further retry waits twice as long, up to {@link #maxBackoff()}} */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** {@return the longest wait between two attempts} */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** {@return the longest wait a backend's {@code Retry-After} is honoured for} */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** {@return where events go that are given up on, if anywhere} */
  public Optional<BackendSink> deadLetter() {
    return Optional.ofNullable(deadLetter);
  }

  /**
   * {@return whether attempt {@code attempt} (1 for the first delivery) may be made}
   *
   * @param attempt the attempt, counted from 1
   */
  public boolean allowsAttempt(int attempt) {
    return retry && (maxAttempts == 0 || attempt <= maxAttempts);
  }

  /**
   * Returns the wait before attempt {@code attempt} (2 for the first retry): {@code initialBackoff × 2^(attempt
   * - 2)}, capped by {@code maxBackoff}, with "equal jitter" — a uniform random point in its upper half — and
   * at least the backend's {@code Retry-After} (capped by {@code maxRetryAfter}).
   *
   * @param attempt the attempt, counted from 1: 2 for the first retry
   * @param retryAfter the wait the backend asked for, if it did
   * @return the wait, between half the capped backoff and the capped backoff, or the capped {@code retryAfter} if
   *     longer
   */
  public Duration delayBefore(int attempt, Optional<Duration> retryAfter) {
    long base = initialBackoff.toNanos();
    for (int i = 2; i < attempt && base < maxBackoff.toNanos(); i++) {
      base *= 2;
    }
    base = Math.min(base, maxBackoff.toNanos());
    long jittered = base / 2 + (base > 1 ? ThreadLocalRandom.current().nextLong(base - base / 2) : 0);
    long wanted = retryAfter.map(d -> Math.min(d.toNanos(), maxRetryAfter.toNanos())).orElse(0L);
    return Duration.ofNanos(Math.max(jittered, wanted));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailurePolicy other
        && retry == other.retry
        && maxAttempts == other.maxAttempts
        && initialBackoff.equals(other.initialBackoff)
        && maxBackoff.equals(other.maxBackoff)
        && maxRetryAfter.equals(other.maxRetryAfter)
        && Objects.equals(deadLetter, other.deadLetter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(retry, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, deadLetter);
  }

  /** Describes the policy; the dead-letter sink by presence only. */
  @Override
  public String toString() {
    if (!retry) {
      return "FailurePolicy.skip";
    }
    return "FailurePolicy.retry{maxAttempts=" + (maxAttempts == 0 ? "unlimited" : maxAttempts)
        + ", backoff=" + GoDuration.format(initialBackoff) + ".." + GoDuration.format(maxBackoff)
        + ", maxRetryAfter=" + GoDuration.format(maxRetryAfter)
        + ", deadLetter=" + (deadLetter == null ? "none" : "yes") + "}";
  }

  /** Builds a retrying {@link FailurePolicy}. Each setter checks its value at once. */
  public static final class Builder {
    private int maxAttempts = 10;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private BackendSink deadLetter;

    private Builder() {}

    /**
     * Sets the most delivery attempts of an event, the first included. Default 10; 0 means no limit —
     * an event that never succeeds then holds its lane and its partition's commits for ever.
     *
     * @param maxAttempts the most attempts, {@code >= 0}; 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 0) {
        throw new IllegalArgumentException("onFailure.maxAttempts must be >= 0, but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait before the first retry and the longest wait: each retry waits twice as long as the one
     * before, up to {@code max}. Defaults 100 ms and 30 s.
     *
     * @param initial the wait before the first retry, {@code > 0}
     * @param max the longest wait, {@code >= initial}
     * @return this builder
     * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is below it
     * @throws NullPointerException if {@code initial} or {@code max} is null
     */
    public Builder backoff(Duration initial, Duration max) {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
      GoDuration.requirePositive("onFailure.backoff initial", initial);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("onFailure.backoff max must be >= initial (" + GoDuration.format(initial)
            + "), but was " + GoDuration.format(max));
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets the longest {@code Retry-After} a backend may ask for and be obeyed; a longer one is cut to
     * this. Default 60 s.
     *
     * @param maxRetryAfter the longest {@code Retry-After} obeyed, {@code >= 0}; 0 ignores {@code Retry-After}
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     * @throws NullPointerException if {@code maxRetryAfter} is null
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      requireNonNull(maxRetryAfter, "maxRetryAfter");
      this.maxRetryAfter = GoDuration.requireNonNegative("onFailure.maxRetryAfter", maxRetryAfter);
      return this;
    }

    /**
     * Sets where events go that are given up on: a Kafka topic ({@code KafkaDeadLetters} in agent-kafka) or
     * any sink. A dead letter is the original event — key, body, headers — with {@link DeadLetterHeaders}
     * added. Default none: an event given up on is logged at ERROR and committed.
     *
     * @param deadLetter the dead-letter sink
     * @return this builder
     * @throws NullPointerException if {@code deadLetter} is null
     */
    public Builder deadLetterTo(BackendSink deadLetter) {
      this.deadLetter = requireNonNull(deadLetter, "deadLetter");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return a new policy that retries
     */
    public FailurePolicy build() {
      return new FailurePolicy(true, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, deadLetter);
    }
  }
}
