package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** The argument checks of {@link EmbeddedKafka} and its builder, with the messages their Javadoc promises. */
final class Checks {
  // A SASL user becomes part of a JAAS option name, user_<name>, which Kafka's JAAS parser reads as one word.
  private static final Pattern SASL_USER = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

  private Checks() {}

  /** Returns {@code value}, or throws {@code <name> must be >= 1, but was 0}. */
  static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
    }
    return value;
  }

  /** Returns {@code key}, checked for {@link EmbeddedKafka.Builder#brokerProperty(String, String)}. */
  static String brokerPropertyKey(String key) {
    requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("broker property key must not be blank");
    }
    return key;
  }

  /** Checks the arguments of {@link EmbeddedKafka.Builder#saslPlainUser(String, String)}. */
  static void saslPlainUser(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    if (!SASL_USER.matcher(user).matches()) {
      throw new IllegalArgumentException("SASL user must be 1 to 100 of a-z A-Z 0-9 . _ -, but was '" + user + "'");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("SASL password of user '" + user + "' must not be empty");
    }
  }
}
