package io.asyncagent.kafka;

/**
 * Which records of transactions a consumer reads (KrakenD's {@code group.isolation_level}).
 *
 * <p>These follow Kafka's real meaning. KrakenD's documentation swaps the two descriptions: it says
 * {@code read_commited} returns all messages, while in Kafka (and in sarama, which KrakenD uses) it is
 * {@code read_uncommitted} that returns everything, and {@code read_committed} that hides records of
 * aborted transactions and those of open ones.
 */
public enum IsolationLevel {
  /** Read only records of committed transactions (and non-transactional records). KrakenD's default. */
  READ_COMMITTED("read_committed"),
  /** Read every record, those of aborted transactions included. Kafka's default. */
  READ_UNCOMMITTED("read_uncommitted");

  private final String kafkaName;

  IsolationLevel(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /** {@return the value of Kafka's {@code isolation.level} property} */
  public String kafkaName() {
    return kafkaName;
  }
}
