package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One header of an {@link Event}: a name and raw bytes. Kafka record headers arrive as headers, and so
 * does the record key when the driver is told to copy it into one ({@code key_meta}).
 *
 * <p>Immutable, with value equality.
 */
public final class Header {
  private static final byte[] EMPTY = new byte[0];

  private final String name;
  private final byte[] value;

  private Header(String name, byte[] value) {
    this.name = name;
    this.value = value;
  }

  /**
   * Returns a header with a raw value. The array is copied.
   *
   * @param value the value; {@code null} (Kafka allows it) is treated as empty
   * @param name the name, any string, case kept
   * @return a new header
   * @throws NullPointerException if {@code name} is null
   */
  public static Header of(String name, byte[] value) {
    requireNonNull(name, "name");
    return new Header(name, value == null ? EMPTY : value.clone());
  }

  /**
   * {@return a header whose value is {@code value} encoded as UTF-8}
   *
   * @param name the name, any string, case kept
   * @param value the value
   * @throws NullPointerException if {@code name} or {@code value} is null
   */
  public static Header of(String name, String value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    return new Header(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@return the name, exactly as the source spelled it} */
  public String name() {
    return name;
  }

  /** {@return a copy of the raw value; empty, never null} */
  public byte[] value() {
    return value.clone();
  }

  /** {@return the length of the value in bytes} */
  public int valueSize() {
    return value.length;
  }

  /**
   * Returns the value decoded as UTF-8. Bytes that are not valid UTF-8 become U+FFFD, so this never
   * fails; use {@link #value()} where the exact bytes matter.
   *
   * @return the decoded value; empty, never null
   */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header other && name.equals(other.name) && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(value);
  }

  /** Returns the name and the value's size; never the value, which may be sensitive (a token, a key). */
  @Override
  public String toString() {
    return name + ": (" + value.length + " bytes)";
  }
}
