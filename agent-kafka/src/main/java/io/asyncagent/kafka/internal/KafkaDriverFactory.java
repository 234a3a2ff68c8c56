package io.asyncagent.kafka.internal;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.IsolationLevel;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverFactory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads KrakenD's {@code "async/kafka"} block — {@code cluster}, {@code group}, {@code key_meta}, and our
 * {@code start_from} and {@code commit_interval} — into a {@link KafkaDriver}. Found by
 * {@link java.util.ServiceLoader}. Each field goes through the builder setter that checks it, so a file
 * and a program get the same rules; only the names in messages differ.
 */
public final class KafkaDriverFactory implements DriverFactory {
  static final List<String> DRIVER_FIELDS = List.of("cluster", "group", "key_meta", "start_from", "commit_interval");
  static final List<String> CLUSTER_FIELDS = List.of("brokers", "channel_buffer_size", "client_id", "client_tls",
      "dial_timeout", "keep_alive", "metadata_retry_backoff", "metadata_retry_max", "rack_id", "read_timeout", "sasl",
      "write_timeout");
  static final List<String> GROUP_FIELDS = List.of("fetch_default", "heartbeat_interval", "id", "group_id",
      "instance_id", "isolation_level", "rebalance_strategies", "rebalance_timeout", "session_timeout");

  /** Builder names in a {@link Group} violation, by JSON name. */
  private static final Map<String, String> GROUP_JSON_NAMES = Map.of(
      "group.id", "id",
      "group.heartbeatInterval", "heartbeat_interval",
      "group.sessionTimeout", "session_timeout");

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public KafkaDriverFactory() {}

  @Override
  public String namespace() {
    return "async/kafka";
  }

