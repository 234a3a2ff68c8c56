package io.asyncagent.kafka;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;

/**
 * How a consumer group spreads partitions over its members (KrakenD's {@code group.rebalance_strategies}).
 * The group uses the first strategy in a member's list that every member supports.
 */
public enum RebalanceStrategy {
  /** Consecutive ranges of each topic's partitions per member. KrakenD's default. */
  RANGE("range", RangeAssignor.class.getName()),
  /** Partitions dealt out one by one. */
  ROUND_ROBIN("roundrobin", RoundRobinAssignor.class.getName()),
  /** Balanced, and moving as few partitions as possible on a rebalance. */
  STICKY("sticky", StickyAssignor.class.getName()),
  /**
   * Sticky, and incremental: a rebalance revokes only the partitions that move, and the others keep being
   * consumed throughout. Not offered by KrakenD.
   */
  COOPERATIVE_STICKY("cooperative-sticky", CooperativeStickyAssignor.class.getName());

  private final String krakendName;
  private final String assignorClass;

  RebalanceStrategy(String krakendName, String assignorClass) {
    this.krakendName = krakendName;
    this.assignorClass = assignorClass;
  }

  /** {@return the name KrakenD's configuration uses, such as {@code roundrobin}} */
  public String krakendName() {
    return krakendName;
  }

  /** {@return the kafka-clients assignor, a value of {@code partition.assignment.strategy}} */
  public String assignorClass() {
    return assignorClass;
  }
}
