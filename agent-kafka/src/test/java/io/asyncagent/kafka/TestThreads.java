package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** Threads the ITs start themselves (samplers), joined with a deadline. */
final class TestThreads {
  private TestThreads() {}

  /** Waits up to {@code timeout} for {@code thread} to end, and fails if it has not; a thread never started is fine. */
  static void join(Thread thread, Duration timeout) {
    if (thread.getState() == Thread.State.NEW) {
      return;
    }
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while joining " + thread.getName(), e);
    }
    assertThat(thread.isAlive()).as(thread.getName() + " still running").isFalse();
  }
}
