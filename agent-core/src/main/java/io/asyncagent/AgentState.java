package io.asyncagent;

/**
 * The lifecycle of an {@link AsyncAgent}.
 *
 * <pre>
 *   NEW ──start()──▶ STARTING ──ready──▶ RUNNING ──close()──▶ STOPPING ──▶ STOPPED
 *                       │                   │
 *                       └──────failure──────┴──────────────────────────────▶ FAILED
 * </pre>
 *
 * <p>States change only forward and only by compare-and-set, so every observer sees the same order.
 * {@link #STOPPED} and {@link #FAILED} are terminal: an agent is not restarted; build a new one.
 */
public enum AgentState {
  /** Built, not started. {@code close()} moves it straight to {@link #STOPPED}. */
  NEW,
  /** {@code start()} was called; the driver is connecting and fixing its start positions. */
  STARTING,
  /** Consuming and delivering events. */
  RUNNING,
  /** {@code close()} was called; in-flight events are drained and their offsets committed. */
  STOPPING,
  /** Closed cleanly. Terminal. */
  STOPPED,
  /** Stopped because of an error; {@link AsyncAgent#failureCause()} says why. Terminal. */
  FAILED;

  /** {@return whether no further transition is possible from this state} */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}
