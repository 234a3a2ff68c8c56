package io.asyncagent;

/**
 * The root of every exception this library throws on its own account (misuse of an API throws the JDK's
 * {@link IllegalArgumentException} or {@link IllegalStateException} instead).
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public AgentException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause that led to it.
   *
   * @param message what went wrong
   * @param cause what led to it, or {@code null} if unknown
   */
  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
