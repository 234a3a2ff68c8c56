package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A password, token or key. It prints as {@code ****} — in {@code toString}, and so in logs and exception
 * messages — and is read only through {@link #reveal()}, a name that stands out in review.
 *
 * <p>Immutable, with value equality (compared in constant time).
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @param value the secret value; may be empty
   * @return the wrapped value
   * @throws NullPointerException if {@code value} is null
   */
  public static Secret of(String value) {
    return new Secret(requireNonNull(value, "value"));
  }

  /** {@return the secret itself} Pass it only to what needs it; never log it. */
  public String reveal() {
    return value;
  }

  /** {@return whether the secret is the empty string} */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Returns {@code ****}, whatever the value. */
  @Override
  public String toString() {
    return "****";
  }
}
