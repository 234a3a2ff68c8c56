package io.asyncagent.kafka.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kafka's rules for topic names, checked before a consumer ever sees them. */
public final class TopicNames {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final int MAX_LENGTH = 249;

  private TopicNames() {}

  /** Returns what is wrong with {@code topic} as a Kafka topic name, or empty if nothing is. */
  public static Optional<String> check(String topic) {
    if (topic.equals(".") || topic.equals("..")) {
      return Optional.of("must not be '.' or '..', but was '" + topic + "'");
    }
    if (topic.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters, but was " + topic.length());
    }
    if (!LEGAL.matcher(topic).matches()) {
      return Optional.of("must contain only ASCII letters, digits, '.', '_' and '-', but was '" + topic + "'");
    }
    return Optional.empty();
  }
}
