package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.util.List;
import java.util.Objects;

/**
 * The consumer group an agent joins (KrakenD's {@code group}). Agents sharing a group id share the
 * work: each partition is consumed by one of them.
 *
 * <p>Immutable, with value equality. Build one with {@link #builder()}; derive a variant with
 * {@link #toBuilder()}.
 */
public final class Group {
  private final String id;
  private final IsolationLevel isolationLevel;

  private Group(Builder builder) {
    this.id = builder.id;
    this.isolationLevel = builder.isolationLevel;
  }

  /** Returns an empty builder; {@code id} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this group's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.id = id;
    builder.isolationLevel = isolationLevel;
    return builder;
  }

  /** Returns the group id (Kafka's {@code group.id}). */
  public String id() {
    return id;
  }

  /** Returns the isolation level (Kafka's {@code isolation.level}). */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Group other && id.equals(other.id) && isolationLevel == other.isolationLevel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, isolationLevel);
  }

  @Override
  public String toString() {
    return "Group{id=" + id + ", isolationLevel=" + isolationLevel + "}";
  }

  /** Builds a {@link Group}. Each setter checks its value at once. */
  public static final class Builder {
    private String id;
    private IsolationLevel isolationLevel = IsolationLevel.READ_COMMITTED;

    private Builder() {}

    /**
     * Sets the group id (KrakenD's {@code group.id}). Required.
     *
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public Builder id(String id) {
      requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("group.id must not be blank, but was '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /** Sets the isolation level. Default {@link IsolationLevel#READ_COMMITTED}, as in KrakenD. */
    public Builder isolationLevel(IsolationLevel isolationLevel) {
      this.isolationLevel = requireNonNull(isolationLevel, "isolationLevel");
      return this;
    }

    /**
     * Builds the group.
     *
     * @throws InvalidConfigException if {@code id} was not set
     */
    public Group build() {
      if (id == null) {
        throw new InvalidConfigException("group", List.of(new Violation("group.id", "is required")));
      }
      return new Group(this);
    }
  }
}
