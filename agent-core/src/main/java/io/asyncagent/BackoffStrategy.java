package io.asyncagent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long an agent waits before connection attempt {@code i} (KrakenD's
 * {@code connection.backoff_strategy}), with KrakenD's formulas:
 *
 * <table>
 *   <caption>Delay before attempt i</caption>
 *   <tr><th>strategy</th><th>delay</th><th>i = 1, 2, 3, 4</th></tr>
 *   <tr><td>{@link #FALLBACK}</td><td>1 s</td><td>1 s, 1 s, 1 s, 1 s</td></tr>
 *   <tr><td>{@link #LINEAR}</td><td>i s</td><td>1 s, 2 s, 3 s, 4 s</td></tr>
 *   <tr><td>{@link #EXPONENTIAL}</td><td>2<sup>i</sup> s</td><td>2 s, 4 s, 8 s, 16 s</td></tr>
 *   <tr><td>{@link #LINEAR_JITTER}, {@link #EXPONENTIAL_JITTER}</td>
 *       <td>the same, ± (a third + 1 ms)</td><td></td></tr>
 * </table>
 *
 * <p>The jitter is KrakenD's: with {@code ms} the delay in milliseconds, a uniform random value in
 * {@code [-(ms/3 + 1), ms/3 + 1)} is added, and a result of 0 or less becomes 1 ms. Unlike KrakenD, every
 * delay is then capped by {@link ConnectionPolicy#maxBackoff()} (60 s by default): without the cap,
 * {@code exponential} waits about nine hours after fifteen failures.
 */
public enum BackoffStrategy {
  /** Always 1 s. KrakenD's default, and what it uses for an unknown name. */
  FALLBACK("fallback"),
  /** {@code i} seconds before attempt {@code i}. */
  LINEAR("linear"),
  /** {@link #LINEAR} with ± a third of jitter. */
  LINEAR_JITTER("linear-jitter"),
  /** {@code 2^i} seconds before attempt {@code i}. */
  EXPONENTIAL("exponential"),
  /** {@link #EXPONENTIAL} with ± a third of jitter; KrakenD's recommendation. */
  EXPONENTIAL_JITTER("exponential-jitter");

  private final String krakendName;

  BackoffStrategy(String krakendName) {
    this.krakendName = krakendName;
  }

  /** {@return the name KrakenD's configuration uses, such as {@code exponential-jitter}} */
  public String krakendName() {
    return krakendName;
  }

  /**
   * Returns the delay before attempt {@code attempt}, before any cap.
   *
   * @param attempt the attempt, counted from 0
   * @return the delay, at least 1 ms for the jittered strategies
   * @throws IllegalArgumentException if {@code attempt < 0}
   */
  public Duration delay(int attempt) {
    return delay(attempt, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /** As {@link #delay(int)}, with {@code random} giving a value in {@code [0, bound)}. */
  Duration delay(int attempt, LongUnaryOperator random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, but was " + attempt);
    }
    switch (this) {
      case FALLBACK:
        return Duration.ofSeconds(1);
      case LINEAR:
        return Duration.ofSeconds(attempt);
      case LINEAR_JITTER:
        return jitter(attempt * 1000L, random);
      case EXPONENTIAL:
        return Duration.ofSeconds(exponential(attempt));
      default: // EXPONENTIAL_JITTER
        return jitter(exponential(attempt) * 1000L, random);
    }
  }

  /** 2^attempt seconds, saturating long before the shift would overflow. */
  private static long exponential(int attempt) {
    return attempt >= 40 ? 1L << 40 : 1L << attempt;
  }

  private static Duration jitter(long millis, LongUnaryOperator random) {
    long maxJitter = millis / 3 + 1;
    long jittered = millis + random.applyAsLong(2 * maxJitter) - maxJitter;
    return Duration.ofMillis(jittered <= 0 ? 1 : jittered);
  }
}
