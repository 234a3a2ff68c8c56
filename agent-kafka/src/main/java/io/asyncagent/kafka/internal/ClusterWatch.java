package io.asyncagent.kafka.internal;

import io.asyncagent.ConnectionException;
import io.asyncagent.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * A KafkaConsumer never says that it lost the cluster: it retries quietly for ever. KrakenD's answer is
 * metadata_retry_max × metadata_retry_backoff — a loss shorter than that is ridden out, a longer one ends
 * the session and its reconnect loop takes over. The consumer's own metric of open connections is the
 * signal: a member of a group always holds one (to the coordinator, for heartbeats), so none at all for
 * longer than the tolerance means that no broker can be reached. Reading a cached metric costs nothing on
 * the poll thread.
 */
/** Tells the poll thread whether its consumer is connected, and when it has been cut off too long. */
final class ClusterWatch {
  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  private final Metric connections; // null: the consumer does not publish it; the watch then trusts the consumer
  private final long toleranceNanos;
  private final String explanation;
  private long unreachableSince = -1;

  ClusterWatch(Consumer<?, ?> consumer, Duration tolerance, int retryMax, Duration retryBackoff,
      List<String> brokers) {
    this.connections = connectionCount(consumer.metrics());
    this.toleranceNanos = tolerance.toNanos();
    this.explanation = "no connection to any broker of " + brokers + " for longer than metadata_retry_max ("
        + retryMax + ") × metadata_retry_backoff (" + GoDuration.format(retryBackoff) + ") = "
        + GoDuration.format(tolerance);
    if (connections == null) {
      log.debug("the consumer publishes no connection-count metric; a lost cluster will not be noticed");
    }
  }

  /**
   * Returns whether the consumer holds a connection at {@code now} (a {@link System#nanoTime()} reading).
   *
   * @throws ConnectionException (retriable) if it has held none for longer than the tolerance
   */
  boolean check(long now) {
    if (connections == null || ((Number) connections.metricValue()).doubleValue() > 0) {
      unreachableSince = -1;
      return true;
    }
    if (unreachableSince < 0) {
      unreachableSince = now;
    } else if (now - unreachableSince > toleranceNanos) {
      throw new ConnectionException("lost the cluster: " + explanation, true);
    }
    return false;
  }

  private static Metric connectionCount(Map<MetricName, ? extends Metric> metrics) {
    for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
      if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("consumer-metrics")) {
        return metric.getValue();
      }
    }
    return null;
  }
}
