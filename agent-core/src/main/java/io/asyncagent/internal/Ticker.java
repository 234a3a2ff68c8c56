package io.asyncagent.internal;

/** A source of monotonic time, so that timing logic can be tested without waiting. */
@FunctionalInterface
public interface Ticker {

  /** Returns the current value of a monotonic clock, in nanoseconds; see {@link System#nanoTime()}. */
  long nanos();

  /** Returns the JVM's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
