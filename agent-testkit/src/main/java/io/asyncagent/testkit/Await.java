package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in tests for a condition to become true, with a deadline.
 *
 * <p>Use it instead of sleeping for a fixed time: the wait ends as soon as the condition holds and fails with a
 * message naming what was awaited when it does not. It depends only on the JDK, so demo programs can use it too.
 */
public final class Await {
  /**
   * The pause between two checks. Short, because the helper is for tests where a fast result matters more than
   * the few wake-ups it costs.
   */
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Await() {}

  /**
   * Checks {@code condition} until it returns {@code true} or {@code timeout} has passed.
   *
   * <p>The condition is checked at once, then about every 10 ms, and once more at the deadline. An exception thrown
   * by the condition ends the wait and propagates unchanged.
   *
   * @param timeout how long to wait at most; zero checks once
   * @param condition the condition to wait for
   * @param description what is awaited, such as {@code "1000 records"}; asked for only when the wait fails
   * @throws AssertionError {@code timed out after <timeout> waiting for <description>} if the condition did not
   *     become true in time, or {@code interrupted while waiting for <description>} if the thread was interrupted
   *     (its interrupt flag is set again)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
    requireNonNull(timeout, "timeout");
    requireNonNull(condition, "condition");
    requireNonNull(description, "description");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, but was " + timeout);
    }
    long deadline = System.nanoTime() + saturatedNanos(timeout);
    while (!condition.getAsBoolean()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + description.get());
      }
      LockSupport.parkNanos(Math.min(PAUSE_NANOS, remaining));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + description.get());
      }
    }
  }

  /**
   * Like {@link #until(Duration, BooleanSupplier, Supplier)} with a fixed description.
   *
   * @param timeout how long to wait at most; zero checks once
   * @param condition the condition to wait for
   * @param description what is awaited, such as {@code "1000 records"}
   * @throws AssertionError {@code timed out after <timeout> waiting for <description>} if the condition did not
   *     become true in time
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static void until(Duration timeout, BooleanSupplier condition, String description) {
    requireNonNull(description, "description");
    until(timeout, condition, () -> description);
  }

  /** Converts to nanoseconds, capping huge durations instead of overflowing. */
  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      // Roughly 292 years: a deadline this far away is "never", and System.nanoTime() + it must not overflow.
      return Long.MAX_VALUE / 2;
    }
  }
}
