package io.asyncagent;

import static java.util.Objects.requireNonNull;

/**
 * A partition of a topic, as assigned to an agent.
 *
 * @param topic the topic
 * @param partition the partition number, {@code >= 0}
 */
public record Partition(String topic, int partition) {
  /**
   * Checks the parts.
   *
   * @param topic the topic
   * @param partition the partition number, {@code >= 0}
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code partition} is negative
   */
  public Partition {
    requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, but was " + partition);
    }
  }

  /** Returns {@code topic-partition}, as in {@code orders-3}. */
  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
