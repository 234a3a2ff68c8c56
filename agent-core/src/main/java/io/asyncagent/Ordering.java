package io.asyncagent;

/**
 * Which events an agent keeps in order. Ordered events of one lane are delivered one at a time, in offset
 * order, retries included; events of different lanes go in parallel, up to {@code workers}.
 */
public enum Ordering {
  /**
   * No order: up to {@code workers} events in flight, whatever their partition or key. KrakenD's
   * behaviour, and the default.
   */
  UNORDERED,
  /** One lane per partition: a partition's events are delivered one at a time, in offset order. */
  PARTITION,
  /**
   * One lane per partition and key: the events of a key are delivered one at a time, in offset order,
   * while other keys go in parallel — a slow key holds back only itself. Events without a key impose no
   * order.
   */
  KEY
}