  @Override
  public Optional<Driver> create(ConfigNode config, String agentName) {
    int before = config.problemCount();
    config.rejectUnknown(DRIVER_FIELDS);
    KafkaDriver.Builder driver = KafkaDriver.builder();
    Optional<ConfigNode> clusterNode = config.object("cluster");
    if (clusterNode.isEmpty() && !config.has("cluster")) {
      config.report("cluster", "is required");
    }
    clusterNode.flatMap(KafkaDriverFactory::cluster).ifPresent(driver::cluster);
    // Without a group, or a group without an id, the agent's name is the group id (KrakenD has no default).
    Optional<ConfigNode> groupNode = config.object("group");
    if (groupNode.isPresent()) {
      group(groupNode.get(), agentName).ifPresent(driver::group);
    } else if (!config.has("group")) {
      driver.group(Group.of(agentName));
    }
    // KrakenD treats an empty key_meta as none.
    config.apply("key_meta", config.string("key_meta").filter(meta -> !meta.isEmpty()), driver::keyMeta);
    config.apply("commit_interval", config.duration("commit_interval"), driver::commitInterval);
    config.convert("start_from", config.string("start_from"), KafkaDriverFactory::startPosition)
        .ifPresent(driver::startFrom);
    if (config.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(driver.build());
  }

  static Optional<Cluster> cluster(ConfigNode node) {
    int before = node.problemCount();
    node.rejectUnknown(CLUSTER_FIELDS);
    Cluster.Builder cluster = Cluster.builder();
    Optional<List<String>> brokers = node.strings("brokers");
    if (brokers.isEmpty() && !node.has("brokers")) {
      node.report("brokers", "is required");
    }
    node.apply("brokers", brokers, cluster::brokers);
    node.apply("channel_buffer_size", node.integer("channel_buffer_size"), cluster::channelBufferSize);
    node.apply("client_id", node.string("client_id"), cluster::clientId);
    node.apply("dial_timeout", node.duration("dial_timeout"), cluster::dialTimeout);
    node.apply("keep_alive", node.duration("keep_alive"), cluster::keepAlive);
    node.apply("metadata_retry_backoff", node.duration("metadata_retry_backoff"), cluster::metadataRetryBackoff);
    node.apply("metadata_retry_max", node.integer("metadata_retry_max"), cluster::metadataRetryMax);
    // KrakenD's default is the empty string: no rack.
    node.apply("rack_id", node.string("rack_id").filter(rack -> !rack.isEmpty()), cluster::rackId);
    node.apply("read_timeout", node.duration("read_timeout"), cluster::readTimeout);
    node.apply("write_timeout", node.duration("write_timeout"), cluster::writeTimeout);
    node.object("sasl").flatMap(SecurityConfigReader::sasl).ifPresent(cluster::sasl);
    node.object("client_tls").flatMap(SecurityConfigReader::clientTls).ifPresent(cluster::clientTls);
    if (node.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(cluster.build());
  }

  static Optional<Group> group(ConfigNode node, String agentName) {
    int before = node.problemCount();
    node.rejectUnknown(GROUP_FIELDS);
    Group.Builder group = Group.builder();
    // KrakenD's schema says "id"; its documentation's example says "group_id".
    Optional<String> idField = node.spelling("id", "group_id");
    group.id(agentName);
    idField.ifPresent(field -> node.apply(field, node.string(field), group::id));
    node.apply("fetch_default", node.integer("fetch_default"), group::fetchDefault);
    node.apply("heartbeat_interval", node.duration("heartbeat_interval"), group::heartbeatInterval);
    node.apply("session_timeout", node.duration("session_timeout"), group::sessionTimeout);
    node.apply("rebalance_timeout", node.duration("rebalance_timeout"), group::rebalanceTimeout);
    node.apply("instance_id", node.string("instance_id"), group::instanceId);
    node.convert("isolation_level", node.string("isolation_level"), KafkaDriverFactory::isolationLevel)
        .ifPresent(group::isolationLevel);
    node.convert("rebalance_strategies", node.strings("rebalance_strategies"), KafkaDriverFactory::strategies)
        .ifPresent(strategies -> node.apply("rebalance_strategies", Optional.of(strategies),
            s -> group.rebalanceStrategies(s.toArray(RebalanceStrategy[]::new))));
    if (node.problemCount() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(group.build());
    } catch (InvalidConfigException e) {
      for (Violation violation : e.violations()) {
        node.report(GROUP_JSON_NAMES.getOrDefault(violation.path(), violation.path()), jsonNames(violation.message()));
      }
      return Optional.empty();
    }
  }

  /** Accepts Kafka's spellings and the misspelt ones of KrakenD's documentation and schema. */
  static IsolationLevel isolationLevel(String value) {
    switch (value) {
      case "read_committed":
      case "read_commited":
        return IsolationLevel.READ_COMMITTED;
      case "read_uncommitted":
      case "read_uncommited":
        return IsolationLevel.READ_UNCOMMITTED;
      default:
        throw new IllegalArgumentException("isolation_level must be read_committed or read_uncommitted (KrakenD's"
            + " read_commited and read_uncommited are accepted too), but was \"" + value + "\"");
    }
  }

  static List<RebalanceStrategy> strategies(List<String> names) {
    List<RebalanceStrategy> strategies = new ArrayList<>();
    for (String name : names) {
      RebalanceStrategy strategy = Arrays.stream(RebalanceStrategy.values())
          .filter(s -> s.krakendName().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("rebalance_strategies must hold only "
              + Arrays.stream(RebalanceStrategy.values()).map(RebalanceStrategy::krakendName)
                  .collect(Collectors.joining(", "))
              + ", but holds \"" + name + "\""));
      strategies.add(strategy);
    }
    return strategies;
  }

  /** {@code latest}, {@code earliest}, or an RFC 3339 instant such as {@code 2026-11-01T00:00:00Z}. */
  static StartPosition startPosition(String value) {
    switch (value) {
      case "latest":
        return StartPosition.latest();
      case "earliest":
        return StartPosition.earliest();
      default:
        try {
          return StartPosition.timestamp(Instant.parse(value));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("start_from must be latest, earliest or an instant such as"
              + " 2026-11-01T00:00:00Z, but was \"" + value + "\"");
        }
    }
  }

  /** Turns the builder's names in a cross-field message into the file's. */
  private static String jsonNames(String message) {
    return message.replace("sessionTimeout", "session_timeout").replace("heartbeatInterval", "heartbeat_interval");
  }
}
