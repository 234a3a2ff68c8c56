package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class KafkaDriverFactoryTest {
  private static final String PATH = "async_agent[0].extra_config.\"async/kafka\"";

  private final List<Violation> violations = new ArrayList<>();

  private Optional<Driver> read(Map<String, ?> block) {
    return new KafkaDriverFactory().create(ConfigNode.of(PATH, block, violations), "stocks");
  }

  @Test
  void isFoundByTheServiceLoaderUnderItsNamespace() {
    assertThat(ServiceLoader.load(DriverFactory.class).stream().map(ServiceLoader.Provider::get)
        .map(DriverFactory::namespace)).contains("async/kafka");
  }

  @Test
  void readsTheSeedPagesExampleWithItsSpellings() {
    Optional<Driver> driver = read(Map.of(
        "cluster", Map.of("brokers", List.of("localhost:9092"), "client_id", "cid_stocksconsumer"),
        "group", Map.of("group_id", "my_group_id", "isolation_level", "read_commited"),
        "key_meta", "Message-Id"));

    assertThat(violations).isEmpty();
    assertThat(driver).contains(KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("localhost:9092").clientId("cid_stocksconsumer").build())
        .group(Group.builder().id("my_group_id").isolationLevel(IsolationLevel.READ_COMMITTED).build())
        .keyMeta("Message-Id")
        .build());
  }

  @Test
  void readsEveryClusterAndGroupField() {
    Optional<Driver> driver = read(Map.of(
        "cluster", Map.ofEntries(
            Map.entry("brokers", List.of("k1:9092", "k2:9092")),
            Map.entry("channel_buffer_size", 64),
            Map.entry("client_id", "cid"),
            Map.entry("dial_timeout", "5s"),
            Map.entry("keep_alive", "15s"),
            Map.entry("metadata_retry_backoff", "1s"),
            Map.entry("metadata_retry_max", 10),
            Map.entry("rack_id", "eu-1a"),
            Map.entry("read_timeout", "45s"),
            Map.entry("write_timeout", "1m")),
        "group", Map.of(
            "id", "g", "fetch_default", 4096, "heartbeat_interval", "1s", "session_timeout", "30s",
            "rebalance_timeout", "2m", "instance_id", "agent-1", "isolation_level", "read_uncommited",
            "rebalance_strategies", List.of("sticky", "roundrobin")),
        "start_from", "2026-11-01T00:00:00Z",
        "commit_interval", "500ms"));

    assertThat(violations).isEmpty();
    assertThat(driver).contains(KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k1:9092", "k2:9092").channelBufferSize(64).clientId("cid")
            .dialTimeout(Duration.ofSeconds(5)).keepAlive(Duration.ofSeconds(15))
            .metadataRetryBackoff(Duration.ofSeconds(1)).metadataRetryMax(10).rackId("eu-1a")
            .readTimeout(Duration.ofSeconds(45)).writeTimeout(Duration.ofMinutes(1)).build())
        .group(Group.builder().id("g").fetchDefault(4096).heartbeatInterval(Duration.ofSeconds(1))
            .sessionTimeout(Duration.ofSeconds(30)).rebalanceTimeout(Duration.ofMinutes(2)).instanceId("agent-1")
            .isolationLevel(IsolationLevel.READ_UNCOMMITTED)
            .rebalanceStrategies(RebalanceStrategy.STICKY, RebalanceStrategy.ROUND_ROBIN).build())
        .startFrom(StartPosition.timestamp(Instant.parse("2026-11-01T00:00:00Z")))
        .commitInterval(Duration.ofMillis(500))
        .build());
  }

  @Test
  void reportsEveryProblemWithItsPathAndValue() {
    Optional<Driver> driver = read(Map.of(
        "cluster", Map.of("brokers", List.of("k:9092", "localhost"), "dial_timeout", "30", "keep_alive", "-1s",
            "metadata_retry_max", -1, "channel_buffer_size", 1.5, "colour", "blue"),
        "group", Map.of("id", "g", "group_id", "g2", "isolation_level", "read_everything",
            "heartbeat_interval", "20s", "rebalance_strategies", List.of("range", "fastest")),
        "key_meta", " ",
        "start_from", "yesterday"));

    assertThat(driver).isEmpty();
    assertThat(violations).extracting(Violation::toString).containsExactlyInAnyOrder(
        PATH + ".cluster.colour: unknown field; the fields here are brokers, channel_buffer_size, client_id,"
            + " client_tls, dial_timeout, keep_alive, metadata_retry_backoff, metadata_retry_max, rack_id,"
            + " read_timeout, sasl, write_timeout",
        PATH + ".cluster.brokers[1]: must be host:port with a port from 1 to 65535, but was \"localhost\"",
        PATH + ".cluster.channel_buffer_size: must be a whole number from -2147483648 to 2147483647, but was 1.5",
        PATH + ".cluster.dial_timeout: must be a Go duration such as \"250ms\" or \"1m30s\", but was \"30\"",
        PATH + ".cluster.keep_alive: must be >= 0 (the Java client always keeps TCP connections alive), but was -1s",
        PATH + ".cluster.metadata_retry_max: must be >= 0, but was -1",
        PATH + ".group.group_id: is another spelling of id; give only one of them",
        PATH + ".group.isolation_level: must be read_committed or read_uncommitted (KrakenD's read_commited and"
            + " read_uncommited are accepted too), but was \"read_everything\"",
        PATH + ".group.rebalance_strategies: must hold only range, roundrobin, sticky, cooperative-sticky,"
            + " but holds \"fastest\"",
        PATH + ".key_meta: must not be blank, but was \" \"",
        PATH + ".start_from: must be latest, earliest or an instant such as 2026-11-01T00:00:00Z,"
            + " but was \"yesterday\"");
  }

  @Test
  void reportsAHeartbeatNotBelowTheSessionTimeoutInTheFilesNames() {
    Optional<Driver> driver = read(Map.of(
        "cluster", Map.of("brokers", List.of("k:9092")),
        "group", Map.of("id", "g", "heartbeat_interval", "12s")));

    assertThat(driver).isEmpty();
    assertThat(violations).extracting(Violation::toString).containsExactly(
        PATH + ".group.heartbeat_interval: must be < session_timeout (10s), but was 12s");
  }

  @Test
  void requiresTheClusterAndItsBrokers() {
    assertThat(read(Map.of("group", Map.of("isolation_level", "read_committed")))).isEmpty();
    assertThat(read(Map.of("cluster", Map.of("client_id", "c")))).isEmpty();

    assertThat(violations).extracting(Violation::toString).containsExactly(
        PATH + ".cluster: is required",
        PATH + ".cluster.brokers: is required");
  }

  @Test
  void namesTheGroupAfterTheAgentWhenTheFileDoesNotAndTakesAnEmptyKeyMetaForNone() {
    Optional<Driver> withoutGroup = read(Map.of("cluster", Map.of("brokers", List.of("k:9092")), "key_meta", ""));
    Optional<Driver> withoutId = read(Map.of("cluster", Map.of("brokers", List.of("k:9092")),
        "group", Map.of("session_timeout", "30s")));

    assertThat(violations).isEmpty();
    assertThat(withoutGroup).contains(KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k:9092").build()).group(Group.of("stocks")).build());
    assertThat(withoutId).contains(KafkaDriver.builder().cluster(Cluster.builder().brokers("k:9092").build())
        .group(Group.builder().id("stocks").sessionTimeout(Duration.ofSeconds(30)).build()).build());
    assertThat(withoutGroup.orElseThrow().summary()).isEqualTo("brokers k:9092, group stocks");
  }
}
