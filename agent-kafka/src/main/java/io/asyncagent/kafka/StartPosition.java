package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a consumer group with no committed offset for a partition starts reading it. A group that has
 * committed always resumes from its commits, whatever this says.
 *
 * <p>Immutable, with value equality.
 */
public final class StartPosition {
  private static final StartPosition LATEST = new StartPosition("latest", null);
  private static final StartPosition EARLIEST = new StartPosition("earliest", null);

  private final String kind;
  private final Instant timestamp;

  private StartPosition(String kind, Instant timestamp) {
    this.kind = kind;
    this.timestamp = timestamp;
  }

  /**
   * Starts at the end: only events published after the agent started are delivered. KrakenD's policy, and the
   * default.
   *
   * @return the position at the end
   */
  public static StartPosition latest() {
    return LATEST;
  }

  /**
   * Starts at the beginning: every event still in the partition is delivered.
   *
   * @return the position at the beginning
   */
  public static StartPosition earliest() {
    return EARLIEST;
  }

  /**
   * Starts at the first event whose timestamp is at or after {@code timestamp}; a partition with no such
   * event starts at its end.
   *
   * @param timestamp the earliest timestamp delivered
   * @return the position
   * @throws NullPointerException if {@code timestamp} is null
   */
  public static StartPosition timestamp(Instant timestamp) {
    return new StartPosition("timestamp", requireNonNull(timestamp, "timestamp"));
  }

  /** {@return the value of Kafka's {@code auto.offset.reset} this position uses} */
  public String autoOffsetReset() {
    return this == EARLIEST ? "earliest" : "latest";
  }

  /** {@return the timestamp to start from, for {@link #timestamp(Instant)}} */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StartPosition other && kind.equals(other.kind) && Objects.equals(timestamp, other.timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timestamp);
  }

  @Override
  public String toString() {
    return timestamp == null ? kind : kind + "(" + timestamp + ")";
  }
}
