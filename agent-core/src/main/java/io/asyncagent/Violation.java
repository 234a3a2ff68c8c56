package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One problem found in a configuration: where it is and what is wrong.
 *
 * @param path the configuration path of the bad value, such as {@code workers} or
 *     {@code async_agent[0].extra_config."async/kafka".group.id}
 * @param message what is wrong, naming the bad value, such as {@code must be >= 1, but was 0}
 * @serial exclude
 */
public record Violation(String path, String message) implements Serializable {
  /**
   * Checks that both parts are present.
   *
   * @param path the configuration path of the bad value
   * @param message what is wrong
   * @throws NullPointerException if {@code path} or {@code message} is null
   */
  public Violation {
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  /** Returns {@code path: message}. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
