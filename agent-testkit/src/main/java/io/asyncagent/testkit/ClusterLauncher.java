package io.asyncagent.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Starts Apache Kafka's KRaft test cluster with the settings {@link EmbeddedKafka} promises.
 *
 * <p>Kept apart from {@link EmbeddedKafka} so the test-kit plumbing (formatting, fault handling on failed starts,
 * extra listeners) sits in one place.
 */
final class ClusterLauncher {
  /**
   * Broker settings applied before the user's. Without replication factor 1 for the internal topics a one-broker
   * cluster never creates {@code __consumer_offsets} and consumer groups silently receive nothing.
   */
  static final Map<String, String> DEFAULT_BROKER_PROPERTIES = defaults();

  private ClusterLauncher() {}

  /**
   * Builds, formats and starts a cluster, waits for its brokers, and hands the cluster to {@code wrap}.
   *
   * @param listeners the listeners to add next to the kit's plain one, if any
   * @param wrap turns the running cluster into what is returned
   * @throws IllegalStateException if extra listeners are asked for more than one broker, or if any step fails; the
   *     cluster is closed again first
   */
  static <T> T launch(
      int brokers,
      Map<String, String> brokerProperties,
      SecureListeners listeners,
      Function<KafkaClusterTestKit, T> wrap) {
    return launch(brokers, brokerProperties, Map.of(), listeners, wrap);
  }

  /**
   * As {@link #launch(int, Map, SecureListeners, Function)}, with settings for single brokers that the kit applies
   * after all others of their node.
   *
   * @throws IllegalStateException also if {@code perBrokerProperties} names a broker id the cluster does not have
   */
  static <T> T launch(
      int brokers,
      Map<String, String> brokerProperties,
      Map<Integer, Map<String, String>> perBrokerProperties,
      SecureListeners listeners,
      Function<KafkaClusterTestKit, T> wrap) {
    if (brokers > 1 && listeners.firstFeature().isPresent()) {
      throw new IllegalStateException(
          listeners.firstFeature().get() + " needs a single-broker cluster, but brokers was " + brokers);
    }
    for (int id : perBrokerProperties.keySet()) {
      if (id >= brokers) {
        throw new IllegalStateException("a broker property was set for broker " + id + ", but the broker ids are 0 to "
            + (brokers - 1));
      }
    }
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            // One controller: three combined controllers lose their raft quorum about 2 s after startup.
            .setNumControllerNodes(1)
            // The kit defaults to the latest *testing* metadata version; mirror what users run instead.
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .setPerServerProperties(perBrokerProperties)
            .build();
    Map<String, String> defaults = new LinkedHashMap<>(DEFAULT_BROKER_PROPERTIES);
    defaults.putAll(brokerProperties);
    Map<String, String> properties =
        listeners.brokerProperties(
            defaults,
            nodes.brokerListenerName().value(),
            nodes.brokerListenerProtocol().name,
            nodes.controllerListenerName().value(),
            nodes.controllerListenerProtocol().name);
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    properties.forEach(builder::setConfigProp);

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
    } catch (Exception e) {
      IllegalStateException failure = failedToStart(e);
      closeQuietly(cluster, failure);
      throw failure;
    }
    try {
      return wrap.apply(cluster);
    } catch (RuntimeException e) {
      closeQuietly(cluster, e);
      throw e;
    }
  }

  /** Closes a cluster for good. */
  static void close(KafkaClusterTestKit cluster) {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the embedded Kafka cluster", e);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded Kafka cluster failed: " + e, e);
    }
  }

  /** Closes a cluster that is being abandoned because of {@code failure}, attaching any close error to it. */
  private static void closeQuietly(KafkaClusterTestKit cluster, Throwable failure) {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Returns {@code properties} plus a SASL_PLAINTEXT listener on port 0 that accepts {@code users} with PLAIN; see
   * {@link SecureListeners#brokerProperties}.
   *
   * @throws IllegalStateException if {@code properties} sets the JAAS line this writes
   */
  static Map<String, String> withSaslPlainListener(
      Map<String, String> properties,
      Map<String, String> users,
      String brokerListener,
      String brokerProtocol,
      String controllerListener,
      String controllerProtocol) {
    return new SecureListeners(users, Map.of(), null, false, null)
        .brokerProperties(properties, brokerListener, brokerProtocol, controllerListener, controllerProtocol);
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
