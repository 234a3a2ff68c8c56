package io.asyncagent.cli;

import java.util.concurrent.atomic.AtomicReference;

/** A {@link StopTrigger} a test pulls, in place of the signal a user sends. */
final class TestStopTrigger implements StopTrigger {
  private final AtomicReference<AgentRun> armed = new AtomicReference<>();

  @Override
  public Armed arm(AgentRun run) {
    armed.set(run);
    return () -> armed.compareAndSet(run, null);
  }

  /** Stops the armed run; returns false if no run is armed. */
  boolean pull() {
    AgentRun run = armed.get();
    if (run == null) {
      return false;
    }
    run.stop();
    return true;
  }
}
