package io.asyncagent.cli;

/**
 * How an {@link AgentRun} learns that it should stop. In the jar it is a JVM shutdown hook, so Ctrl-C and SIGTERM
 * drain the agents; tests arm a trigger of their own instead of sending signals.
 */
@FunctionalInterface
interface StopTrigger {

  /** Arms this trigger for {@code run} until the returned handle is closed. */
  Armed arm(AgentRun run);

  /** An armed trigger; closing it disarms it. */
  @FunctionalInterface
  interface Armed extends AutoCloseable {
    /** Disarms the trigger. Idempotent; never throws. */
    @Override
    void close();
  }

  /**
   * Returns the trigger of the jar: a shutdown hook that stops the run, waits until it has drained its agents and
   * printed its summary, and then ends the JVM with the run's exit code.
   *
   * <p>A JVM ended by a signal exits with 128 plus the signal's number (130 for Ctrl-C, 143 for SIGTERM) once its
   * hooks are done. The hook halts it itself, so that a drained run exits 0 — or 1 when an agent failed — whatever
   * the signal. Halting skips hooks that are still running; agent-cli installs no other.
   */
  static StopTrigger shutdownHook() {
    return run -> {
      Thread hook = new Thread(() -> {
        run.stop();
        Runtime.getRuntime().halt(run.awaitExitCode());
      }, "agent-cli-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      return () -> {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
          // The hook is running or has run; it ends the JVM once the run has finished.
        }
      };
    };
  }
}
