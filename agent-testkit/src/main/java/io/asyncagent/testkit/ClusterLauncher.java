package io.asyncagent.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Starts Apache Kafka's KRaft test cluster with the settings {@link EmbeddedKafka} promises.
 *
 * <p>Kept apart from {@link EmbeddedKafka} so the test-kit plumbing (formatting, fault handling on failed starts)
 * sits in one place.
 */
final class ClusterLauncher {
  /**
   * Broker settings applied before the user's. Without replication factor 1 for the internal topics a one-broker
   * cluster never creates {@code __consumer_offsets} and consumer groups silently receive nothing.
   */
  static final Map<String, String> DEFAULT_BROKER_PROPERTIES = defaults();

  private ClusterLauncher() {}

  /**
   * Builds, formats and starts a cluster, and waits for its brokers.
   *
   * @throws IllegalStateException if any step fails; the cluster is closed again first
   */
  static KafkaClusterTestKit launch(int brokers, Map<String, String> brokerProperties) {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            // One controller: three combined controllers lose their raft quorum about 2 s after startup.
            .setNumControllerNodes(1)
            // The kit defaults to the latest *testing* metadata version; mirror what users run instead.
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    DEFAULT_BROKER_PROPERTIES.forEach(builder::setConfigProp);
    brokerProperties.forEach(builder::setConfigProp);

    KafkaClusterTestKit cluster;
    try {
      cluster = builder.build();
    } catch (Exception e) {
      throw failedToStart(e);
    }
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return cluster;
    } catch (Exception e) {
      IllegalStateException failure = failedToStart(e);
      closeQuietly(cluster, failure);
      throw failure;
    }
  }

  /** Closes a cluster that is being abandoned because of {@code failure}, attaching any close error to it. */
  static void closeQuietly(KafkaClusterTestKit cluster, Throwable failure) {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private static IllegalStateException failedToStart(Exception cause) {
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException("the embedded Kafka cluster failed to start: " + cause, cause);
  }

  private static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("unstable.api.versions.enable", "false");
    defaults.put("unstable.feature.versions.enable", "false");
    defaults.put("offsets.topic.replication.factor", "1");
    defaults.put("offsets.topic.num.partitions", "5");
    defaults.put("transaction.state.log.replication.factor", "1");
    defaults.put("transaction.state.log.min.isr", "1");
    // The default 3 s delay would slow down every test's first group join.
    defaults.put("group.initial.rebalance.delay.ms", "0");
    defaults.put("share.coordinator.state.topic.replication.factor", "1");
    defaults.put("share.coordinator.state.topic.min.isr", "1");
    defaults.put("auto.create.topics.enable", "false");
    return Map.copyOf(defaults);
  }
}
