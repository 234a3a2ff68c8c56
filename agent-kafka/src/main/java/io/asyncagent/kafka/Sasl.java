package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.Secret;
import java.util.Objects;

/**
 * SASL authentication to the brokers (KrakenD's {@code cluster.sasl}). Create one with a static factory:
 *
 * <pre>{@code
 * Cluster.builder().brokers("kafka:9092").sasl(Sasl.plain("johnsmith", "myp4ssword")).build();
 * }</pre>
 *
 * <p>Immutable, with value equality; the password never appears in {@code toString}.
 */
public final class Sasl {

  /** A SASL mechanism. */
  public enum Mechanism {
    /** SASL/PLAIN (RFC 4616): user and password, sent as they are — use it over TLS outside a lab. */
    PLAIN("PLAIN");

    private final String kafkaName;

    Mechanism(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** Returns the value of Kafka's {@code sasl.mechanism} property. */
    public String kafkaName() {
      return kafkaName;
    }
  }

  private final Mechanism mechanism;
  private final String user;
  private final Secret password;

  private Sasl(Mechanism mechanism, String user, Secret password) {
    this.mechanism = mechanism;
    this.user = user;
    this.password = password;
  }

  /**
   * Returns SASL/PLAIN with a user and a password (KrakenD's default mechanism).
   *
   * @throws IllegalArgumentException if {@code user} is blank
   * @throws NullPointerException if either is null
   */
  public static Sasl plain(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    if (user.isBlank()) {
      throw new IllegalArgumentException("sasl.user must not be blank, but was '" + user + "'");
    }
    return new Sasl(Mechanism.PLAIN, user, Secret.of(password));
  }

  /** Returns the mechanism. */
  public Mechanism mechanism() {
    return mechanism;
  }

  /** Returns the user (SASL's authentication identity). */
  public String user() {
    return user;
  }

  /** Returns the password. */
  public Secret password() {
    return password;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sasl other
        && mechanism == other.mechanism
        && user.equals(other.user)
        && password.equals(other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, user, password);
  }

  @Override
  public String toString() {
    return "Sasl{mechanism=" + mechanism + ", user=" + user + ", password=" + password + "}";
  }
}
