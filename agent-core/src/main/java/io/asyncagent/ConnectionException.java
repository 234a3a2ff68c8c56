package io.asyncagent;

/**
 * A driver's session ended because of its connection to the source: the cluster became unreachable, or
 * it refused the agent. A retriable one is retried under the agent's {@link ConnectionPolicy}; one that
 * is not — wrong credentials, a topic the agent may not read — fails the agent at once, since trying
 * again cannot help.
 */
public class ConnectionException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Whether connecting again could succeed. */
  private final boolean retriable;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   * @param retriable whether connecting again could succeed
   */
  public ConnectionException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  /**
   * Creates the exception with the cause the driver met.
   *
   * @param message what went wrong
   * @param retriable whether connecting again could succeed
   * @param cause what the driver met, or {@code null} if unknown
   */
  public ConnectionException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  /** {@return whether connecting again could succeed} */
  public boolean isRetriable() {
    return retriable;
  }
}
