package io.asyncagent.internal;

import java.time.Duration;

/** Runs tasks later; in production on the agent's scheduler thread, in tests on a hand-driven clock. */
interface Scheduler {

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Runnable schedule(Runnable task, Duration delay);
}
