package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * What an agent does when its connection to the source is lost (KrakenD's {@code connection}): it
 * connects again after a {@linkplain BackoffStrategy backoff}, up to {@code maxRetries} times in a row,
 * and then gives up — that agent alone goes {@link AgentState#FAILED}.
 *
 * <p>The first attempt is made at once; attempt {@code i} waits {@code backoff.delay(i)}, capped by
 * {@code maxBackoff}. As in KrakenD, a session that ran for more than 5 s before it was lost starts the
 * count again, so only consecutive short-lived attempts add up to {@code maxRetries}; and, as in KrakenD,
 * {@code maxRetries = N} allows {@code N + 1} attempts in a row.
 *
 * <p>Immutable, with value equality.
 */
public final class ConnectionPolicy {
  /** Sessions that ran longer than this before they were lost start the retry count again. */
  public static final Duration HEALTHY_RUN = Duration.ofSeconds(5);

  private static final ConnectionPolicy DEFAULT = builder().build();

  private final int maxRetries;
  private final BackoffStrategy backoff;
  private final Duration maxBackoff;
  private final Duration healthInterval;

  private ConnectionPolicy(Builder builder) {
    this.maxRetries = builder.maxRetries;
    this.backoff = builder.backoff;
    this.maxBackoff = builder.maxBackoff;
    this.healthInterval = builder.healthInterval;
  }

  /** {@return KrakenD's defaults: unlimited retries, {@code fallback} backoff, 1 s health interval} */
  public static ConnectionPolicy defaults() {
    return DEFAULT;
  }

  /** {@return a builder with KrakenD's defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this policy's settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.maxRetries = maxRetries;
    builder.backoff = backoff;
    builder.maxBackoff = maxBackoff;
    builder.healthInterval = healthInterval;
    return builder;
  }

  /** {@return how many attempts may follow the first in a row before giving up; 0 means no limit} */
  public int maxRetries() {
    return maxRetries;
  }

  /** {@return the backoff strategy} */
  public BackoffStrategy backoff() {
    return backoff;
  }

  /** {@return the longest wait between two attempts} */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** {@return how often a running agent reports itself alive to health checks} */
  public Duration healthInterval() {
    return healthInterval;
  }

  /**
   * Returns the wait before attempt {@code attempt} ({@code 0} for the first, which is made at once).
   *
   * @param attempt the attempt, counted from 0
   * @return the wait, {@link Duration#ZERO} for attempt 0, at most {@link #maxBackoff()}
   * @throws IllegalArgumentException if {@code attempt < 0}
   */
  public Duration delayBefore(int attempt) {
    if (attempt == 0) {
      return Duration.ZERO;
    }
    Duration delay = backoff.delay(attempt);
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  /**
   * {@return whether attempt {@code attempt} (counted from 0) is allowed}
   *
   * @param attempt the attempt, counted from 0
   */
  public boolean allowsAttempt(int attempt) {
    return maxRetries == 0 || attempt <= maxRetries;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionPolicy other
        && maxRetries == other.maxRetries
        && backoff == other.backoff
        && maxBackoff.equals(other.maxBackoff)
        && healthInterval.equals(other.healthInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRetries, backoff, maxBackoff, healthInterval);
  }

  @Override
  public String toString() {
    return "ConnectionPolicy{maxRetries=" + (maxRetries == 0 ? "unlimited" : maxRetries)
        + ", backoff=" + backoff.krakendName()
        + ", maxBackoff=" + GoDuration.format(maxBackoff)
        + ", healthInterval=" + GoDuration.format(healthInterval) + "}";
  }

  /** Builds a {@link ConnectionPolicy}. Each setter checks its value at once. */
  public static final class Builder {
    private int maxRetries;
    private BackoffStrategy backoff = BackoffStrategy.FALLBACK;
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration healthInterval = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Sets how many attempts may follow the first in a row (KrakenD's {@code max_retries}); {@code 0},
     * the default, means no limit.
     *
     * @param maxRetries the most attempts after the first in a row, {@code >= 0}; 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException if {@code maxRetries < 0}
     */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("connection.maxRetries must be >= 0, but was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Sets the backoff strategy (KrakenD's {@code backoff_strategy}). Default {@link BackoffStrategy#FALLBACK}.
     *
     * @param backoff the strategy
     * @return this builder
     * @throws NullPointerException if {@code backoff} is null
     */
    public Builder backoff(BackoffStrategy backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Sets the longest wait between two attempts. Default 60 s. KrakenD has no such cap.
     *
     * @param maxBackoff the longest wait, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code maxBackoff} is null
     */
    public Builder maxBackoff(Duration maxBackoff) {
      requireNonNull(maxBackoff, "maxBackoff");
      this.maxBackoff = GoDuration.requirePositive("connection.maxBackoff", maxBackoff);
      return this;
    }

    /**
     * Sets how often a running agent reports itself alive (KrakenD's {@code health_interval}). Default
     * 1 s, which is also KrakenD's minimum.
     *
     * @param healthInterval the interval, {@code >= 1s}
     * @return this builder
     * @throws IllegalArgumentException if it is below 1 s
     * @throws NullPointerException if {@code healthInterval} is null
     */
    public Builder healthInterval(Duration healthInterval) {
      requireNonNull(healthInterval, "healthInterval");
      if (healthInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "connection.healthInterval must be >= 1s, but was " + GoDuration.format(healthInterval));
      }
      this.healthInterval = healthInterval;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return a new policy
     */
    public ConnectionPolicy build() {
      return new ConnectionPolicy(this);
    }
  }
}
