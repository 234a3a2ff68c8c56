package io.asyncagent;

import static java.util.Objects.requireNonNull;

/**
 * Where an event comes from: a topic, a partition of it, and the offset within the partition.
 *
 * @param topic the topic (or, for drivers without topics, the source's name)
 * @param partition the partition, {@code >= 0}
 * @param offset the offset within the partition, {@code >= 0}
 */
public record Coordinates(String topic, int partition, long offset) {
  /**
   * Checks the parts.
   *
   * @param topic the topic
   * @param partition the partition, {@code >= 0}
   * @param offset the offset, {@code >= 0}
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code partition} or {@code offset} is negative
   */
  public Coordinates {
    requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, but was " + partition);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, but was " + offset);
    }
  }

  /** Returns {@code topic-partition@offset}, as in {@code orders-3@1042}. */
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
