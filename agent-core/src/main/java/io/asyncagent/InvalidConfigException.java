package io.asyncagent;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by a {@code build()} method when the configuration as a whole is invalid. It carries every
 * problem found, not only the first, each with the path of the bad value.
 */
public final class InvalidConfigException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Every problem found, at least one. */
  private final List<Violation> violations;

  /**
   * Creates an exception listing the violations.
   *
   * @param subject what was being configured, for the message, such as {@code agent 'stocks'}
   * @param violations every problem found, at least one
   * @throws IllegalArgumentException if {@code violations} is empty
   * @throws NullPointerException if {@code violations} or one of them is null
   */
  public InvalidConfigException(String subject, List<Violation> violations) {
    super(message(subject, violations));
    this.violations = List.copyOf(violations);
  }

  /** {@return every violation found, in the order found; never empty} */
  public List<Violation> violations() {
    return violations;
  }

  private static String message(String subject, List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an InvalidConfigException needs at least one violation");
    }
    if (violations.size() == 1) {
      return "invalid " + subject + ": " + violations.get(0);
    }
    return violations.stream()
        .map(Violation::toString)
        .collect(Collectors.joining("\n  ", "invalid " + subject + " (" + violations.size() + " problems):\n  ", ""));
  }
}
