package io.asyncagent.testkit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.network.ListenerName;
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

  /** The name, and security protocol, of the listener {@link EmbeddedKafka.Builder#saslPlainUser} adds. */
  static final String SASL_LISTENER = "SASL_PLAINTEXT";

  static final String SASL_JAAS_CONFIG_KEY = "listener.name.sasl_plaintext.plain.sasl.jaas.config";

  private ClusterLauncher() {}

  /**
   * Builds, formats and starts a cluster, waits for its brokers, and hands the cluster to {@code wrap}.
   *
   * @param saslPlainUsers user to password; when not empty, a SASL_PLAINTEXT listener accepting them is added
   * @param wrap turns the running cluster into what is returned
   * @throws IllegalStateException if SASL users are given for more than one broker, or if any step fails; the
   *     cluster is closed again first
   */
  static <T> T launch(
      int brokers,
      Map<String, String> brokerProperties,
      Map<String, String> saslPlainUsers,
      Function<KafkaClusterTestKit, T> wrap) {
    if (!saslPlainUsers.isEmpty() && brokers > 1) {
      throw new IllegalStateException(
          "saslPlainUser(user, password) needs a single-broker cluster, but brokers was " + brokers);
    }
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            // One controller: three combined controllers lose their raft quorum about 2 s after startup.
            .setNumControllerNodes(1)
            // The kit defaults to the latest *testing* metadata version; mirror what users run instead.
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    Map<String, String> properties = new LinkedHashMap<>(DEFAULT_BROKER_PROPERTIES);
    properties.putAll(brokerProperties);
    if (!saslPlainUsers.isEmpty()) {
      properties =
          withSaslPlainListener(
              properties,
              saslPlainUsers,
              nodes.brokerListenerName().value(),
              nodes.brokerListenerProtocol().name,
              nodes.controllerListenerName().value(),
              nodes.controllerListenerProtocol().name);
    }
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

  /** Returns {@code localhost:<port>} of the SASL listener of broker 0, which must have one. */
  static String saslPlaintextAddress(KafkaClusterTestKit cluster) {
    return "localhost:" + cluster.brokers().get(0).boundPort(ListenerName.normalised(SASL_LISTENER));
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
   * Returns {@code properties} plus a SASL_PLAINTEXT listener on port 0 that accepts {@code users} with PLAIN.
   *
   * <p>The kit fills in {@code listeners} and {@code listener.security.protocol.map} only when they are absent, and
   * Kafka's built-in protocol map is not used once the kit has set its own; so both are set here, extending the
   * user's values if there are any, else the kit's. The kit's PLAINTEXT listener stays the inter-broker listener,
   * which its admin client and producer use too.
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
    if (properties.containsKey(SASL_JAAS_CONFIG_KEY)) {
      throw new IllegalStateException(
          "broker property '" + SASL_JAAS_CONFIG_KEY + "' conflicts with saslPlainUser(user, password), which sets it");
    }
    Map<String, String> result = new LinkedHashMap<>(properties);
    String saslListener = SASL_LISTENER + "://localhost:0";
    result.put(
        "listeners",
        appendIfAbsent(
            properties.getOrDefault(
                "listeners",
                brokerListener + "://localhost:0," + controllerListener + "://localhost:0"),
            saslListener,
            "://"));
    if (properties.containsKey("advertised.listeners")) {
      result.put("advertised.listeners", appendIfAbsent(properties.get("advertised.listeners"), saslListener, "://"));
    }
    result.put(
        "listener.security.protocol.map",
        appendIfAbsent(
            properties.getOrDefault(
                "listener.security.protocol.map",
                brokerListener + ":" + brokerProtocol + "," + controllerListener + ":" + controllerProtocol),
            SASL_LISTENER + ":" + SASL_LISTENER,
            ":"));
    result.put("sasl.enabled.mechanisms", appendIfAbsent(properties.getOrDefault("sasl.enabled.mechanisms", ""),
        "PLAIN", ","));
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
        .append(jaasEscape(password)).append('"'));
    result.put(SASL_JAAS_CONFIG_KEY, jaas.append(';').toString());
    return result;
  }

  /**
   * Appends {@code entry} to a comma-separated list unless the list has an entry with the same name, the part
   * before {@code nameEnd} (listener names compare ignoring case, as Kafka upper-cases them).
   */
  private static String appendIfAbsent(String list, String entry, String nameEnd) {
    String name = nameOf(entry, nameEnd);
    for (String existing : list.split(",")) {
      if (!existing.isBlank() && nameOf(existing.trim(), nameEnd).equals(name)) {
        return list;
      }
    }
    return list.isBlank() ? entry : list + "," + entry;
  }

  private static String nameOf(String entry, String nameEnd) {
    int end = entry.indexOf(nameEnd);
    return (end < 0 ? entry : entry.substring(0, end)).toUpperCase(Locale.ROOT);
  }

  /** Escapes a value for a double-quoted JAAS option. */
  private static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
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
