package io.asyncagent;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by a {@code build()} method when the configuration as a whole is invalid. It carries every
 * problem found, not only the first, each with the path of the bad value.
 */
public final class InvalidConfigException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final List<Violation> violations;

  /**
   * Creates an exception listing the violations.
   *
   * @throws IllegalArgumentException if {@code violations} is empty
   */
  public InvalidConfigException(String subject, List<Violation> violations) {
    super(message(subject, violations));
    this.violations = List.copyOf(violations);
  }

  /** Returns every violation found, in the order found; never empty. */
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
